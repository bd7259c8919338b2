//! The other criteria of a matrix: what the objective's optimal paths add
//! up to in time, cost, CO2e (well-to-wheel and tank-to-wheel) and
//! distance, in the integer units the searches use.
//!
//! A matrix minimises one objective; `silkroute matrix` reports all four
//! criteria of each cell's path. Rather than unpacking and pricing every
//! path ([`crate::explain::price_path`]), the engine gives the hierarchy
//! one integer value per arc for each other criterion
//! ([`silkroute_hierarchy::Companions`]), and the bucket matrix sums them
//! along the chosen paths. The values are [`metric::weights`] of the other
//! objectives under the same filter, so transfers, borders, gauge changes,
//! curated elements and a scenario's delays and charges are priced exactly
//! as a search prices them; CO2e tank-to-wheel, which is no objective, is
//! [`metric::arc_impact`] per arc in grams.
//!
//! Rounding: each arc's value is rounded to a whole second, US cent or
//! gram, where [`crate::explain::price_path`] sums unrounded impacts. A
//! cell's totals may therefore differ from the priced path's by up to half
//! a unit per arc, and by about `0.3 · √arcs` units typically (the errors
//! are independent): tens of seconds, cents or grams on a 3,000-arc
//! transcontinental path. Distances are whole metres either way, so they
//! agree exactly.
//!
//! Ties: the bucket matrix follows the lowest best meeting node and the
//! searches' own predecessors, so where several paths are equally good
//! for the objective, the sums are those of one of them, not necessarily
//! the one a single route query unpacks.

use rayon::prelude::*;
use silkroute_cost::Impact;
use silkroute_graph::Network;
use silkroute_model::{Mode, NodeId};

use crate::filter::Filter;
use crate::many::Cell;
use crate::metric;
use crate::objective::{Objective, Pricing};

/// What one companion sum measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    /// Another objective, in its integer units (s, US cents, g CO2e WTW, m).
    Objective(Objective),
    /// CO2e tank-to-wheel, in grams.
    Co2Ttw,
}

/// The companions a matrix for `objective` carries, in this order: the
/// other three objectives (time, cost, CO2e WTW, distance, without
/// `objective`), then CO2e TTW.
pub fn criteria(objective: Objective) -> [Criterion; 4] {
    let mut out = [Criterion::Co2Ttw; 4];
    let others = Objective::ALL.into_iter().filter(|o| *o != objective);
    for (slot, o) in out.iter_mut().zip(others) {
        *slot = Criterion::Objective(o);
    }
    out
}

/// One integer value per arc for each of [`criteria`]`(objective)`.
/// `objective_weights` are the objective's own weights (what closes an arc
/// is the same for every criterion).
pub fn arc_values(
    net: &Network,
    pricing: &Pricing,
    objective: Objective,
    filter: &Filter,
    objective_weights: &[u32],
) -> Vec<Vec<u32>> {
    criteria(objective)
        .iter()
        .map(|c| match c {
            Criterion::Objective(o) => metric::weights(net, pricing, *o, filter),
            Criterion::Co2Ttw => ttw_weights(net, pricing, objective_weights),
        })
        .collect()
}

/// Grams of CO2e tank-to-wheel per arc (its transport operation and its
/// hub or border part, as [`metric::arc_impact`] prices them), `u32::MAX`
/// where `open` is. A scenario's penalties add no CO2e. Plain transport
/// arcs (the great majority) take their mode's rate times their length, as
/// [`metric::weights`] does; transfers, borders and curated arcs are priced
/// one by one.
///
/// Per FEU-equivalent of the cargo, as every metric weight is
/// ([`Pricing::per_unit`]); [`cell`] scales the sums back.
pub fn ttw_weights(net: &Network, pricing: &Pricing, open: &[u32]) -> Vec<u32> {
    let pricing = &pricing.per_unit();
    let first_out = net.first_out();
    let (mode, length) = (net.arc_mode(), net.arc_length_m());
    let ttw = |i: &Impact| i.co2e_kg_ttw * 1000.0;
    let mut per_m = [0.0f64; 6];
    let mut constant = [0.0f64; 6];
    for m in Mode::ALL {
        let carried = if m == Mode::Transfer { Mode::Road } else { m };
        let at0 = ttw(&pricing.model.transport(carried, 0.0, &pricing.cargo));
        let at1 = ttw(&pricing.model.transport(carried, 1000.0, &pricing.cargo));
        constant[m as usize] = at0;
        per_m[m as usize] = (at1 - at0) / 1000.0;
    }
    let value = |v: usize, a: usize| -> u32 {
        if open[a] == u32::MAX {
            return u32::MAX;
        }
        let tail = NodeId(v as u32);
        let plain = net.arc_element(a).is_none()
            && metric::arc_role(net, tail, a) == metric::ArcRole::Transport;
        let g = if plain {
            let m = mode[a] as usize;
            constant[m] + per_m[m] * f64::from(length[a])
        } else {
            let (transport, extra, _) = metric::arc_impact(net, pricing, tail, a);
            ttw(&(transport + extra))
        };
        g.round().clamp(0.0, (u32::MAX - 1) as f64) as u32
    };
    // Chunks of nodes whose arcs are contiguous, in parallel.
    let mut out = vec![u32::MAX; net.arc_count()];
    let n = net.node_count();
    let chunk = n.div_ceil(64).max(1);
    let mut slices = Vec::new();
    let mut rest: &mut [u32] = &mut out;
    for lo in (0..n).step_by(chunk) {
        let hi = (lo + chunk).min(n);
        let (mine, tail) = rest.split_at_mut((first_out[hi] - first_out[lo]) as usize);
        slices.push((lo, hi, mine));
        rest = tail;
    }
    slices.into_par_iter().for_each(|(lo, hi, mine)| {
        let base = first_out[lo] as usize;
        for v in lo..hi {
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                mine[a - base] = value(v, a);
            }
        }
    });
    out
}

/// A matrix cell from the search's answer: `weight` the objective's value
/// with both access legs, `path` without them, `sums` the companions in
/// the order of [`criteria`]`(objective)`. The impact and distance are the
/// path's alone (no access legs), as [`crate::many::matrix`] reports them.
/// `units` is the cargo's FEU-equivalents ([`Pricing::units`]): cost and
/// CO2e sums are per one.
pub fn cell(
    units: f64,
    objective: Objective,
    weight: u64,
    path: u64,
    sums: &[u64],
    origin_snap_m: f64,
    destination_snap_m: f64,
) -> Cell {
    let mut value = [0u64; 5];
    let slot = |c: Criterion| match c {
        Criterion::Objective(o) => o as usize,
        Criterion::Co2Ttw => 4,
    };
    value[slot(Criterion::Objective(objective))] = path;
    for (c, s) in criteria(objective).iter().zip(sums) {
        value[slot(*c)] = *s;
    }
    let at = |o: Objective| value[o as usize] as f64;
    Cell {
        weight,
        distance_m: at(Objective::Distance),
        impact: Impact {
            time_h: at(Objective::Time) / 3600.0,
            cost_usd: at(Objective::Cost) / 100.0 * units,
            co2e_kg_wtw: at(Objective::Co2) / 1000.0 * units,
            co2e_kg_ttw: value[4] as f64 / 1000.0 * units,
        },
        origin_snap_m,
        destination_snap_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_companions_are_the_other_criteria_then_ttw() {
        use Criterion::{Co2Ttw, Objective as O};
        assert_eq!(
            criteria(Objective::Time),
            [
                O(Objective::Cost),
                O(Objective::Co2),
                O(Objective::Distance),
                Co2Ttw
            ]
        );
        assert_eq!(criteria(Objective::Distance)[2], O(Objective::Co2));
    }

    #[test]
    fn a_cell_puts_each_sum_in_its_unit() {
        let c = cell(
            1.0,
            Objective::Cost,
            1_250,
            1_000,
            &[7_200, 5_500, 42_000, 4_000],
            1.0,
            2.0,
        );
        assert_eq!(c.weight, 1_250);
        assert_eq!(c.impact.cost_usd, 10.0);
        assert_eq!(c.impact.time_h, 2.0);
        assert_eq!(c.impact.co2e_kg_wtw, 5.5);
        assert_eq!(c.distance_m, 42_000.0);
        assert_eq!(c.impact.co2e_kg_ttw, 4.0);
        assert_eq!((c.origin_snap_m, c.destination_snap_m), (1.0, 2.0));
        // Cost and CO2e sums are per FEU-equivalent; time and distance not.
        let half = cell(
            0.5,
            Objective::Cost,
            1_250,
            1_000,
            &[7_200, 5_500, 42_000, 4_000],
            1.0,
            2.0,
        );
        assert_eq!(half.impact.cost_usd, 5.0);
        assert_eq!(half.impact.co2e_kg_wtw, 2.75);
        assert_eq!(half.impact.co2e_kg_ttw, 2.0);
        assert_eq!(half.impact.time_h, 2.0);
        assert_eq!(half.distance_m, 42_000.0);
    }
}
