//! `silkroute._core`: the Python shell over `silkroute-api`, as thin as the
//! CLI. It turns Python values into the API's request types, calls one
//! `Service` method with the GIL released (`py.detach`), and hands back the
//! API's own JSON (as text, which `python/silkroute` turns into dicts and
//! DataFrames) or, for matrices, the cells as packed `f64` columns. No
//! domain rule lives here: parsing is `silkroute_api::parse`, rounding is
//! `silkroute_api::json`, and errors are the API's codes, each mapped to
//! one Python exception class in [`error`].

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use silkroute_api::bri_impact::BriImpactRequest;
use silkroute_api::compare::CompareRequest;
use silkroute_api::criticality::CriticalityRequest;
use silkroute_api::flow::{FlowRequest, VolumeUnit};
use silkroute_api::od::{self, PairRow};
use silkroute_api::store::{self, NetworkSource};
use silkroute_api::{
    Constraints, Error, FlowMethod, MatrixAnswer, MatrixRequest, ModeSet, Objective, ReachRequest,
    RouteRequest, RoutesAnswer, Scenario, Service as ApiService, ServiceOptions, Shipment, Want,
    parse,
};

/// Exceptions: `SilkrouteError` and one subclass per API error code.
mod error {
    use pyo3::exceptions::PyException;
    use pyo3::prelude::*;
    use silkroute_api::{Code, Error};

    pyo3::create_exception!(
        silkroute,
        SilkrouteError,
        PyException,
        "A silkroute error; `code` is the API's error code."
    );
    pyo3::create_exception!(
        silkroute,
        InvalidQuery,
        SilkrouteError,
        "The request is malformed."
    );
    pyo3::create_exception!(
        silkroute,
        InvalidValue,
        SilkrouteError,
        "A value is out of range or unknown."
    );
    pyo3::create_exception!(
        silkroute,
        InvalidOptions,
        SilkrouteError,
        "An option is not understood or not allowed here."
    );
    pyo3::create_exception!(
        silkroute,
        NoSegment,
        SilkrouteError,
        "A place could not be joined to the network."
    );
    pyo3::create_exception!(
        silkroute,
        NoRoute,
        SilkrouteError,
        "No route satisfies the request."
    );
    pyo3::create_exception!(
        silkroute,
        TooBig,
        SilkrouteError,
        "The request asks for more than the documented limits."
    );
    pyo3::create_exception!(
        silkroute,
        Cancelled,
        SilkrouteError,
        "The work was stopped."
    );
    pyo3::create_exception!(
        silkroute,
        Internal,
        SilkrouteError,
        "Damaged files, failed writes, bugs."
    );

    /// The one mapping from the API's codes to Python classes.
    pub fn class(py: Python<'_>, code: Code) -> Bound<'_, pyo3::types::PyType> {
        match code {
            Code::InvalidQuery => py.get_type::<InvalidQuery>(),
            Code::InvalidValue => py.get_type::<InvalidValue>(),
            Code::InvalidOptions => py.get_type::<InvalidOptions>(),
            Code::NoSegment => py.get_type::<NoSegment>(),
            Code::NoRoute => py.get_type::<NoRoute>(),
            Code::TooBig => py.get_type::<TooBig>(),
            Code::Cancelled => py.get_type::<Cancelled>(),
            Code::Internal => py.get_type::<Internal>(),
        }
    }

    pub fn to_py(e: Error) -> PyErr {
        Python::attach(|py| match class(py, e.code).call1((e.message.clone(),)) {
            Ok(instance) => PyErr::from_value(instance),
            Err(err) => err,
        })
    }

    pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = m.py();
        let base = py.get_type::<SilkrouteError>();
        base.setattr("code", "Error")?;
        m.add("SilkrouteError", base)?;
        for code in Code::ALL {
            let c = class(py, code);
            c.setattr("code", code.as_str())?;
            m.add(code.as_str(), c)?;
        }
        Ok(())
    }
}

type Result<T> = std::result::Result<T, Error>;

fn py_err(e: Error) -> PyErr {
    error::to_py(e)
}

/// Notes (a cache being built) go to standard error, like the CLI's.
struct Notes;

impl silkroute_api::Progress for Notes {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn note(&self, text: &str) {
        eprintln!("silkroute: {text}");
    }
}

/// Cargo and cost model, as `--cargo` and `--cost-model FILE` give them.
fn shipment(cargo: &str, cost_model: Option<&PathBuf>) -> Result<Shipment> {
    match cost_model {
        None => Shipment::parse(cargo, None),
        Some(path) => {
            let text = silkroute_api::input::read_to_string(
                path,
                "a TOML cost-model file (see docs/COST_MODEL.md)",
            )?;
            Shipment::parse(cargo, Some((&path.display().to_string(), &text)))
        }
    }
}

fn text(v: &serde_json::Value) -> String {
    v.to_string()
}

/// A scenario given as a dict (JSON text, in the schema of
/// `data/scenarios/scenarios.toml`), checked by the API exactly as a file
/// of them is.
fn scenario_from_json(json: &str) -> Result<Scenario> {
    let value: toml::Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid_value(format!("scenario dict: {e}")))?;
    let mut file = toml::Table::new();
    file.insert("scenario".into(), toml::Value::Array(vec![value]));
    let toml_text =
        toml::to_string(&file).map_err(|e| Error::invalid_value(format!("scenario dict: {e}")))?;
    let mut list = silkroute_api::scenario::from_toml(toml_text.as_bytes(), "scenario dict")?;
    list.pop()
        .ok_or_else(|| Error::invalid_value("scenario dict: empty"))
}

fn pairs_od(service: &ApiService, pairs: Vec<(String, String, Option<f64>)>) -> Result<od::OdSet> {
    let rows: Vec<PairRow> = pairs
        .into_iter()
        .map(|(from, to, value)| PairRow { from, to, value })
        .collect();
    od::from_rows(&rows, "od", service.gazetteer())
}

fn places(
    service: &ApiService,
    texts: &[String],
    labels: Option<Vec<String>>,
    source: &str,
) -> Result<Vec<silkroute_api::OdPlace>> {
    let mut out = od::places_from(texts, source, service.gazetteer())?;
    if let Some(labels) = labels {
        if labels.len() != out.len() {
            return Err(Error::invalid_query(format!(
                "{source}: {} labels for {} places",
                labels.len(),
                out.len()
            )));
        }
        for (p, l) in out.iter_mut().zip(labels) {
            p.label = l;
        }
    }
    Ok(out)
}

/// The API's route request for `Service.route`'s arguments (and for the
/// benchmark's timing of the same request, [`Service::time_route_ms`]).
#[allow(clippy::too_many_arguments)]
fn route_request(
    from: String,
    to: String,
    modes: &str,
    optimize: &str,
    cargo: &str,
    avoid: Vec<String>,
    via: Vec<String>,
    corridor: Option<String>,
    want: &str,
    k: usize,
    epsilon: f64,
    cost_model: Option<&PathBuf>,
) -> Result<RouteRequest> {
    let want = match want {
        "best" => Want::Best,
        "alternatives" => Want::Alternatives(k),
        "pareto" => Want::Pareto { epsilon },
        other => {
            return Err(Error::invalid_options(format!(
                "unknown answer kind {other:?} (best, alternatives, pareto)"
            )));
        }
    };
    Ok(RouteRequest {
        from,
        to,
        constraints: Constraints {
            modes: parse::modes(modes)?,
            avoid,
            via,
            vessel: None,
        },
        objective: parse::objective(optimize)?,
        shipment: shipment(cargo, cost_model)?,
        corridor,
        want,
        max_join_km: None,
    })
}

/// The API's matrix request for `Service.matrix`'s arguments, its places
/// resolved here (as every call does).
#[allow(clippy::too_many_arguments)]
fn matrix_request(
    service: &ApiService,
    origins: &[String],
    destinations: &[String],
    origin_labels: Option<Vec<String>>,
    destination_labels: Option<Vec<String>>,
    modes: &str,
    optimize: &str,
    cargo: &str,
    avoid: Vec<String>,
    cost_model: Option<&PathBuf>,
) -> Result<MatrixRequest> {
    Ok(MatrixRequest {
        origins: places(service, origins, origin_labels, "origins")?,
        destinations: places(service, destinations, destination_labels, "destinations")?,
        constraints: Constraints {
            modes: parse::modes(modes)?,
            avoid,
            via: Vec::new(),
            vessel: None,
        },
        objective: parse::objective(optimize)?,
        shipment: shipment(cargo, cost_model)?,
    })
}

/// Wall time of `f`, in ms.
fn time_ms(f: impl FnOnce()) -> f64 {
    let t = std::time::Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

/// A matrix's origin and destination labels, metadata and packed cells.
type MatrixOut<'py> = (Vec<String>, Vec<String>, String, Bound<'py, PyBytes>);

/// A path end: place, lat, lon, join km.
type PathEndOut = (String, f64, f64, f64);

/// A path's value, unit, km, ends and packed nodes.
type PathOut<'py> = (
    f64,
    String,
    f64,
    PathEndOut,
    PathEndOut,
    Bound<'py, PyBytes>,
);

/// A route's hours, USD, kg CO2e (WTW, TTW) and km, as its JSON rounds them.
type Totals = (f64, f64, f64, f64, f64);

/// The answer of one route question; its JSON and GeoJSON are made on
/// demand.
#[pyclass(frozen, module = "silkroute._core")]
struct RouteAnswer {
    answer: RoutesAnswer,
}

#[pymethods]
impl RouteAnswer {
    /// The API's JSON of the answer (`RoutesAnswer::json`), as text.
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| serde_json::to_string(&self.answer.json()))
            .map_err(|e| py_err(Error::internal(e.to_string())))
    }

    /// The API's GeoJSON FeatureCollection of every route (legs, border
    /// crossings, ends), as text.
    fn geojson(&self, py: Python<'_>) -> String {
        py.detach(|| text(&self.answer.geojson()))
    }
}

/// An opened network and its engine (`silkroute_api::Service`).
#[pyclass(frozen, module = "silkroute._core")]
struct Service {
    inner: Arc<ApiService>,
    path: PathBuf,
    hierarchy: bool,
}

#[pymethods]
impl Service {
    /// Opens a network file, or the default cache (built on first use).
    /// With `hierarchy=False` every search is plain Dijkstra, as the CLI
    /// answers one route (`ServiceOptions::one_shot`).
    #[staticmethod]
    #[pyo3(signature = (path=None, hierarchy=true))]
    fn open(py: Python<'_>, path: Option<PathBuf>, hierarchy: bool) -> PyResult<Service> {
        py.detach(|| {
            let (source, file) = match path {
                Some(p) => (NetworkSource::File(p.clone()), p),
                None => (NetworkSource::Default, store::default_path()),
            };
            let options = if hierarchy {
                ServiceOptions::default()
            } else {
                ServiceOptions::one_shot()
            };
            let service = ApiService::open(&source, options, &Notes)?;
            Ok(Service {
                inner: Arc::new(service),
                path: file,
                hierarchy,
            })
        })
        .map_err(py_err)
    }

    /// Builds a network file from the embedded data (or a `data/`-like
    /// directory); returns what was written, as JSON text.
    #[staticmethod]
    #[pyo3(signature = (out, data=None))]
    fn build(py: Python<'_>, out: PathBuf, data: Option<PathBuf>) -> PyResult<String> {
        py.detach(|| {
            let sources = store::sources(data.as_deref())?;
            let stats = store::build(&sources, &out, &Notes)?;
            Ok(text(&serde_json::json!({
                "path": stats.path.display().to_string(),
                "nodes": stats.nodes,
                "arcs": stats.arcs,
                "bytes": stats.bytes,
                "seconds": stats.seconds,
            })))
        })
        .map_err(py_err)
    }

    /// The default cache file's path.
    #[staticmethod]
    fn default_path() -> String {
        store::default_path().display().to_string()
    }

    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    #[getter]
    fn hierarchy(&self) -> bool {
        self.hierarchy
    }

    fn data_version(&self) -> String {
        self.inner.data_version()
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (from_, to, modes, optimize, cargo, avoid, via, corridor, want, k, epsilon, cost_model))]
    fn route(
        &self,
        py: Python<'_>,
        from_: String,
        to: String,
        modes: String,
        optimize: String,
        cargo: String,
        avoid: Vec<String>,
        via: Vec<String>,
        corridor: Option<String>,
        want: String,
        k: usize,
        epsilon: f64,
        cost_model: Option<PathBuf>,
    ) -> PyResult<(Vec<Totals>, RouteAnswer)> {
        let service = &self.inner;
        py.detach(|| {
            let req = route_request(
                from_,
                to,
                &modes,
                &optimize,
                &cargo,
                avoid,
                via,
                corridor,
                &want,
                k,
                epsilon,
                cost_model.as_ref(),
            )?;
            let answer = service.route(&req)?;
            // Totals now; the whole JSON when Python first asks for it.
            let totals = answer
                .routes
                .iter()
                .map(|r| {
                    let (i, km) = silkroute_api::json::route_totals(r);
                    (i.duration_h, i.cost_usd, i.co2e_kg, i.co2e_kg_ttw, km)
                })
                .collect();
            Ok((totals, RouteAnswer { answer }))
        })
        .map_err(py_err)
    }

    /// Every origin to every destination. Returns the origins' and
    /// destinations' labels, the answer's metadata as JSON text and the
    /// cells as 4 × n little-endian `f64` (hours, USD, kg CO2e, km,
    /// row-major per block; NaN = unreachable).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (origins, destinations, origin_labels, destination_labels, modes, optimize, cargo, avoid, cost_model))]
    fn matrix<'py>(
        &self,
        py: Python<'py>,
        origins: Vec<String>,
        destinations: Vec<String>,
        origin_labels: Option<Vec<String>>,
        destination_labels: Option<Vec<String>>,
        modes: String,
        optimize: String,
        cargo: String,
        avoid: Vec<String>,
        cost_model: Option<PathBuf>,
    ) -> PyResult<MatrixOut<'py>> {
        let service = &self.inner;
        let (ids, meta, blob) = py
            .detach(|| {
                let req = matrix_request(
                    service,
                    &origins,
                    &destinations,
                    origin_labels,
                    destination_labels,
                    &modes,
                    &optimize,
                    &cargo,
                    avoid,
                    cost_model.as_ref(),
                )?;
                let a = service.matrix(&req, &silkroute_api::NoProgress)?;
                let n = a.cells.len();
                let mut cols = vec![f64::NAN; 4 * n];
                for (i, c) in a.cells.iter().enumerate() {
                    if let Some(c) = c {
                        let v = MatrixAnswer::values(c);
                        for (k, x) in v.iter().enumerate() {
                            cols[k * n + i] = *x;
                        }
                    }
                }
                let mut blob = Vec::with_capacity(cols.len() * 8);
                for x in cols {
                    blob.extend_from_slice(&x.to_le_bytes());
                }
                let ids = |v: &[silkroute_api::OdPlace]| -> Vec<String> {
                    v.iter().map(|p| p.label.clone()).collect()
                };
                let meta = serde_json::json!({
                    "code": "Ok",
                    "objective": a.objective.as_str(),
                    "cargo": a.cargo,
                    "modes": a.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                    "constraints": a.constraints,
                    "closed_places": a.closed_places,
                });
                Ok(((ids(&a.origins), ids(&a.destinations)), text(&meta), blob))
            })
            .map_err(py_err)?;
        Ok((ids.0, ids.1, meta, PyBytes::new(py, &blob)))
    }

    /// The shortest path alone (`Service::path`): the objective's value
    /// and unit, km, both ends as (place, lat, lon, join km), and the
    /// path's nodes as 2 × n little-endian `f64` (lons, then lats).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (from_, to, modes, optimize, cargo, avoid, cost_model))]
    fn shortest_path<'py>(
        &self,
        py: Python<'py>,
        from_: String,
        to: String,
        modes: String,
        optimize: String,
        cargo: String,
        avoid: Vec<String>,
        cost_model: Option<PathBuf>,
    ) -> PyResult<PathOut<'py>> {
        let service = &self.inner;
        let (head, blob) = py
            .detach(|| {
                let req = route_request(
                    from_,
                    to,
                    &modes,
                    &optimize,
                    &cargo,
                    avoid,
                    Vec::new(),
                    None,
                    "best",
                    1,
                    0.0,
                    cost_model.as_ref(),
                )?;
                let a = service.path(&req)?;
                let mut blob = Vec::with_capacity(a.nodes.len() * 16);
                for x in a
                    .nodes
                    .iter()
                    .map(|p| p.lon)
                    .chain(a.nodes.iter().map(|p| p.lat))
                {
                    blob.extend_from_slice(&x.to_le_bytes());
                }
                let end = |e: &silkroute_api::PathEnd| {
                    (e.place.clone(), e.joined_at.lat, e.joined_at.lon, e.join_km)
                };
                Ok((
                    (
                        a.value,
                        a.unit.to_string(),
                        a.distance_km,
                        end(&a.origin),
                        end(&a.destination),
                    ),
                    blob,
                ))
            })
            .map_err(py_err)?;
        Ok((
            head.0,
            head.1,
            head.2,
            head.3,
            head.4,
            PyBytes::new(py, &blob),
        ))
    }

    /// For the benchmark: the wall time in ms of each of `repeat` calls of
    /// `Service::path` on the request `path` builds from the same
    /// arguments, in this process.
    #[pyo3(signature = (from_, to, modes, optimize, repeat))]
    fn time_path_ms(
        &self,
        py: Python<'_>,
        from_: String,
        to: String,
        modes: String,
        optimize: String,
        repeat: usize,
    ) -> PyResult<Vec<f64>> {
        let service = &self.inner;
        py.detach(|| {
            let mut out = Vec::with_capacity(repeat);
            for _ in 0..repeat {
                let req = route_request(
                    from_.clone(),
                    to.clone(),
                    &modes,
                    &optimize,
                    "feu",
                    Vec::new(),
                    Vec::new(),
                    None,
                    "best",
                    1,
                    0.0,
                    None,
                )?;
                let mut result = Ok(());
                out.push(time_ms(|| {
                    result = service.path(&req).map(|a| drop(std::hint::black_box(a)));
                }));
                result?;
            }
            Ok(out)
        })
        .map_err(py_err)
    }

    /// For the benchmark (`bench/python`): the wall time in ms of each of
    /// `repeat` calls of the Rust API's `Service::route` on the request
    /// `route` builds from the same arguments, in this process, on this
    /// engine, the answer dropped inside the window. With it, Python's
    /// overhead is measured against the Rust API in one process instead of
    /// against another process's timings.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (from_, to, modes, optimize, repeat))]
    fn time_route_ms(
        &self,
        py: Python<'_>,
        from_: String,
        to: String,
        modes: String,
        optimize: String,
        repeat: usize,
    ) -> PyResult<Vec<f64>> {
        let service = &self.inner;
        py.detach(|| {
            let mut out = Vec::with_capacity(repeat);
            for _ in 0..repeat {
                let req = route_request(
                    from_.clone(),
                    to.clone(),
                    &modes,
                    &optimize,
                    "feu",
                    Vec::new(),
                    Vec::new(),
                    None,
                    "best",
                    1,
                    0.0,
                    None,
                )?;
                let mut result = Ok(());
                out.push(time_ms(|| {
                    result = service.route(&req).map(|a| drop(std::hint::black_box(a)));
                }));
                result?;
            }
            Ok(out)
        })
        .map_err(py_err)
    }

    /// For the benchmark: the wall time in ms of each of `repeat` calls of
    /// `Service::matrix`, the places resolved in the call as `matrix` does.
    #[pyo3(signature = (origins, modes, optimize, repeat))]
    fn time_matrix_ms(
        &self,
        py: Python<'_>,
        origins: Vec<String>,
        modes: String,
        optimize: String,
        repeat: usize,
    ) -> PyResult<Vec<f64>> {
        let service = &self.inner;
        py.detach(|| {
            let mut out = Vec::with_capacity(repeat);
            for _ in 0..repeat {
                let mut result = Ok(());
                out.push(time_ms(|| {
                    result = matrix_request(
                        service,
                        &origins,
                        &origins,
                        None,
                        None,
                        &modes,
                        &optimize,
                        "feu",
                        Vec::new(),
                        None,
                    )
                    .and_then(|req| service.matrix(&req, &silkroute_api::NoProgress))
                    .map(|a| drop(std::hint::black_box(a)));
                }));
                result?;
            }
            Ok(out)
        })
        .map_err(py_err)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (from_, within, modes, optimize, cargo, avoid, min_population, cost_model))]
    fn reach(
        &self,
        py: Python<'_>,
        from_: String,
        within: String,
        modes: String,
        optimize: String,
        cargo: String,
        avoid: Vec<String>,
        min_population: u32,
        cost_model: Option<PathBuf>,
    ) -> PyResult<String> {
        let service = &self.inner;
        py.detach(|| {
            let req = ReachRequest {
                from: from_,
                within,
                constraints: Constraints {
                    modes: parse::modes(&modes)?,
                    avoid,
                    via: Vec::new(),
                    vessel: None,
                },
                objective: parse::objective(&optimize)?,
                shipment: shipment(&cargo, cost_model.as_ref())?,
                min_population,
            };
            Ok(text(&service.reach(&req)?.json()))
        })
        .map_err(py_err)
    }

    /// The `k` nodes of `modes` nearest to a place (any place form), as
    /// JSON text.
    fn nearest(&self, py: Python<'_>, place: String, modes: String, k: usize) -> PyResult<String> {
        let service = &self.inner;
        py.detach(|| {
            let at = service.place(&place)?;
            let modes: ModeSet = parse::modes(&modes)?;
            let list: Vec<serde_json::Value> = service
                .nearest(at.pos, modes, k)
                .iter()
                .map(|w| w.json())
                .collect();
            Ok(text(
                &serde_json::json!({"code": "Ok", "query": at.label(), "waypoints": list}),
            ))
        })
        .map_err(py_err)
    }

    /// The network's named scenarios (id, name, source, notes, changes).
    fn scenarios(&self) -> String {
        let list: Vec<serde_json::Value> = self
            .inner
            .catalogue()
            .scenarios
            .iter()
            .map(scenario_json)
            .collect();
        text(&serde_json::Value::Array(list))
    }

    /// One scenario, by id or as a dict's JSON text, checked.
    #[pyo3(signature = (id=None, json=None))]
    fn scenario(&self, id: Option<String>, json: Option<String>) -> PyResult<String> {
        self.find_scenario(id.as_deref(), json.as_deref())
            .map(|s| text(&scenario_json(&s)))
            .map_err(py_err)
    }

    /// Checks a list of pairs as the analyses read them (every place
    /// resolved; a repeated pair counts once); returns how many there are.
    fn check_pairs(&self, py: Python<'_>, pairs: Vec<(String, String)>) -> PyResult<usize> {
        py.detach(|| {
            let pairs = pairs.into_iter().map(|(a, b)| (a, b, None)).collect();
            Ok(pairs_od(&self.inner, pairs)?.pairs.len())
        })
        .map_err(py_err)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (scenario_id, scenario_json, pairs, modes, optimize, cargo, cost_model))]
    fn compare(
        &self,
        py: Python<'_>,
        scenario_id: Option<String>,
        scenario_json: Option<String>,
        pairs: Vec<(String, String)>,
        modes: String,
        optimize: String,
        cargo: String,
        cost_model: Option<PathBuf>,
    ) -> PyResult<String> {
        py.detach(|| {
            let scenario = self.find_scenario(scenario_id.as_deref(), scenario_json.as_deref())?;
            let pairs = pairs.into_iter().map(|(a, b)| (a, b, None)).collect();
            let req = CompareRequest {
                scenario,
                od: pairs_od(&self.inner, pairs)?,
                modes: parse::modes(&modes)?,
                objective: parse::objective(&optimize)?,
                shipment: shipment(&cargo, cost_model.as_ref())?,
                vessel: None,
            };
            Ok(text(&self.inner.compare(&req, &Notes)?.json()))
        })
        .map_err(py_err)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (pairs, elements, top, modes, optimize, cargo, weight_unit, cost_model))]
    fn criticality(
        &self,
        py: Python<'_>,
        pairs: Vec<(String, String, Option<f64>)>,
        elements: String,
        top: usize,
        modes: String,
        optimize: String,
        cargo: String,
        weight_unit: String,
        cost_model: Option<PathBuf>,
    ) -> PyResult<String> {
        let service = &self.inner;
        py.detach(|| {
            let req = CriticalityRequest {
                od: pairs_od(service, pairs)?,
                kinds: silkroute_api::criticality::parse_kinds(&elements)?,
                top,
                modes: parse::modes(&modes)?,
                objective: parse::objective(&optimize)?,
                shipment: shipment(&cargo, cost_model.as_ref())?,
                weight_unit,
                // Pairs without values: the API's default gravity weights.
                unit_weights: false,
            };
            let report = service.criticality(&req, &Notes)?;
            Ok(text(&report.json(service.net())))
        })
        .map_err(py_err)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (pairs, unit, scenario_id, scenario_json, method, iterations, gap, modes, cost_model))]
    fn flow(
        &self,
        py: Python<'_>,
        pairs: Vec<(String, String, f64)>,
        unit: String,
        scenario_id: Option<String>,
        scenario_json: Option<String>,
        method: String,
        iterations: usize,
        gap: f64,
        modes: String,
        cost_model: Option<PathBuf>,
    ) -> PyResult<String> {
        py.detach(|| {
            if !(gap >= 0.0 && gap.is_finite()) {
                return Err(Error::invalid_value("gap must be a number ≥ 0"));
            }
            let unit = match unit.as_str() {
                "teu" => VolumeUnit::Teu,
                "tonnes" => VolumeUnit::Tonnes,
                other => {
                    return Err(Error::invalid_value(format!(
                        "unknown unit {other:?} (teu, tonnes)"
                    )));
                }
            };
            let method = match method.as_str() {
                "aon" => FlowMethod::AllOrNothing,
                "equilibrium" => FlowMethod::FrankWolfe,
                "msa" => FlowMethod::SuccessiveAverages,
                other => {
                    return Err(Error::invalid_value(format!(
                        "unknown method {other:?} (aon, equilibrium, msa)"
                    )));
                }
            };
            let scenario = match (&scenario_id, &scenario_json) {
                (None, None) => None,
                (id, json) => Some(self.find_scenario(id.as_deref(), json.as_deref())?),
            };
            let pairs = pairs.into_iter().map(|(a, b, v)| (a, b, Some(v))).collect();
            let req = FlowRequest {
                od: pairs_od(&self.inner, pairs)?,
                unit,
                scenario,
                method,
                iterations,
                gap,
                modes: parse::modes(&modes)?,
                shipment: shipment("teu", cost_model.as_ref())?,
            };
            Ok(text(&self.inner.flow(&req, &Notes)?.json()))
        })
        .map_err(py_err)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (places, labels, projects, modes, optimize, cargo, cost_model))]
    fn bri_impact(
        &self,
        py: Python<'_>,
        places: Option<Vec<String>>,
        labels: Option<Vec<String>>,
        projects: Option<Vec<String>>,
        modes: String,
        optimize: String,
        cargo: String,
        cost_model: Option<PathBuf>,
    ) -> PyResult<String> {
        let service = &self.inner;
        py.detach(|| {
            let places = match places {
                Some(texts) => Some(self::places(service, &texts, labels, "places")?),
                None => None,
            };
            let req = BriImpactRequest {
                places,
                projects,
                modes: parse::modes(&modes)?,
                objective: parse::objective(&optimize)?,
                shipment: shipment(&cargo, cost_model.as_ref())?,
                unit_weights: false,
            };
            let report = service.bri_impact(&req, &silkroute_api::NoProgress)?;
            let mut v = report.json();
            v["notes"] = serde_json::json!(report.notes);
            Ok(text(&v))
        })
        .map_err(py_err)
    }
}

impl Service {
    fn find_scenario(&self, id: Option<&str>, json: Option<&str>) -> Result<Scenario> {
        match (id, json) {
            (Some(id), None) => self.inner.catalogue().scenario(id).cloned(),
            (None, Some(json)) => scenario_from_json(json),
            _ => Err(Error::invalid_query(
                "name a scenario by id or give it as a dict",
            )),
        }
    }
}

fn scenario_json(s: &Scenario) -> serde_json::Value {
    serde_json::json!({
        "id": s.id,
        "name": s.name,
        "source": s.source,
        "notes": s.notes,
        "changes": silkroute_api::scenario::describe(s),
    })
}

/// An objective's unit and scale, for labels (`h`, `USD`, …).
#[pyfunction]
fn objective_unit(optimize: &str) -> PyResult<String> {
    let o: Objective = parse::objective(optimize).map_err(py_err)?;
    Ok(silkroute_api::service::unit(o).0.to_string())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Service>()?;
    m.add_class::<RouteAnswer>()?;
    m.add_function(wrap_pyfunction!(objective_unit, m)?)?;
    m.add("DEFAULT_EPSILON", silkroute_api::service::DEFAULT_EPSILON)?;
    m.add("MAX_MATRIX_CELLS", silkroute_api::service::MAX_MATRIX_CELLS)?;
    error::register(m)?;
    Ok(())
}
