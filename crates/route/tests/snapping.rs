//! Snapping joins a point where it connects, on tiny maps drawn below.

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::{Network, RawEdge, RawNetwork, RawNode, compile};
use silkroute_model::{LatLon, Mode, ModeSet, NoProgress};
use silkroute_route::Filter;
use silkroute_route::places::{Gazetteer, ResolvedPlace};
use silkroute_route::{Objective, Pricing, Request, Route, RouteError, best_route};

fn shortest_route(
    net: &Network,
    from: &ResolvedPlace,
    to: &ResolvedPlace,
    filter: &Filter,
    g: &Gazetteer,
) -> Result<Route, RouteError> {
    let model = CostModel::defaults();
    let req = Request {
        from: from.clone(),
        to: to.clone(),
        via_places: Vec::new(),
        via_passage: None,
        filter: filter.clone(),
        objective: Objective::Distance,
        pricing: Pricing {
            model: &model,
            cargo: Cargo::Feu(1.0),
        },
        constraints: String::new(),
    };
    best_route(net, g, &req)
}

fn point(lat: f64, lon: f64) -> ResolvedPlace {
    ResolvedPlace {
        query: format!("{lat},{lon}"),
        name: format!("{lat},{lon}"),
        code: String::new(),
        country: String::new(),
        kind: None,
        pos: LatLon::new(lat, lon),
        note: None,
    }
}

fn network(nodes: &[(f64, f64)], edges: &[(u32, u32, Mode)]) -> Network {
    let mut raw = RawNetwork::default();
    for (lat, lon) in nodes {
        raw.add_node(RawNode::junction(*lat, *lon));
    }
    for (a, b, m) in edges {
        let d =
            silkroute_model::haversine_m(raw.nodes[*a as usize].pos, raw.nodes[*b as usize].pos);
        raw.edges.push(RawEdge::new(*a, *b, d.round() as u32, *m));
    }
    Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap()
}

fn model_circuity() -> f64 {
    CostModel::defaults().drayage.road_circuity
}

/// ```text
///   m0 ───────────────────────────── m1 ── D      main line, 5 km north of O
///
///   O  i0─i1                                       island 0.5 km east of O
/// ```
#[test]
fn joins_the_main_line_not_the_island_next_door() {
    let net = network(
        &[(0.045, 0.0), (0.045, 1.0), (0.0, 0.0045), (0.0, 0.009)],
        &[(0, 1, Mode::Rail), (2, 3, Mode::Rail)],
    );
    let g = Gazetteer::new(Vec::new());
    let rail = Filter::new(ModeSet::of(&[Mode::Rail]));
    let route = shortest_route(&net, &point(0.0, 0.0), &point(0.045, 1.0), &rail, &g).unwrap();
    assert!(
        (route.origin.snap_m - 5_004.0).abs() < 10.0,
        "{}",
        route.origin.snap_m
    );
    assert!(
        (route.network_m() - 111_195.0 * 0.99999).abs() < 200.0,
        "{}",
        route.network_m()
    );
    // The 5 km join is a road drayage leg, in the distance and the totals.
    let first = &route.legs[0];
    assert!(first.drayage && first.mode == Mode::Road);
    let road = route.origin.snap_m * model_circuity();
    assert!(
        (first.distance_m - road).abs() < 1e-6,
        "{}",
        first.distance_m
    );
    assert!((route.distance_m - route.network_m() - road).abs() < 1e-6);
    assert_eq!(route.notes.len(), 1);
    assert!(route.notes[0].contains("2 nodes"), "{}", route.notes[0]);
}

/// Two lines that never meet: the answer says where each end joins.
#[test]
fn disconnected_ends_are_explained() {
    let net = network(
        &[(0.0, 0.0), (0.0, 1.0), (20.0, 0.0), (20.0, 1.0)],
        &[(0, 1, Mode::Rail), (2, 3, Mode::Rail)],
    );
    let g = Gazetteer::new(Vec::new());
    let rail = Filter::new(ModeSet::of(&[Mode::Rail]));
    match shortest_route(&net, &point(0.0, 0.0), &point(20.0, 1.0), &rail, &g) {
        Err(RouteError::NotConnected(text)) => {
            assert!(
                text.contains("component #0") && text.contains("component #1"),
                "{text}"
            );
            assert!(!text.contains('\n'));
        }
        other => panic!("{other:?}"),
    }
}

/// A mode the network lacks is a clear error, not an empty route.
#[test]
fn a_missing_mode_is_reported() {
    let net = network(&[(0.0, 0.0), (0.0, 1.0)], &[(0, 1, Mode::Rail)]);
    let g = Gazetteer::new(Vec::new());
    let air = Filter::new(ModeSet::of(&[Mode::Air]));
    assert!(matches!(
        shortest_route(&net, &point(0.0, 0.0), &point(0.0, 1.0), &air, &g),
        Err(RouteError::NoNetwork { .. })
    ));
}

/// Transfers connect modes only when both are allowed:
///
/// ```text
///   r0 ── r1 ⇄ s0 ── s1      rail then sea, joined by a transfer at r1/s0
/// ```
#[test]
fn transfers_need_both_modes() {
    let mut raw = RawNetwork::default();
    for (lat, lon) in [(0.0, 0.0), (0.0, 1.0), (0.0, 1.001), (0.0, 3.0)] {
        raw.add_node(RawNode::junction(lat, lon));
    }
    raw.edges.push(RawEdge::new(0, 1, 111_195, Mode::Rail));
    let mut t = RawEdge::new(1, 2, 111, Mode::Transfer);
    t.joins = ModeSet::of(&[Mode::Rail, Mode::Sea]);
    raw.edges.push(t);
    raw.edges.push(RawEdge::new(2, 3, 222_280, Mode::Sea));
    let net = Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap();
    let g = Gazetteer::new(Vec::new());
    let both = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Sea]));
    let route = shortest_route(&net, &point(0.0, 0.0), &point(0.0, 3.0), &both, &g).unwrap();
    let modes: Vec<Mode> = route.legs.iter().map(|l| l.mode).collect();
    assert_eq!(modes, [Mode::Rail, Mode::Transfer, Mode::Sea]);
    assert_eq!(route.distance_m, 111_195.0 + 111.0 + 222_280.0);
    let rail_only = Filter::new(ModeSet::of(&[Mode::Rail]));
    let r = shortest_route(&net, &point(0.0, 0.0), &point(0.0, 3.0), &rail_only, &g).unwrap();
    // Rail only: the destination must walk from the rail end, 2 degrees away.
    assert!(r.destination.snap_m > 200_000.0);
}

/// ```text
///   a ─── b ─── c ─── d        one rail line west to east
///   [  closed  ]               the constraints close a and b
///   O (at a)            D (at d)
/// ```
/// A start inside what the constraints close is an error from the library
/// itself, not only from a shell: joining O at the nearest open node (c)
/// would cross the closure unseen (Almaty with Kazakhstan avoided once
/// started 69 km away in Kyrgyzstan).
#[test]
fn a_start_inside_a_closed_area_is_an_error_from_the_library() {
    let net = network(
        &[(0.0, 0.0), (0.0, 0.1), (0.0, 0.2), (0.0, 0.3)],
        &[(0, 1, Mode::Rail), (1, 2, Mode::Rail), (2, 3, Mode::Rail)],
    );
    let g = Gazetteer::new(Vec::new());
    let mut filter = Filter::new(ModeSet::of(&[Mode::Rail]));
    filter.close_nodes(&net, |v| v.0 < 2);
    let r = shortest_route(&net, &point(0.0, 0.0), &point(0.0, 0.3), &filter, &g);
    assert!(
        matches!(r, Err(RouteError::PlaceClosed { role: "start", .. })),
        "{r:?}"
    );
    // Outside the closure the same filter routes.
    let r = shortest_route(&net, &point(0.0, 0.2), &point(0.0, 0.3), &filter, &g);
    assert!(r.is_ok(), "{r:?}");
}
