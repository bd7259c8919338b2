//! What a scenario does to arcs beyond closing nodes and passages: arcs
//! closed outright (a border crossing, a port's handling), extra delay and
//! cost charged each time a route uses an arc (a jammed crossing, a slow
//! passage), and capacity factors that the flow assignment applies.
//!
//! A [`Penalties`] value rides on the [`Filter`](crate::filter::Filter), so
//! it changes the arc weights ([`crate::metric::weights`] applies it after
//! the dense pass, in time proportional to the penalised arcs only) and
//! never the compiled topology. Route explanations add the same charges to
//! the leg or border crossing where they fall
//! ([`crate::explain::charge_penalties`]), so totals stay sums of what is
//! listed.
//!
//! The selectors here turn what a scenario names (a passage, a hub, a
//! country, a box, a mode) into the arcs where a route *pays once per
//! use*: a passage's arcs (each with its share of a whole crossing), the
//! transfer arcs of a hub. They are plain functions of the network so that
//! the CLI (which knows the curated names) stays thin. A curated border
//! crossing's or ferry's arcs are the ones the import attached its record
//! to (`Network::arc_elements`).

use std::hash::{Hash, Hasher};

use silkroute_cost::Impact;
use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, NodeId, NodeKind, Passage, haversine_m};

use crate::objective::{Objective, Pricing};

/// Extra delay and cost on one arc, charged per traversal.
#[derive(Clone, Debug, PartialEq)]
pub struct ArcPenalty {
    pub arc: u32,
    pub delay_h: f64,
    /// Scaled by the cargo's FEU-equivalents.
    pub cost_usd_per_feu: f64,
    /// Flat, whatever the cargo.
    pub cost_usd: f64,
    /// Index into [`Penalties::labels`].
    pub rule: u32,
}

/// A scenario's arc-level changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Penalties {
    /// Arcs no route may use, sorted and unique.
    pub closed_arcs: Vec<u32>,
    /// Charges per traversal; an arc may carry several (they add up).
    pub slow: Vec<ArcPenalty>,
    /// Capacity factors per arc, for the flow assignment (several multiply).
    pub capacity: Vec<(u32, f64)>,
    /// What each rule is, in words ("+72 h at khorgos-altynkol").
    pub labels: Vec<String>,
}

impl Penalties {
    pub fn is_empty(&self) -> bool {
        self.closed_arcs.is_empty() && self.slow.is_empty() && self.capacity.is_empty()
    }

    /// Closes `arcs`.
    pub fn close(&mut self, arcs: &[u32]) {
        self.closed_arcs.extend_from_slice(arcs);
        self.closed_arcs.sort_unstable();
        self.closed_arcs.dedup();
    }

    /// Adds a rule charging `delay_h` hours and the costs on every use of
    /// `arcs`, each scaled by its share (1 for a whole crossing or handling;
    /// see [`passage_arcs`]); returns the rule's index.
    pub fn slow(
        &mut self,
        arcs: &[(u32, f64)],
        delay_h: f64,
        cost_usd_per_feu: f64,
        cost_usd: f64,
        label: String,
    ) -> u32 {
        let rule = self.labels.len() as u32;
        self.labels.push(label);
        self.slow
            .extend(arcs.iter().map(|&(arc, share)| ArcPenalty {
                arc,
                delay_h: delay_h * share,
                cost_usd_per_feu: cost_usd_per_feu * share,
                cost_usd: cost_usd * share,
                rule,
            }));
        rule
    }

    /// Multiplies the capacity of whatever uses `arcs` by `factor`.
    pub fn cut_capacity(&mut self, arcs: &[u32], factor: f64) {
        self.capacity.extend(arcs.iter().map(|&a| (a, factor)));
    }

    /// The capacity factor of an arc (1 when none applies).
    pub fn capacity_factor(&self, arc: u32) -> f64 {
        self.capacity
            .iter()
            .filter(|(a, _)| *a == arc)
            .map(|(_, f)| *f)
            .product()
    }

    /// The impact of one penalty for a cargo.
    pub fn impact(p: &ArcPenalty, pricing: &Pricing) -> Impact {
        Impact {
            time_h: p.delay_h,
            cost_usd: p.cost_usd
                + p.cost_usd_per_feu * pricing.cargo.feu_equivalents(pricing.model),
            co2e_kg_wtw: 0.0,
            co2e_kg_ttw: 0.0,
        }
    }

    /// Applies the penalties to dense weights (after the filter's closures),
    /// in the metric's units: per FEU-equivalent of `pricing`'s cargo
    /// ([`Pricing::weight_scale`]), so a flat fee weighs more on a small
    /// shipment.
    pub fn apply(&self, weights: &mut [u32], pricing: &Pricing, objective: Objective) {
        let scale = pricing.weight_scale(objective);
        for &a in &self.closed_arcs {
            if let Some(w) = weights.get_mut(a as usize) {
                *w = u32::MAX;
            }
        }
        if matches!(objective, Objective::Co2 | Objective::Distance) {
            return;
        }
        for p in &self.slow {
            let Some(w) = weights.get_mut(p.arc as usize) else {
                continue;
            };
            if *w == u32::MAX {
                continue;
            }
            let extra = (objective.weight(&Penalties::impact(p, pricing), 0.0) / scale).round();
            *w = (*w as f64 + extra).clamp(0.0, (u32::MAX - 1) as f64) as u32;
        }
    }

    /// Total charges on an arc path.
    pub fn charge_path(&self, pricing: &Pricing, arcs: &[u32]) -> Impact {
        let mut total = Impact::default();
        if self.slow.is_empty() {
            return total;
        }
        let on: std::collections::HashSet<u32> = arcs.iter().copied().collect();
        for p in &self.slow {
            if on.contains(&p.arc) {
                let uses = arcs.iter().filter(|a| **a == p.arc).count() as f64;
                total += Penalties::impact(p, pricing) * uses;
            }
        }
        total
    }

    /// A fingerprint of the contents, for caching metrics.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.closed_arcs.hash(&mut h);
        for p in &self.slow {
            (
                p.arc,
                p.delay_h.to_bits(),
                p.cost_usd_per_feu.to_bits(),
                p.cost_usd.to_bits(),
            )
                .hash(&mut h);
        }
        for (a, f) in &self.capacity {
            (a, f.to_bits()).hash(&mut h);
        }
        h.finish()
    }
}

/// The arcs of passage `p`, each with its share of one crossing: its
/// length over the length of the passage in one direction (half the total
/// of its arcs, which come in both directions). A route that crosses the
/// whole passage pays a slowdown once, whichever way it goes; one that
/// only clips it pays that part. (Charging the arcs that enter the passage
/// would not work: marnet passages are chains whose inner nodes also join
/// other lanes.)
pub fn passage_arcs(net: &Network, p: Passage) -> Vec<(u32, f64)> {
    let (passage, length) = (net.arc_passage(), net.arc_length_m());
    let code = p as u8;
    let arcs: Vec<u32> = (0..net.arc_count() as u32)
        .filter(|a| passage[*a as usize] == code)
        .collect();
    let one_way: f64 = arcs.iter().map(|a| length[*a as usize] as f64).sum::<f64>() / 2.0;
    if one_way <= 0.0 {
        return Vec::new();
    }
    arcs.into_iter()
        .map(|a| (a, length[a as usize] as f64 / one_way))
        .collect()
}

/// Arcs charged in full (share 1).
pub fn whole(arcs: &[u32]) -> Vec<(u32, f64)> {
    arcs.iter().map(|a| (*a, 1.0)).collect()
}

/// Hub nodes (ports, airports, terminals) of `kind` within `radius_m` of
/// `pos`, nearest first.
pub fn hubs_near(net: &Network, pos: LatLon, kind: NodeKind, radius_m: f64) -> Vec<NodeId> {
    let kinds = net.kinds();
    let mut found: Vec<(f64, NodeId)> = (0..net.node_count())
        .filter(|v| kinds[*v] == kind as u8)
        .map(|v| {
            (
                haversine_m(net.pos(NodeId(v as u32)), pos),
                NodeId(v as u32),
            )
        })
        .filter(|(d, _)| *d <= radius_m)
        .collect();
    found.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.0.cmp(&y.1.0)));
    found.into_iter().map(|(_, v)| v).collect()
}

/// The transfer arcs into and out of `hubs` (each is one handling).
pub fn hub_arcs(net: &Network, hubs: &[NodeId]) -> Vec<u32> {
    let (first_out, mode, head) = (net.first_out(), net.arc_mode(), net.arc_head());
    let set: std::collections::HashSet<u32> = hubs.iter().map(|v| v.0).collect();
    let mut out = Vec::new();
    for v in 0..net.node_count() {
        for a in first_out[v] as usize..first_out[v + 1] as usize {
            if mode[a] == Mode::Transfer as u8
                && (set.contains(&(v as u32)) || set.contains(&head[a]))
            {
                out.push(a as u32);
            }
        }
    }
    out
}

/// Where a country, box or mode rule charges: every border arc with an end
/// where `at` holds, and every transfer arc whose tail or head is a hub
/// where `at` holds.
pub fn arcs_where(net: &Network, at: impl Fn(NodeId) -> bool) -> Vec<u32> {
    let (first_out, mode, head) = (net.first_out(), net.arc_mode(), net.arc_head());
    let country = net.country_codes();
    let kinds = net.kinds();
    let (rail, road, transfer) = (Mode::Rail as u8, Mode::Road as u8, Mode::Transfer as u8);
    let is_hub = |v: usize| kinds[v] != NodeKind::Junction as u8;
    let mut out = Vec::new();
    for v in 0..net.node_count() {
        for a in first_out[v] as usize..first_out[v + 1] as usize {
            let h = head[a] as usize;
            let m = mode[a];
            let hit = if m == rail || m == road {
                let (cv, ch) = (country[v], country[h]);
                cv != 0 && ch != 0 && cv != ch && (at(NodeId(v as u32)) || at(NodeId(h as u32)))
            } else if m == transfer {
                (is_hub(v) && at(NodeId(v as u32))) || (is_hub(h) && at(NodeId(h as u32)))
            } else {
                false
            };
            if hit {
                out.push(a as u32);
            }
        }
    }
    out
}

/// Where a mode rule charges: every transfer arc that joins the mode and
/// every border arc of the mode; for ferries, every ferry arc (a ferry arc
/// is one crossing).
pub fn mode_arcs(net: &Network, m: Mode) -> Vec<u32> {
    let (first_out, mode, joins, head) = (
        net.first_out(),
        net.arc_mode(),
        net.arc_joins(),
        net.arc_head(),
    );
    let country = net.country_codes();
    let mut out = Vec::new();
    for v in 0..net.node_count() {
        for a in first_out[v] as usize..first_out[v + 1] as usize {
            let hit = if mode[a] == Mode::Transfer as u8 {
                joins[a] & (1 << m as u8) != 0
            } else if mode[a] == m as u8 {
                m == Mode::Ferry || {
                    let (cv, ch) = (country[v], country[head[a] as usize]);
                    (m == Mode::Rail || m == Mode::Road) && cv != 0 && ch != 0 && cv != ch
                }
            } else {
                false
            };
            if hit {
                out.push(a as u32);
            }
        }
    }
    out
}

/// Whether a point lies inside a polygon ring of `[lon, lat]` vertices
/// (even-odd rule; the ring need not repeat its first vertex).
pub fn in_polygon(ring: &[[f64; 2]], p: LatLon) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let ([xi, yi], [xj, yj]) = (ring[i], ring[j]);
        if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygon_contains() {
        let square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert!(in_polygon(&square, LatLon::new(5.0, 5.0)));
        assert!(!in_polygon(&square, LatLon::new(5.0, 11.0)));
        assert!(!in_polygon(&square, LatLon::new(-1.0, 5.0)));
    }

    #[test]
    fn apply_adds_and_closes() {
        let model = silkroute_cost::CostModel::defaults();
        let pricing = Pricing {
            model: &model,
            cargo: silkroute_cost::Cargo::Feu(2.0),
        };
        let mut p = Penalties::default();
        p.slow(&[(1, 1.0)], 2.0, 100.0, 50.0, "test".into());
        p.close(&[2]);
        let mut w = vec![10, 10, 10];
        p.apply(&mut w, &pricing, Objective::Time);
        assert_eq!(w, vec![10, 10 + 7200, u32::MAX]);
        let mut w = vec![10, 10, 10];
        p.apply(&mut w, &pricing, Objective::Cost);
        // 50 USD flat + 100 USD × 2 FEU, in cents per FEU-equivalent.
        assert_eq!(w, vec![10, 10 + 12_500, u32::MAX]);
        let mut w = vec![10, 10, 10];
        p.apply(&mut w, &pricing, Objective::Distance);
        assert_eq!(w, vec![10, 10, u32::MAX]);
        assert_eq!(p.charge_path(&pricing, &[1, 0, 1]).time_h, 4.0);
    }
}
