//! Curated elements (named border crossings and ferries) price the arcs that
//! carry them with their own figures, the cost model's defaults elsewhere;
//! the search weights, the per-arc impacts, the explained route and the
//! all-criteria matrix agree.
//!
//! ```text
//!   KZ 0 ──rail── 1 ══border (curated: dwell 5 h)══ 2 ──rail── 3 CN
//!      └──────────────── ferry (curated: 10 h + 2 h wait) ───────┘
//!   KZ 4 ══border (no record)══ 5 CN
//! ```

mod common;

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::{
    ARC_FLAG_CUSTOMS_BORDER, ELEMENT_CROSSING, ELEMENT_FERRY, Network, RawEdge, RawElement,
    RawNetwork, RawNode, compile,
};
use silkroute_model::{Mode, ModeSet, NoProgress, NodeId};
use silkroute_route::Filter;
use silkroute_route::Objective;
use silkroute_route::metric::{self, arc_impact};
use silkroute_route::places::Gazetteer;
use silkroute_route::{Pricing, Request};

use common::at;

fn element(kind: &'static str, id: &str, dwell_h: f32, crossing_h: f32, wait_h: f32) -> RawElement {
    RawElement {
        kind,
        id: id.into(),
        name: id.to_uppercase(),
        basis: "test".into(),
        dwell_h,
        fee_usd: f32::NAN,
        crossing_h,
        wait_h,
    }
}

fn network() -> Network {
    let mut raw = RawNetwork::default();
    for (i, (lat, lon)) in [
        (40.0, 70.0),
        (40.0, 71.0),
        (40.0, 72.0),
        (40.0, 73.0),
        (42.0, 71.0),
        (42.0, 72.0),
    ]
    .into_iter()
    .enumerate()
    {
        let country = if i == 0 || i == 1 || i == 4 {
            *b"KZ"
        } else {
            *b"CN"
        };
        raw.add_node(RawNode {
            country: Some(country),
            ..RawNode::junction(lat, lon)
        });
    }
    raw.elements.push(element(
        ELEMENT_CROSSING,
        "border-x",
        5.0,
        f32::NAN,
        f32::NAN,
    ));
    raw.elements
        .push(element(ELEMENT_FERRY, "ferry-y", f32::NAN, 10.0, 2.0));
    raw.edges.push(RawEdge::new(0, 1, 85_000, Mode::Rail));
    let mut border = RawEdge::new(1, 2, 85_000, Mode::Rail);
    border.flags = ARC_FLAG_CUSTOMS_BORDER;
    border.element = Some(0);
    raw.edges.push(border);
    raw.edges.push(RawEdge::new(2, 3, 85_000, Mode::Rail));
    let mut ferry = RawEdge::new(0, 3, 600_000, Mode::Ferry);
    ferry.element = Some(1);
    raw.edges.push(ferry);
    let mut plain = RawEdge::new(4, 5, 85_000, Mode::Rail);
    plain.flags = ARC_FLAG_CUSTOMS_BORDER;
    raw.edges.push(plain);
    Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap()
}

fn tail_of(net: &Network, a: usize) -> NodeId {
    let first = net.first_out();
    NodeId((first.partition_point(|&x| x as usize <= a) - 1) as u32)
}

#[test]
fn weights_match_arc_impacts_with_curated_figures() {
    let net = network();
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Ferry]));
    for objective in [Objective::Time, Objective::Cost, Objective::Co2] {
        let w = metric::weights(&net, &pricing, objective, &filter);
        for (a, &wa) in w.iter().enumerate() {
            let (t, e, _) = arc_impact(&net, &pricing, tail_of(&net, a), a);
            let expect = objective.weight(&(t + e), net.arc_length_m()[a] as f64);
            assert!(
                (wa as f64 - expect).abs() <= 1.0,
                "{objective:?} arc {a}: weight {wa}, impact {expect}"
            );
        }
    }
    let feu = Cargo::Feu(1.0);
    for a in 0..net.arc_count() {
        let (t, e, _) = arc_impact(&net, &pricing, tail_of(&net, a), a);
        let head = net.arc_head()[a];
        let tail = tail_of(&net, a).0;
        let length = net.arc_length_m()[a] as f64;
        match (tail.min(head), tail.max(head)) {
            // The curated crossing: its 5 h dwell, the default fee.
            (1, 2) => {
                assert_eq!(e.time_h, 5.0);
                assert_eq!(e.cost_usd, model.border(Mode::Rail, &feu).cost_usd);
            }
            // A crossing without a record: the defaults.
            (4, 5) => assert_eq!(e, model.border(Mode::Rail, &feu)),
            // The curated ferry: 10 h sailing + 2 h wait, cost by distance.
            (0, 3) => {
                assert_eq!(t.time_h, 12.0);
                assert_eq!(
                    t.cost_usd,
                    model.transport(Mode::Ferry, length, &feu).cost_usd
                );
            }
            _ => assert_eq!(e.time_h, 0.0),
        }
    }
}

#[test]
fn explained_routes_name_the_curated_records_and_their_figures() {
    let net = network();
    let model = CostModel::defaults();
    let gazetteer = Gazetteer::new(Vec::new());
    let request = |modes: &[Mode]| Request {
        from: at(&net, 0),
        to: at(&net, 3),
        via_places: Vec::new(),
        via_passage: None,
        filter: Filter::new(ModeSet::of(modes)),
        objective: Objective::Time,
        pricing: Pricing {
            model: &model,
            cargo: Cargo::Feu(1.0),
        },
        constraints: String::new(),
    };
    let rail = silkroute_route::best_route(&net, &gazetteer, &request(&[Mode::Rail])).unwrap();
    assert_eq!(rail.border_crossings.len(), 1);
    let b = &rail.border_crossings[0];
    assert_eq!(b.curated.as_ref().unwrap().id, "border-x");
    assert!(b.name.contains("BORDER-X"), "{}", b.name);
    assert_eq!(b.dwell_h, 5.0);
    assert_eq!(
        b.fee_usd,
        model.border(Mode::Rail, &Cargo::Feu(1.0)).cost_usd
    );
    let ferry = silkroute_route::best_route(&net, &gazetteer, &request(&[Mode::Ferry])).unwrap();
    let leg = ferry.legs.iter().find(|l| l.mode == Mode::Ferry).unwrap();
    let s = leg.sailing.as_ref().unwrap();
    assert_eq!((s.crossing_h, s.wait_h), (10.0, 2.0));
    assert_eq!(s.curated.as_ref().unwrap().id, "ferry-y");
    assert_eq!(leg.impact.time_h, 12.0);
}

#[test]
fn all_criteria_matrices_price_curated_arcs_as_routes_do() {
    // The companion sums take the curated dwell and ferry figures from the
    // same arc weights the search uses, and TTW from `arc_impact`: every
    // cell as the optimal path's, within rounding of the priced path.
    let net = std::sync::Arc::new(common::with_hierarchies(network()));
    let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    let mut checked = common::Checked::default();
    for modes in [
        &[Mode::Rail, Mode::Ferry][..],
        &[Mode::Rail],
        &[Mode::Ferry],
    ] {
        let filter = Filter::new(ModeSet::of(modes));
        for objective in Objective::ALL {
            let sets: Vec<_> = (0..net.node_count() as u32)
                .map(|v| {
                    silkroute_route::snap::candidates(&net, net.pos(NodeId(v)), &filter)
                        .into_iter()
                        .map(|c| {
                            let a = metric::access_cost(&pricing, objective, c.distance_m);
                            (c, a)
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let ctx = format!("{objective:?} {}", ModeSet::of(modes));
            common::check_all_criteria(
                &ctx,
                &engine,
                (objective, &filter, &pricing),
                &sets,
                &sets,
                &mut checked,
            );
        }
    }
    assert!(checked.unique >= 60, "{checked:?}");
}
