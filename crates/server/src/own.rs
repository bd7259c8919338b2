//! silkroute's own questions over HTTP, answered with the same JSON the
//! CLI prints (the API's answer types): `POST /api/route` (best route,
//! alternatives or the Pareto set, with objective, cargo, cost model,
//! avoid, via and corridor), `POST /api/matrix` (every criterion),
//! `POST /api/reach`, `GET /api/scenarios`, `POST /api/scenario/{name}`
//! (a named scenario, or one written in the body, compared before and
//! after over posted pairs), `POST /api/criticality`, `GET /api/corridors`,
//! `GET /api/inspect`, and `GET /api/places?q=` (suggestions as a user
//! types). Bodies are JSON; unknown fields are refused, so a typo is an
//! error rather than a silent default.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use silkroute_api::compare::CompareRequest;
use silkroute_api::criticality::CriticalityRequest;
use silkroute_api::od::{self, OdSet, PairRow};
use silkroute_api::service::Want;
use silkroute_api::{
    Constraints, MatrixRequest, Objective, ReachRequest, RouteRequest, Shipment, parse,
};

use crate::reply::{Failure, Reply, ok};
use crate::{Shared, blocking};

/// A JSON body, or `InvalidQuery` saying what is wrong with it.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Failure> {
    serde_json::from_slice(bytes).map_err(|e| {
        Failure::invalid_query(format!(
            "the request body is not valid JSON for this endpoint: {e}"
        ))
    })
}

fn default_modes() -> String {
    "rail,road,sea,air,ferry".into()
}
fn surface() -> String {
    "rail,road,sea,ferry".into()
}
fn time() -> String {
    "time".into()
}
fn cost() -> String {
    "cost".into()
}
fn feu() -> String {
    "feu".into()
}

fn shipment(cargo: &str, cost_model: &Option<String>) -> Result<Shipment, Failure> {
    Ok(Shipment::parse(
        cargo,
        cost_model.as_deref().map(|t| ("cost_model", t)),
    )?)
}

fn geojson_wanted(format: &Option<String>) -> Result<bool, Failure> {
    match format.as_deref() {
        None | Some("json") => Ok(false),
        Some("geojson") => Ok(true),
        Some(f) => Err(Failure::invalid_value(format!(
            "format {f:?}: choose json or geojson"
        ))),
    }
}

/// `GET /health`: up, and which data it serves.
#[utoipa::path(get, path = "/health", tag = "silkroute",
    summary = "Up, and which network it serves",
    responses(
        (status = 200, description = "status, node and arc counts, data_version", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn health(State(state): State<Shared>) -> Reply {
    let net = state.service.net();
    Ok(ok(
        json!({"status": "ok", "nodes": net.node_count(), "arcs": net.arc_count()}),
        &state.data_version,
    ))
}

/// Anything else: OSRM's `InvalidUrl`-style answer in the API's codes.
pub async fn not_found(uri: Uri) -> Failure {
    Failure {
        status: axum::http::StatusCode::NOT_FOUND,
        code: "InvalidQuery",
        message: format!(
            "no endpoint {} (see /openapi.json: /route/v1, /table/v1, /nearest/v1, /api/...)",
            uri.path()
        ),
        retry_after_s: None,
    }
}

/// `GET /api/places?q=TEXT&limit=N`.
#[utoipa::path(get, path = "/api/places", tag = "silkroute",
    summary = "Places matching what a user is typing",
    params(
        ("q" = String, Query, description = "What the user typed so far"),
        ("limit" = Option<u32>, Query, description = "1 to 50 (10)"),
    ),
    responses(
        (status = 200, description = "Suggestions: text that resolves, name, kind, country, lat, lon", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn places(
    State(state): State<Shared>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let Query(q) = q.map_err(crate::reply::rejected)?;
    let text = q.get("q").cloned().unwrap_or_default();
    let limit = match q.get("limit") {
        None => 10,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| {
                Failure::invalid_value(format!("limit={v:?}: write a number from 1 to 50"))
            })?,
    };
    let found = blocking(&state, move |s, _| Ok(s.suggest(&text, limit))).await?;
    Ok(ok(
        json!({"code": "Ok", "places": found}),
        &state.data_version,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteBody {
    from: String,
    to: String,
    #[serde(default = "default_modes")]
    modes: String,
    #[serde(default = "time")]
    optimize: String,
    #[serde(default)]
    avoid: Vec<String>,
    #[serde(default)]
    via: Vec<String>,
    /// Ship class of the sea legs (feeder, panamax, post-panamax,
    /// neopanamax, ulcv); without it the trade lane's default class.
    #[serde(default)]
    vessel: Option<String>,
    #[serde(default)]
    corridor: Option<String>,
    /// The Pareto set instead of one route.
    #[serde(default)]
    pareto: bool,
    #[serde(default)]
    pareto_epsilon: Option<f64>,
    /// Up to this many meaningfully different routes.
    #[serde(default)]
    alternatives: Option<usize>,
    #[serde(default)]
    format: Option<String>,
    /// What is shipped: feu, teu, 2feu, tonnes:12.5.
    #[serde(default = "feu")]
    cargo: String,
    /// A cost model's TOML overrides (the layout of data/cost_model.toml).
    #[serde(default)]
    cost_model: Option<String>,
    /// The longest first or last mile, km (default per mode: 150 km for
    /// land and ferry networks, 500 km for sea and air).
    #[serde(default)]
    max_join_km: Option<f64>,
}

/// `POST /api/route`.
#[utoipa::path(post, path = "/api/route", tag = "silkroute",
    summary = "The best route, alternatives or the Pareto set (the CLI's route JSON)",
    request_body = RouteBody,
    responses(
        (status = 200, description = "Routes priced and explained, or GeoJSON", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn route(State(state): State<Shared>, bytes: Result<Bytes, BytesRejection>) -> Reply {
    let b: RouteBody = body(&bytes.map_err(crate::reply::rejected)?)?;
    let geo = geojson_wanted(&b.format)?;
    let want = match (b.pareto, b.alternatives) {
        (true, Some(_)) => {
            return Err(Failure::invalid_options(
                "ask for pareto or alternatives, not both",
            ));
        }
        (true, None) => Want::Pareto {
            epsilon: parse::epsilon(
                b.pareto_epsilon
                    .unwrap_or(silkroute_api::service::DEFAULT_EPSILON),
            )?,
        },
        (false, Some(k)) if k == 0 || k > 10 => {
            return Err(Failure::invalid_value("alternatives must be from 1 to 10"));
        }
        (false, Some(k)) => Want::Alternatives(k),
        (false, None) => Want::Best,
    };
    if b.via.len() > state.limits.route_coordinates {
        return Err(Failure::too_big(format!(
            "{} via places; a route takes at most {}",
            b.via.len(),
            state.limits.route_coordinates
        )));
    }
    let req = RouteRequest {
        from: b.from,
        to: b.to,
        constraints: Constraints {
            modes: parse::modes(&b.modes)?,
            avoid: b.avoid,
            via: b.via,
            vessel: b.vessel,
        },
        objective: parse::objective(&b.optimize)?,
        shipment: shipment(&b.cargo, &b.cost_model)?,
        corridor: b.corridor,
        want,
        max_join_km: b.max_join_km,
    };
    let answer = blocking(&state, move |s, stop| Ok(s.route_with(&req, stop)?)).await?;
    let v = if geo {
        answer.geojson()
    } else {
        serde_json::to_value(answer.json()).unwrap_or_default()
    };
    Ok(ok(v, &state.data_version))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixBody {
    /// Places (any form a route's origin accepts).
    origins: Vec<String>,
    destinations: Vec<String>,
    #[serde(default = "default_modes")]
    modes: String,
    #[serde(default = "time")]
    optimize: String,
    #[serde(default)]
    avoid: Vec<String>,
    /// What is shipped: feu, teu, 2feu, tonnes:12.5.
    #[serde(default = "feu")]
    cargo: String,
    /// A cost model's TOML overrides (the layout of data/cost_model.toml).
    #[serde(default)]
    cost_model: Option<String>,
}

/// `POST /api/matrix`.
#[utoipa::path(post, path = "/api/matrix", tag = "silkroute",
    summary = "Time, cost, CO2e and distance between every origin and destination",
    request_body = MatrixBody,
    responses(
        (status = 200, description = "Arrays per criterion", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn matrix(State(state): State<Shared>, bytes: Result<Bytes, BytesRejection>) -> Reply {
    let b: MatrixBody = body(&bytes.map_err(crate::reply::rejected)?)?;
    let n = b.origins.len() + b.destinations.len();
    if n > state.limits.table_coordinates {
        return Err(Failure::too_big(format!(
            "{n} places; a matrix takes at most {}",
            state.limits.table_coordinates
        )));
    }
    let constraints = Constraints {
        modes: parse::modes(&b.modes)?,
        avoid: b.avoid,
        via: Vec::new(),
        vessel: None,
    };
    let objective = parse::objective(&b.optimize)?;
    let shipment = shipment(&b.cargo, &b.cost_model)?;
    let v = blocking(&state, move |s, stop| {
        let req = MatrixRequest {
            origins: od::places_from(&b.origins, "origins", s.gazetteer())?,
            destinations: od::places_from(&b.destinations, "destinations", s.gazetteer())?,
            constraints,
            objective,
            shipment,
        };
        let m = s.matrix(&req, stop)?;
        let mut v = m.json();
        v["closed_places"] = json!(m.closed_places);
        Ok(v)
    })
    .await?;
    Ok(ok(v, &state.data_version))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReachBody {
    from: String,
    within: String,
    #[serde(default = "default_modes")]
    modes: String,
    #[serde(default = "time")]
    optimize: String,
    #[serde(default)]
    avoid: Vec<String>,
    #[serde(default)]
    min_population: Option<u32>,
    #[serde(default)]
    format: Option<String>,
    /// What is shipped: feu, teu, 2feu, tonnes:12.5.
    #[serde(default = "feu")]
    cargo: String,
    /// A cost model's TOML overrides (the layout of data/cost_model.toml).
    #[serde(default)]
    cost_model: Option<String>,
}

/// `POST /api/reach`.
#[utoipa::path(post, path = "/api/reach", tag = "silkroute",
    summary = "Where cargo gets within a budget",
    request_body = ReachBody,
    responses(
        (status = 200, description = "Reached places, or GeoJSON", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn reach(State(state): State<Shared>, bytes: Result<Bytes, BytesRejection>) -> Reply {
    let b: ReachBody = body(&bytes.map_err(crate::reply::rejected)?)?;
    let geo = geojson_wanted(&b.format)?;
    let req = ReachRequest {
        from: b.from,
        within: b.within,
        constraints: Constraints {
            modes: parse::modes(&b.modes)?,
            avoid: b.avoid,
            via: Vec::new(),
            vessel: None,
        },
        objective: parse::objective(&b.optimize)?,
        shipment: shipment(&b.cargo, &b.cost_model)?,
        min_population: b.min_population.unwrap_or(100_000),
    };
    let a = blocking(&state, move |s, _| Ok(s.reach(&req)?)).await?;
    Ok(ok(
        if geo { a.geojson() } else { a.json() },
        &state.data_version,
    ))
}

/// `GET /api/scenarios`: the network's named scenarios and what each
/// changes.
#[utoipa::path(get, path = "/api/scenarios", tag = "silkroute",
    summary = "The named scenarios and what each changes",
    responses(
        (status = 200, description = "Scenarios", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn scenarios(State(state): State<Shared>) -> Reply {
    let list: Vec<Value> = state
        .service
        .catalogue()
        .scenarios
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "name": s.name, "source": s.source, "notes": s.notes,
                "changes": silkroute_api::scenario::describe(s),
            })
        })
        .collect();
    Ok(ok(
        json!({"code": "Ok", "scenarios": list}),
        &state.data_version,
    ))
}

/// A pair as posted.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    from: String,
    to: String,
    #[serde(default)]
    weight: Option<f64>,
}

fn od_set(state: &Shared, pairs: &[Pair], s: &silkroute_api::Service) -> Result<OdSet, Failure> {
    if pairs.len() > state.limits.pairs {
        return Err(Failure::too_big(format!(
            "{} pairs; an analysis takes at most {}",
            pairs.len(),
            state.limits.pairs
        )));
    }
    let rows: Vec<PairRow> = pairs
        .iter()
        .map(|p| PairRow {
            from: p.from.clone(),
            to: p.to.clone(),
            value: p.weight,
        })
        .collect();
    Ok(od::from_rows(&rows, "pairs", s.gazetteer())?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBody {
    pairs: Vec<Pair>,
    #[serde(default = "surface")]
    modes: String,
    #[serde(default = "cost")]
    optimize: String,
    /// Ship class of every pair's sea legs; without it each pair's trade
    /// lane default.
    #[serde(default)]
    vessel: Option<String>,
    /// A scenario of your own in the TOML schema of
    /// data/scenarios/scenarios.toml (one `[[scenario]]` whose id is the
    /// path's name).
    #[serde(default)]
    scenario_toml: Option<String>,
    #[serde(default)]
    format: Option<String>,
    /// What is shipped: feu, teu, 2feu, tonnes:12.5.
    #[serde(default = "feu")]
    cargo: String,
    /// A cost model's TOML overrides (the layout of data/cost_model.toml).
    #[serde(default)]
    cost_model: Option<String>,
}

/// `POST /api/scenario/{name}`.
#[utoipa::path(post, path = "/api/scenario/{name}", tag = "silkroute",
    summary = "A scenario compared with the baseline over posted pairs",
    params(
        ("name" = String, Path, description = "A scenario id (GET /api/scenarios), or the id of the one in scenario_toml"),
    ),
    request_body = ScenarioBody,
    responses(
        (status = 200, description = "Pairs before and after, a summary by country pair, or GeoJSON", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn scenario(
    State(state): State<Shared>,
    name: Result<Path<String>, PathRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Reply {
    let Path(name) = name.map_err(crate::reply::rejected)?;
    let b: ScenarioBody = body(&bytes.map_err(crate::reply::rejected)?)?;
    let geo = geojson_wanted(&b.format)?;
    let scenario = match &b.scenario_toml {
        Some(text) => {
            let list = silkroute_api::scenario::from_toml(text.as_bytes(), "scenario_toml")?;
            silkroute_api::catalogue::find_scenario(&list, &name)?.clone()
        }
        None => state.service.catalogue().scenario(&name)?.clone(),
    };
    let modes = parse::modes(&b.modes)?;
    let objective = parse::objective(&b.optimize)?;
    let shipment = shipment(&b.cargo, &b.cost_model)?;
    let st = state.clone();
    let v = blocking(&state, move |s, stop| {
        let od = od_set(&st, &b.pairs, s)?;
        let cmp = s.compare(
            &CompareRequest {
                scenario,
                od,
                modes,
                objective,
                shipment,
                vessel: b.vessel.clone(),
            },
            stop,
        )?;
        Ok(if geo { cmp.geojson() } else { cmp.json() })
    })
    .await?;
    Ok(ok(v, &state.data_version))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriticalityBody {
    pairs: Vec<Pair>,
    #[serde(default = "elements")]
    elements: String,
    #[serde(default)]
    top: Option<usize>,
    #[serde(default = "surface")]
    modes: String,
    #[serde(default = "cost")]
    optimize: String,
    #[serde(default)]
    weight_unit: Option<String>,
    /// Pairs without values weigh 1 instead of by the gravity model.
    #[serde(default)]
    unit_weights: bool,
    #[serde(default)]
    format: Option<String>,
    /// What is shipped: feu, teu, 2feu, tonnes:12.5.
    #[serde(default = "feu")]
    cargo: String,
    /// A cost model's TOML overrides (the layout of data/cost_model.toml).
    #[serde(default)]
    cost_model: Option<String>,
}

fn elements() -> String {
    "passages,crossings,ports,terminals,ferries,links".into()
}

/// `POST /api/criticality`.
#[utoipa::path(post, path = "/api/criticality", tag = "silkroute",
    summary = "Elements ranked by the loss their failure causes over posted pairs",
    request_body = CriticalityBody,
    responses(
        (status = 200, description = "The ranking, or GeoJSON", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn criticality(
    State(state): State<Shared>,
    bytes: Result<Bytes, BytesRejection>,
) -> Reply {
    let b: CriticalityBody = body(&bytes.map_err(crate::reply::rejected)?)?;
    let geo = geojson_wanted(&b.format)?;
    let kinds = silkroute_api::criticality::parse_kinds(&b.elements)?;
    let modes = parse::modes(&b.modes)?;
    let objective = parse::objective(&b.optimize)?;
    let shipment = shipment(&b.cargo, &b.cost_model)?;
    let st = state.clone();
    let v = blocking(&state, move |s, stop| {
        let od = od_set(&st, &b.pairs, s)?;
        let report = s.criticality(
            &CriticalityRequest {
                od,
                kinds,
                top: b.top.unwrap_or(20),
                modes,
                objective,
                shipment,
                weight_unit: b.weight_unit.unwrap_or_else(|| "pair".into()),
                unit_weights: b.unit_weights,
            },
            stop,
        )?;
        Ok(if geo {
            report.geojson(s.net())
        } else {
            report.json(s.net())
        })
    })
    .await?;
    Ok(ok(v, &state.data_version))
}

/// `GET /api/corridors?optimize=time&cargo=feu&format=json|geojson`.
#[utoipa::path(get, path = "/api/corridors", tag = "silkroute",
    summary = "The Belt and Road corridors with the engine's figures beside the published ones",
    params(
        ("optimize" = Option<String>, Query, description = "time|cost|co2|distance"),
        ("cargo" = Option<String>, Query, description = "feu, teu, tonnes:12.5"),
        ("format" = Option<String>, Query, description = "json|geojson"),
    ),
    responses(
        (status = 200, description = "Corridors", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn corridors(
    State(state): State<Shared>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Reply {
    let Query(q) = q.map_err(crate::reply::rejected)?;
    for k in q.keys() {
        if !["optimize", "cargo", "format"].contains(&k.as_str()) {
            return Err(Failure::invalid_options(format!(
                "unknown option {k:?} (accepted: cargo, format, optimize)"
            )));
        }
    }
    let objective: Objective = parse::objective(q.get("optimize").map_or("time", String::as_str))?;
    let shipment = shipment(q.get("cargo").map_or("feu", String::as_str), &None)?;
    let geo = geojson_wanted(&q.get("format").cloned())?;
    let v = blocking(&state, move |s, _| {
        let rows = s.corridors(objective, &shipment);
        Ok(if geo {
            silkroute_api::service::corridors_geojson(&rows)
        } else {
            silkroute_api::service::corridors_json(&rows, objective, &shipment.cargo.label())
        })
    })
    .await?;
    Ok(ok(v, &state.data_version))
}

/// `GET /api/inspect`: what the network holds.
#[utoipa::path(get, path = "/api/inspect", tag = "silkroute",
    summary = "What the network holds per mode, and its rail islands",
    responses(
        (status = 200, description = "The inventory", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn inspect(State(state): State<Shared>) -> Reply {
    let v = blocking(&state, |s, _| Ok(silkroute_api::inspect::report(s.net())?)).await?;
    Ok(ok(v, &state.data_version))
}
