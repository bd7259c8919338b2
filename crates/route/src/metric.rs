//! What a route minimises: per-arc weights for each objective (time, cost,
//! CO2e, distance), from the cost model and the cargo.
//!
//! Every arc's impact is a transport operation over its length (rail, road,
//! sea, air, ferry; transfer arcs are short road drayage) plus, where the arc
//! is one, a hub operation (handling at a port, airport or terminal) or a
//! border crossing (a rail, road or ferry arc whose ends lie in different
//! countries). Arcs that
//! carry a curated element (a named border crossing or ferry, see
//! `Network::arc_element`) take that record's dwell, fee, crossing time and
//! wait where it publishes them, the cost model's defaults elsewhere. The
//! sea arcs of a priced canal (Suez, Panama) add their share of its toll,
//! transit time and queue (`[canal.*]`). Weights
//! are integers (seconds, US cents, grams CO2e WTW, metres) so searches are
//! exact; explanations recompute the same impacts in floating point. Cost
//! and CO2e weights are those of one FEU-equivalent of the cargo
//! ([`Pricing::per_unit`]; impacts are linear in the amount), so 1 kg and
//! a shipload get the same precision and the same route; a scenario's flat
//! fee (whatever the cargo) is divided by the cargo's FEU-equivalents.

use silkroute_cost::{HubKind, Impact};
use silkroute_graph::Network;
use silkroute_model::{Mode, NodeId, NodeKind, Passage};

use crate::filter::Filter;
use crate::objective::{Objective, Pricing};

/// How an arc is priced beyond its transport operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArcRole {
    Transport,
    /// A transfer arc: `share` of one hub operation of `kind` (a terminal's
    /// two transfer arcs carry half each) at `hub`.
    Transfer {
        kind: HubKind,
        share: f64,
        hub: NodeId,
    },
    /// A rail, road or ferry arc between two countries; `customs` when they
    /// are in different customs territories (dwell and fees), `gauge_break`
    /// when the two sides' rail gauges differ (containers are transshipped).
    Border {
        customs: bool,
        gauge_break: bool,
    },
}

/// The curated element arc `a` carries, if any.
pub fn arc_element(net: &Network, a: usize) -> Option<&silkroute_graph::Element> {
    net.arc_element(a).map(|k| net.element(k))
}

/// The priced canal (a passage with `[canal.*]` rates: Suez, Panama) whose
/// sea arc `a` is, if any. Its arcs carry their share of the canal's toll,
/// transit time and queue on top of the sea transport
/// (`CostModel::canal_crossing`).
pub fn canal_of(net: &Network, a: usize) -> Option<Passage> {
    match Passage::from_code(net.arc_passage()[a]) {
        Some(p @ (Passage::Suez | Passage::Panama)) if net.passage_length_m(p) > 0.0 => Some(p),
        _ => None,
    }
}

/// The role of arc `a` leaving `tail`.
pub fn arc_role(net: &Network, tail: NodeId, a: usize) -> ArcRole {
    let mode = net.arc_mode()[a];
    let head = NodeId(net.arc_head()[a]);
    if mode == Mode::Transfer as u8 {
        let (kt, kh) = (net.kind(tail), net.kind(head));
        let pick = |k: NodeKind| match k {
            NodeKind::Seaport => Some(HubKind::Seaport),
            NodeKind::Airport => Some(HubKind::Airport),
            NodeKind::RailTerminal => Some(HubKind::RoadRail),
            _ => None,
        };
        let (kind, hub) = match (pick(kt), pick(kh)) {
            (Some(k), _) => (k, tail),
            (None, Some(k)) => (k, head),
            (None, None) => (HubKind::RoadRail, tail),
        };
        let share = if kind == HubKind::RoadRail { 0.5 } else { 1.0 };
        return ArcRole::Transfer { kind, share, hub };
    }
    if mode == Mode::Rail as u8 || mode == Mode::Road as u8 || mode == Mode::Ferry as u8 {
        let country = net.country_codes();
        let (ct, ch) = (country[tail.index()], country[head.index()]);
        if ct != 0 && ch != 0 && ct != ch {
            let flags = net.arc_flags()[a];
            return ArcRole::Border {
                customs: flags & silkroute_graph::ARC_FLAG_CUSTOMS_BORDER != 0,
                gauge_break: flags & silkroute_graph::ARC_FLAG_GAUGE_BREAK != 0,
            };
        }
    }
    ArcRole::Transport
}

/// The impact of traversing arc `a` from `tail`, split into its transport
/// part and its hub or border part.
pub fn arc_impact(
    net: &Network,
    pricing: &Pricing,
    tail: NodeId,
    a: usize,
) -> (Impact, Impact, ArcRole) {
    let mode = Mode::from_code(net.arc_mode()[a]).unwrap_or(Mode::Transfer);
    let length = net.arc_length_m()[a] as f64;
    let role = arc_role(net, tail, a);
    let carried = if mode == Mode::Transfer {
        Mode::Road
    } else {
        mode
    };
    let element = arc_element(net, a);
    let transport = match (&element, mode) {
        (Some(e), Mode::Ferry) => {
            pricing
                .model
                .ferry_crossing(length, &pricing.cargo, e.crossing_h, e.wait_h)
        }
        _ => pricing.model.transport(carried, length, &pricing.cargo),
    };
    let transport = match canal_of(net, a) {
        Some(p) => {
            let crossing = net.passage_length_m(p);
            transport
                + pricing
                    .model
                    .canal_crossing(p, &pricing.cargo, crossing, length / crossing)
        }
        None => transport,
    };
    let extra = match role {
        ArcRole::Transport => Impact::default(),
        ArcRole::Transfer { kind, share, .. } => pricing.model.hub(kind, &pricing.cargo) * share,
        ArcRole::Border {
            customs,
            gauge_break,
        } => {
            let (dwell, fee) = element.map_or((None, None), |e| (e.dwell_h, e.fee_usd));
            let mut extra = pricing
                .model
                .border_at(mode, &pricing.cargo, customs, dwell, fee);
            if gauge_break {
                extra += pricing.model.gauge_change(&pricing.cargo);
            }
            extra
        }
    };
    (transport, extra, role)
}

/// Per mode code, the transport weight of one arc in `objective`'s units:
/// `per_m * length + constant` (the constant is zero for rail, road and
/// sea, whose impacts are linear in length; a flight's and a ferry
/// crossing's are not).
/// Per FEU-equivalent, as [`weights`] are.
pub fn linear_rates(pricing: &Pricing, objective: Objective) -> ([f64; 6], [f64; 6]) {
    let pricing = &pricing.per_unit();
    let value = |i: &Impact, d: f64| objective.weight(i, d);
    let mut per_m = [0.0f64; 6];
    let mut constant = [0.0f64; 6];
    for m in Mode::ALL {
        let carried = if m == Mode::Transfer { Mode::Road } else { m };
        let at0 = value(&pricing.model.transport(carried, 0.0, &pricing.cargo), 0.0);
        let at1 = value(
            &pricing.model.transport(carried, 1000.0, &pricing.cargo),
            1000.0,
        );
        constant[m as usize] = at0;
        per_m[m as usize] = (at1 - at0) / 1000.0;
    }
    (per_m, constant)
}

/// Integer weights of every arc for `objective`; `u32::MAX` for arcs the
/// filter closes. A scenario's penalties are applied last, touching only
/// the arcs they name.
///
/// Runs on every query (the objective, cargo, cost model and constraints
/// all change the weights), so it avoids per-arc pricing calls: each mode's
/// transport impact is linear in length (plus a per-flight constant for
/// air), each hub or border a constant, and nodes are processed in parallel
/// chunks whose arcs are contiguous. The few arcs that carry a curated
/// element are then priced one by one with [`arc_impact`].
pub fn weights(
    net: &Network,
    pricing: &Pricing,
    objective: Objective,
    filter: &Filter,
) -> Vec<u32> {
    use rayon::prelude::*;
    let (first_out, mode, joins, passage) = (
        net.first_out(),
        net.arc_mode(),
        net.arc_joins(),
        net.arc_passage(),
    );
    let (length, head, kinds) = (net.arc_length_m(), net.arc_head(), net.kinds());
    let value = |i: &Impact, d: f64| objective.weight(i, d);
    let (per_m, constant) = linear_rates(pricing, objective);
    // Penalties get the cargo itself (a flat fee is not per FEU); every
    // other weight is one FEU-equivalent's.
    let (actual, pricing) = (pricing, &pricing.per_unit());
    let hub = |k: HubKind, share: f64| value(&(pricing.model.hub(k, &pricing.cargo) * share), 0.0);
    let (seaport, airport, road_rail) = (
        hub(HubKind::Seaport, 1.0),
        hub(HubKind::Airport, 1.0),
        hub(HubKind::RoadRail, 0.5),
    );
    let border_rail = value(&pricing.model.border(Mode::Rail, &pricing.cargo), 0.0);
    let border_road = value(&pricing.model.border(Mode::Road, &pricing.cargo), 0.0);
    let gauge_change = value(&pricing.model.gauge_change(&pricing.cargo), 0.0);
    let flags = net.arc_flags();
    let (rail, road, ferry, transfer) = (
        Mode::Rail as u8,
        Mode::Road as u8,
        Mode::Ferry as u8,
        Mode::Transfer as u8,
    );
    let hub_kind = |k: u8| {
        if k == NodeKind::Seaport as u8 {
            Some(seaport)
        } else if k == NodeKind::Airport as u8 {
            Some(airport)
        } else if k == NodeKind::RailTerminal as u8 {
            Some(road_rail)
        } else {
            None
        }
    };
    let arc_weight = |v: usize, a: usize| -> u32 {
        if !filter.allows_arc(net, v as u32, a, mode[a], joins[a], passage[a]) {
            return u32::MAX;
        }
        if objective == Objective::Distance {
            return length[a];
        }
        let m = mode[a];
        let mut w = constant[m as usize] + per_m[m as usize] * length[a] as f64;
        if m == transfer {
            let h = head[a] as usize;
            w += hub_kind(kinds[v])
                .or_else(|| hub_kind(kinds[h]))
                .unwrap_or(road_rail);
        } else if m == rail || m == road || m == ferry {
            let f = flags[a];
            // A ferry takes the rail border's defaults (`border_at`).
            if f & silkroute_graph::ARC_FLAG_CUSTOMS_BORDER != 0 {
                w += if m == road { border_road } else { border_rail };
            }
            if f & silkroute_graph::ARC_FLAG_GAUGE_BREAK != 0 {
                w += gauge_change;
            }
        }
        w.round().min((u32::MAX - 1) as f64) as u32
    };
    let mut w = vec![u32::MAX; net.arc_count()];
    // Split the nodes into chunks; each chunk's arcs are one contiguous slice.
    let n = net.node_count();
    let chunk = n.div_ceil(64).max(1);
    let mut slices = Vec::new();
    let mut rest: &mut [u32] = &mut w;
    let mut lo = 0usize;
    while lo < n {
        let hi = (lo + chunk).min(n);
        let arcs = (first_out[hi] - first_out[lo]) as usize;
        let (mine, tail) = rest.split_at_mut(arcs);
        slices.push((lo, hi, mine));
        rest = tail;
        lo = hi;
    }
    slices.into_par_iter().for_each(|(lo, hi, out)| {
        let base = first_out[lo] as usize;
        for v in lo..hi {
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                out[a - base] = arc_weight(v, a);
            }
        }
    });
    if objective != Objective::Distance {
        // Canal arcs (few) carry their toll, transit and queue.
        let (suez, panama) = (Passage::Suez as u8, Passage::Panama as u8);
        for (a, code) in passage.iter().enumerate() {
            if (*code == suez || *code == panama) && w[a] != u32::MAX {
                let tail = first_out.partition_point(|&x| x as usize <= a) - 1;
                let (transport, extra, _) = arc_impact(net, pricing, NodeId(tail as u32), a);
                w[a] = value(&(transport + extra), length[a] as f64)
                    .round()
                    .min((u32::MAX - 1) as f64) as u32;
            }
        }
        for &[a, _] in net.arc_elements() {
            let a = a as usize;
            if w[a] == u32::MAX {
                continue;
            }
            let tail = first_out.partition_point(|&x| x as usize <= a) - 1;
            let (transport, extra, _) = arc_impact(net, pricing, NodeId(tail as u32), a);
            w[a] = value(&(transport + extra), length[a] as f64)
                .round()
                .min((u32::MAX - 1) as f64) as u32;
        }
    }
    if let Some(p) = &filter.penalties {
        p.apply(&mut w, actual, objective);
    }
    w
}

/// The weights of `filter` derived from `base`, the weights of the same
/// objective and pricing under `Filter::new(filter.modes)` (nothing closed
/// beyond the default passages, no penalties): every arc the filter closes
/// becomes `u32::MAX`, then its penalties apply, exactly as [`weights`]
/// would have it (a closure changes an arc only by closing it, and
/// penalties come last there too), in one cheap pass instead of pricing
/// every arc again. For deriving a scenario's metric from the baseline's.
pub fn weights_from_baseline(
    net: &Network,
    base: &[u32],
    pricing: &Pricing,
    objective: Objective,
    filter: &Filter,
) -> Vec<u32> {
    let mut w = base.to_vec();
    let (first_out, mode, joins, passage) = (
        net.first_out(),
        net.arc_mode(),
        net.arc_joins(),
        net.arc_passage(),
    );
    let baseline = Filter::new(filter.modes).closed_passages;
    let newly_closed = filter.closed_passages & !baseline;
    let nodes = !filter.closed_nodes.is_empty();
    if newly_closed != 0 || nodes {
        for v in 0..net.node_count() {
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                let candidate = newly_closed & (1 << passage[a]) != 0 && passage[a] != 0
                    || nodes
                        && (!filter.node_open(v as u32) || !filter.node_open(net.arc_head()[a]));
                if candidate && !filter.allows_arc(net, v as u32, a, mode[a], joins[a], passage[a])
                {
                    w[a] = u32::MAX;
                }
            }
        }
    }
    if let Some(p) = &filter.penalties {
        p.apply(&mut w, pricing, objective);
    }
    w
}

/// The cost, in an objective's weight units (per FEU-equivalent, as
/// [`weights`]), of reaching the network from a point `distance_m` away in
/// a straight line: the road drayage leg the route lists for that join
/// ([`silkroute_cost::CostModel::drayage`]; nothing inside the hub's gate).
pub fn access_cost(pricing: &Pricing, objective: Objective, distance_m: f64) -> u64 {
    let pricing = &pricing.per_unit();
    match pricing.model.drayage(distance_m, &pricing.cargo) {
        None => 0,
        Some((road_m, impact)) => objective.weight(&impact, road_m).round() as u64,
    }
}
