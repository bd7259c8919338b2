//! `silkroute serve` on the real embedded network, over real HTTP on
//! 127.0.0.1 with a random port: OSRM's route, table and nearest agree
//! with the CLI's answers for the same questions; silkroute's own
//! endpoints serve the CLI's JSON; bad requests get a 4xx with a code and
//! the server keeps serving; overload is shed with 503 and `Retry-After`;
//! SIGTERM stops it cleanly. Traffic stays on the loopback, bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::{bin, json_of, run, world};
use serde_json::Value;

/// A running server, stopped when the test binary's last reference goes.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    let mut child = bin()
        .arg("--quiet")
        .arg("--network")
        .arg(world())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server { child, port }
}

/// The server of one test: each test starts its own and stops it when it
/// ends (a server kept in a static would outlive the test binary).
fn server() -> u16 {
    thread_local! {
        static S: Server = start(&[]);
    }
    S.with(|s| s.port)
}

/// One HTTP/1.1 request; returns status, headers (lower-case names) and body.
fn http(port: u16, method: &str, path: &str, body: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..end]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + n]);
        b = &b[end + 4 + n..];
    }
}

fn get(path: &str) -> (u16, Value) {
    let (status, _, body) = http(server(), "GET", path, b"");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn post(path: &str, body: &Value) -> (u16, Value) {
    let (status, _, b) = http(server(), "POST", path, body.to_string().as_bytes());
    (status, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Equal up to ties: the server answers on the hierarchy, the CLI by
/// Dijkstra, and two paths of the same integer weight (seconds, cents) may
/// differ by a few metres or cents.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(1.0)
}

/// The same JSON up to ties (see [`close`]): the same keys everywhere,
/// strings and booleans equal, numbers close.
fn same(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            assert_eq!(kx, ky, "{at}");
            for k in x.keys() {
                same(&x[k], &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-4 * x.abs().max(y.abs()).max(1.0) + 0.05,
                "{at}: {x} vs {y}"
            );
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn health_and_data_version() {
    let (status, v) = get("/health");
    assert_eq!(status, 200);
    assert_eq!(v["status"], "ok");
    let version = v["data_version"].as_str().unwrap().to_string();
    assert_eq!(version.len(), 16);
    let (_, r) = get("/nearest/v1/rail/13.4,52.5");
    assert_eq!(r["data_version"], version.as_str());
}

/// OSRM's route, for coordinates, is the CLI's route between the same
/// coordinates: same distance, time, cost and CO2e.
#[test]
fn osrm_route_matches_the_cli() {
    let (status, v) = get(
        "/route/v1/rail/106.551556,29.563009;6.762691,51.434999?overview=full&geometries=geojson&steps=true",
    );
    assert_eq!(status, 200, "{v}");
    let r = &v["routes"][0];
    let cli = json_of(
        &[],
        run(&[
            "route",
            "--from",
            "29.563009,106.551556",
            "--to",
            "51.434999,6.762691",
            "--modes",
            "rail",
            "--format",
            "json",
        ]),
    );
    let c = &cli["routes"][0];
    assert!(close(
        r["distance"].as_f64().unwrap() / 1000.0,
        c["distance_km"].as_f64().unwrap()
    ));
    assert!(
        (r["duration"].as_f64().unwrap() / 3600.0 - c["duration_h"].as_f64().unwrap()).abs() < 0.01
    );
    assert!(close(
        r["cost_usd"].as_f64().unwrap(),
        c["cost_usd"].as_f64().unwrap()
    ));
    // The first mile (2.5 km from the point to the rail node) is a drayage
    // leg, and OSRM's distance and duration carry it as the JSON does.
    let cli_legs = c["legs"].as_array().unwrap();
    assert_eq!(cli_legs[0]["drayage"], true, "{}", cli_legs[0]);
    let km = |keep: &dyn Fn(&Value) -> bool| -> f64 {
        cli_legs
            .iter()
            .filter(|l| keep(l))
            .map(|l| l["distance_km"].as_f64().unwrap())
            .sum()
    };
    let network = km(&|l| l["drayage"] == false);
    let drayage = km(&|l| l["drayage"] == true);
    assert!(drayage > 1.0);
    // (The server searches on the hierarchy, which may break ties between
    // equal paths otherwise, hence `close`.)
    assert!(close(
        r["distance"].as_f64().unwrap() / 1000.0,
        network + drayage
    ));
    assert_eq!(r["weight_name"], "duration");
    assert_eq!(r["geometry"]["type"], "LineString");
    let legs = r["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 1);
    let steps = legs[0]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["maneuver"]["type"], "depart");
    assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 2);
    assert!(
        r["corridors"][0]["id"] == "china-europe-western",
        "{}",
        r["corridors"]
    );
}

/// A via coordinate makes two legs whose totals add up to the route's.
#[test]
fn a_via_coordinate_gives_two_legs() {
    let (status, v) = get("/route/v1/rail/106.55,29.56;76.9,43.25;6.76,51.43?overview=false");
    assert_eq!(status, 200, "{v}");
    let r = &v["routes"][0];
    let legs = r["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    let sum: f64 = legs.iter().map(|l| l["duration"].as_f64().unwrap()).sum();
    assert!(
        (sum - r["duration"].as_f64().unwrap()).abs() < 1.0,
        "{sum} vs {}",
        r["duration"]
    );
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 3);
    assert!(r.get("geometry").is_none());
}

/// The table's durations and distances are the CLI matrix's, `null` where
/// unreachable.
#[test]
fn osrm_table_matches_the_cli_matrix() {
    let coords = "13.4050,52.5200;2.3522,48.8566;16.3738,48.2082;139.6917,35.6895";
    let (status, v) = get(&format!(
        "/table/v1/rail/{coords}?annotations=duration,distance&sources=0;1&destinations=all"
    ));
    assert_eq!(status, 200, "{v}");
    let dir = common::tmp();
    let places = "lat,lon\n52.5200,13.4050\n48.8566,2.3522\n48.2082,16.3738\n35.6895,139.6917\n";
    let to = dir.join("table-to.csv");
    std::fs::write(&to, places).unwrap();
    let from = dir.join("table-from.csv");
    std::fs::write(&from, "lat,lon\n52.5200,13.4050\n48.8566,2.3522\n").unwrap();
    let cli = json_of(
        &[],
        run(&[
            "matrix",
            "--from",
            from.to_str().unwrap(),
            "--to",
            to.to_str().unwrap(),
            "--modes",
            "rail",
            "--format",
            "json",
        ]),
    );
    for i in 0..2 {
        for j in 0..4 {
            let d = &v["durations"][i][j];
            let c = &cli["durations_h"][i][j];
            if c.is_null() {
                assert!(d.is_null(), "{i},{j}: {d} vs null");
                continue;
            }
            assert!(
                (d.as_f64().unwrap() / 3600.0 - c.as_f64().unwrap()).abs() < 0.001,
                "{i},{j}"
            );
            let km = v["distances"][i][j].as_f64().unwrap() / 1000.0;
            assert!((km - cli["distances_km"][i][j].as_f64().unwrap()).abs() < 0.001);
        }
    }
    assert!(v["durations"][0][3].is_null(), "no rail to Japan");
}

#[test]
fn nearest_returns_the_number_asked() {
    let (status, v) = get("/nearest/v1/driving/13.4,52.5.json?number=3");
    assert_eq!(status, 200);
    let w = v["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 3);
    assert!(w[0]["distance"].as_f64().unwrap() <= w[2]["distance"].as_f64().unwrap());
}

/// silkroute's own route endpoint serves exactly the CLI's JSON.
#[test]
fn api_route_serves_the_clis_json() {
    let (status, mut v) = post(
        "/api/route",
        &serde_json::json!({"from": "Chongqing", "to": "Duisburg", "modes": "rail", "optimize": "cost"}),
    );
    assert_eq!(status, 200, "{v}");
    v.as_object_mut().unwrap().remove("data_version");
    let cli: Value = json_of(
        &[],
        run(&[
            "route",
            "--from",
            "Chongqing",
            "--to",
            "Duisburg",
            "--modes",
            "rail",
            "--optimize",
            "cost",
            "--format",
            "json",
        ]),
    );
    same(&v, &cli, "");
    let (status, p) = post(
        "/api/route",
        &serde_json::json!({"from": "Chongqing", "to": "Duisburg", "pareto": true}),
    );
    assert_eq!(status, 200, "{p}");
    assert!(p["routes"].as_array().unwrap().len() >= 5);
}

#[test]
fn api_route_takes_a_vessel_class_like_the_cli() {
    let ask = |vessel: Option<&str>| {
        let mut body =
            serde_json::json!({"from": "CNSHA", "to": "NLRTM", "modes": "sea", "avoid": ["suez"]});
        if let Some(v) = vessel {
            body["vessel"] = v.into();
        }
        let (status, v) = post("/api/route", &body);
        assert_eq!(status, 200, "{v}");
        v
    };
    let passages = |v: &Value| v["routes"][0]["passages"].clone();
    // The lane default (a ULCV) goes round the Cape, a Panamax through Panama.
    let default = ask(None);
    assert_eq!(default["vessel"]["class"], "ulcv");
    assert!(
        passages(&default)
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "south_africa")
    );
    let panamax = ask(Some("panamax"));
    assert!(
        passages(&panamax)
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "panama")
    );
    let (status, e) = post(
        "/api/route",
        &serde_json::json!({"from": "CNSHA", "to": "NLRTM", "vessel": "capesize"}),
    );
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["code"], "InvalidValue");
}

#[test]
fn api_scenario_and_lists() {
    let (status, v) = get("/api/scenarios");
    assert_eq!(status, 200);
    assert!(
        v["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "red-sea-2024")
    );
    let (status, v) = post(
        "/api/scenario/red-sea-2024",
        &serde_json::json!({"pairs": [{"from": "Shanghai", "to": "Rotterdam"}]}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["pairs"][0]["status"], "rerouted");
    assert_eq!(v["notes"], serde_json::json!([]), "{v}");
    // A repeated pair is answered once, and the answer says so, as the CLI
    // and Python do.
    let (status, v) = post(
        "/api/scenario/red-sea-2024",
        &serde_json::json!({"pairs": [
            {"from": "Shanghai", "to": "Rotterdam"},
            {"from": "Shanghai", "to": "Rotterdam"},
        ]}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["pairs"].as_array().unwrap().len(), 1, "{v}");
    let notes = v["notes"].as_array().unwrap();
    assert!(
        notes.len() == 1 && notes[0].as_str().unwrap().contains("repeated"),
        "{v}"
    );
    let (status, v) = get("/api/places?q=Duis&limit=3");
    assert_eq!(status, 200);
    assert_eq!(v["places"][0]["text"], "Duisburg, DE");
}

/// Every route of the router is described in the OpenAPI document.
#[test]
fn openapi_describes_every_endpoint() {
    let (status, v) = get("/openapi.json");
    assert_eq!(status, 200);
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/health",
        "/route/v1/{profile}/{coordinates}",
        "/table/v1/{profile}/{coordinates}",
        "/nearest/v1/{profile}/{coordinates}",
        "/api/places",
        "/api/route",
        "/api/matrix",
        "/api/reach",
        "/api/scenarios",
        "/api/scenario/{name}",
        "/api/criticality",
        "/api/corridors",
        "/api/inspect",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
}

/// Bad requests get a 4xx with a code and a message; the server keeps
/// serving.
#[test]
fn bad_requests_get_a_code_and_the_server_keeps_serving() {
    let coords = |n: usize| -> String {
        (0..n)
            .map(|i| format!("{},{}", (i % 360) as i64 - 180, (i % 180) as i64 - 90))
            .collect::<Vec<_>>()
            .join(";")
    };
    let table = format!("/table/v1/driving/{}", coords(1_500));
    for (path, status, code) in [
        ("/route/v1/rail/106.55,29.56;x,y", 400, "InvalidQuery"),
        ("/route/v1/rail/200,29.56;6.76,51.43", 400, "InvalidValue"),
        ("/route/v1/rail/10,95;6.76,51.43", 400, "InvalidValue"),
        (
            "/route/v1/hovercraft/106.55,29.56;6.76,51.43",
            400,
            "InvalidValue",
        ),
        (
            "/route/v1/rail/106.55,29.56;6.76,51.43?frobnicate=1",
            400,
            "InvalidOptions",
        ),
        (
            "/route/v1/rail/106.55,29.56;6.76,51.43?geometries=wkt",
            400,
            "InvalidValue",
        ),
        ("/route/v1/rail/106.55,29.56", 400, "InvalidQuery"),
        ("/route/v1/rail/102.6,17.97;139.69,35.69", 400, "NoRoute"),
        (table.as_str(), 400, "TooBig"),
        ("/nowhere", 404, "InvalidQuery"),
    ] {
        let (got, v) = get(path);
        assert_eq!(got, status, "{}: {v}", &path[..path.len().min(60)]);
        assert_eq!(v["code"], code, "{}: {v}", &path[..path.len().min(60)]);
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    // 10,000 coordinates overflow the URL limit before any routing.
    let (status, _, _) = http(
        server(),
        "GET",
        &format!("/table/v1/driving/{}", coords(10_000)),
        b"",
    );
    assert_eq!(status, 414);
    let (status, v) = post("/api/route", &serde_json::json!({"from": "Chongqing"}));
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("InvalidQuery")),
        "{v}"
    );
    let (status, v) = post(
        "/api/route",
        &serde_json::json!({"from": "A", "to": "B", "speed": 1}),
    );
    assert_eq!(
        (status, v["code"].as_str()),
        (400, Some("InvalidQuery")),
        "{v}"
    );
    let huge = vec![b' '; 3 << 20];
    let (status, _, b) = http(server(), "POST", "/api/route", &huge);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!((status, v["code"].as_str()), (413, Some("TooBig")), "{v}");
    // A slow client holding a connection open does not block the others.
    let mut slow = TcpStream::connect(("127.0.0.1", server())).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: 127")
        .unwrap();
    let (status, _) = get("/health");
    assert_eq!(status, 200);
    drop(slow);
}

/// Beyond the concurrency limit requests are shed with 503 and
/// `Retry-After`; SIGTERM then stops the server, which exits cleanly.
#[test]
fn overload_is_shed_and_sigterm_stops_the_server() {
    let mut s = start(&["--concurrency", "1"]);
    let port = s.port;
    let pairs: Vec<Value> = [
        "Chongqing",
        "Xi'an",
        "Urumqi",
        "Almaty",
        "Tashkent",
        "Moscow",
    ]
    .iter()
    .flat_map(|a| {
        ["Duisburg", "Madrid", "Warsaw", "Hamburg", "Milan", "Paris"]
            .iter()
            .map(move |b| serde_json::json!({"from": a, "to": b}))
    })
    .collect();
    let body = serde_json::json!({"pairs": pairs}).to_string();
    let slow =
        std::thread::spawn(move || http(port, "POST", "/api/criticality", body.as_bytes()).0);
    let mut shed = None;
    for _ in 0..200 {
        std::thread::sleep(Duration::from_millis(10));
        let (status, headers, _) = http(port, "GET", "/api/scenarios", b"");
        if status == 503 {
            shed = Some(headers);
            break;
        }
    }
    let headers = shed.expect("a request beyond the limit is shed while another runs");
    assert!(headers.iter().any(|(k, _)| k == "retry-after"));
    assert_eq!(slow.join().unwrap(), 200);
    let pid = s.child.id();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut waited = 0;
    let exit = loop {
        if let Some(e) = s.child.try_wait().unwrap() {
            break e;
        }
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        assert!(waited < 200, "still running 10 s after SIGTERM");
    };
    assert!(exit.success(), "{exit:?}");
}

/// Waits (at most 120 s) until the process `pid` uses under a tenth of a
/// CPU second in half a second.
fn wait_quiet(pid: u32) {
    for _ in 0..240 {
        let before = cpu_seconds(pid);
        std::thread::sleep(Duration::from_millis(500));
        if cpu_seconds(pid) - before < 0.1 {
            return;
        }
    }
    panic!("the server was still busy 120 s after the warm-up");
}

/// CPU seconds the process `pid` has used (user + system).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name in parentheses: utime is the 14th
    // field of the line, stime the 15th, in clock ticks.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    // SAFETY: sysconf only reads a constant.
    ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

/// A Pareto search that passes the request's time limit stops: the
/// server answers 504 and its CPU goes quiet at once. (The search did not
/// look at the request's stop flag and ran on to its label limit, a CPU
/// busy for seconds after the client was told it had timed out.)
#[test]
fn a_timed_out_pareto_search_stops_working() {
    let s = start(&["--timeout", "1"]);
    // Warm up: the metrics the search needs are customized once.
    let (status, _, _) = http(
        s.port,
        "POST",
        "/api/route",
        serde_json::json!({"from": "Chongqing", "to": "Duisburg", "pareto": true})
            .to_string()
            .as_bytes(),
    );
    assert!(status == 200 || status == 504, "{status}");
    // On a busy machine the warm-up itself may time out while its metrics
    // are still being customized (work that is not the search): wait until
    // the server is quiet, so only the search below is measured.
    wait_quiet(s.child.id());
    let (status, _, body) = http(
        s.port,
        "POST",
        "/api/route",
        serde_json::json!({"from": "Chongqing", "to": "Duisburg", "pareto": true, "pareto_epsilon": 0.0})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 504, "{}", String::from_utf8_lossy(&body));
    std::thread::sleep(Duration::from_millis(1000));
    let before = cpu_seconds(s.child.id());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_seconds(s.child.id()) - before;
    assert!(
        used < 0.5,
        "the server used {used:.2} CPU seconds after the timeout"
    );
}
