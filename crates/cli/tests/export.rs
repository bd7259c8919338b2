//! `silkroute export` in both formats on the world network: the
//! GeoParquet file, read back with the `parquet` crate's own reader (not
//! our writer), holds exactly the GeoJSON's features — the same rows, the
//! same attributes, the same geometries decoded from WKB — and carries
//! valid GeoParquet 1.1 `geo` metadata; `--corridor` keeps the edges of
//! the corridor's canonical service and nothing else; bad requests are
//! refused before any file is written.

mod common;

use common::{run, stderr, tmp};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::{Value, json};

/// The Caucasus and the Caspian: rail, road, sea and ferry edges, border
/// crossings, ports and a ferry record.
const BOX: &str = "40,38,52,44";

fn export(args: &[&str], name: &str) -> std::path::PathBuf {
    let out = tmp().join(name);
    let mut all = vec!["export", "--quiet", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{all:?}: {}", stderr(&o));
    out
}

fn features(path: &std::path::Path) -> Vec<Value> {
    let fc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    fc["features"].as_array().unwrap().clone()
}

/// ISO WKB (little-endian, 2D Point/LineString/MultiLineString) back to
/// a GeoJSON geometry: an independent decoder for the test.
fn geometry_of_wkb(b: &[u8]) -> Value {
    fn u32_at(b: &[u8], at: &mut usize) -> u32 {
        let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    }
    fn f64_at(b: &[u8], at: &mut usize) -> f64 {
        let v = f64::from_le_bytes(b[*at..*at + 8].try_into().unwrap());
        *at += 8;
        v
    }
    fn line(b: &[u8], at: &mut usize) -> Value {
        assert_eq!(b[*at], 1, "little-endian");
        *at += 1;
        assert_eq!(u32_at(b, at), 2, "LineString");
        let n = u32_at(b, at);
        Value::Array(
            (0..n)
                .map(|_| json!([f64_at(b, at), f64_at(b, at)]))
                .collect(),
        )
    }
    let mut at = 0;
    assert_eq!(b[0], 1, "little-endian");
    let ty = u32::from_le_bytes(b[1..5].try_into().unwrap());
    let g = match ty {
        1 => {
            at = 5;
            json!({"type": "Point", "coordinates": [f64_at(b, &mut at), f64_at(b, &mut at)]})
        }
        2 => json!({"type": "LineString", "coordinates": line(b, &mut at)}),
        5 => {
            at = 5;
            let n = u32_at(b, &mut at);
            let parts: Vec<Value> = (0..n).map(|_| line(b, &mut at)).collect();
            json!({"type": "MultiLineString", "coordinates": parts})
        }
        _ => panic!("WKB type {ty}"),
    };
    assert_eq!(at, b.len(), "trailing bytes in WKB");
    g
}

fn json_of_field(f: &Field) -> Value {
    match f {
        Field::Null => Value::Null,
        Field::Bool(b) => json!(b),
        Field::Long(n) => json!(n),
        Field::Double(x) => json!(x),
        Field::Str(s) => json!(s),
        other => panic!("unexpected Parquet field {other:?}"),
    }
}

#[test]
fn geoparquet_holds_exactly_the_geojson_features() {
    let gj = features(&export(&["--bbox", BOX], "caucasus.geojson"));
    let pq = export(&["--bbox", BOX], "caucasus.parquet");
    let reader = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows() as usize, gj.len());
    assert!(gj.len() > 1000, "{} features", gj.len());

    // GeoParquet 1.1 metadata: WKB, the geometry types present, a bbox
    // that holds every coordinate; no crs key means OGC:CRS84.
    let geo = meta
        .key_value_metadata()
        .unwrap()
        .iter()
        .find(|kv| kv.key == "geo")
        .and_then(|kv| kv.value.clone())
        .expect("a `geo` metadata key");
    let geo: Value = serde_json::from_str(&geo).unwrap();
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    let column = &geo["columns"]["geometry"];
    assert_eq!(column["encoding"], "WKB");
    assert!(column.get("crs").is_none());
    let mut types: Vec<&str> = gj
        .iter()
        .map(|f| f["geometry"]["type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    types.dedup();
    assert_eq!(column["geometry_types"], json!(types));
    let bbox: Vec<f64> = column["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();

    // Row by row: the GeoJSON properties, plus `feature`, and the geometry.
    let mut rows = 0;
    for (row, f) in reader.get_row_iter(None).unwrap().zip(&gj) {
        let row = row.unwrap();
        let mut props = serde_json::Map::new();
        let mut geometry = None;
        for (name, field) in row.get_column_iter() {
            match (name.as_str(), field) {
                ("geometry", Field::Bytes(b)) => geometry = Some(geometry_of_wkb(b.data())),
                ("feature", Field::Str(kind)) => {
                    let is_edge = f["properties"].get("mode").is_some();
                    assert_eq!(kind, if is_edge { "edge" } else { "node" });
                }
                (name, field) => {
                    let v = json_of_field(field);
                    if !v.is_null() {
                        props.insert(name.to_string(), v);
                    }
                }
            }
        }
        let expected: serde_json::Map<String, Value> = f["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(
            props.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (k, want) in &expected {
            let got = &props[k];
            // Floats to within the one ULP serde_json's parser may lose.
            let same = match (got.as_f64(), want.as_f64()) {
                (Some(a), Some(b)) if got.is_f64() || want.is_f64() => (a - b).abs() < 1e-9,
                _ => got == want,
            };
            assert!(same, "{k}: {got} in Parquet, {want} in GeoJSON");
        }
        let geometry = geometry.expect("a geometry column");
        assert_eq!(geometry["type"], f["geometry"]["type"]);
        // serde_json's default float parser may be one ULP off the
        // GeoJSON text; WKB holds the engine's doubles.
        let flat = |g: &Value| -> Vec<f64> {
            let mut xs = Vec::new();
            fn walk(v: &Value, xs: &mut Vec<f64>) {
                match v {
                    Value::Array(a) => a.iter().for_each(|v| walk(v, xs)),
                    v => xs.push(v.as_f64().unwrap()),
                }
            }
            walk(&g["coordinates"], &mut xs);
            xs
        };
        let (got, want) = (flat(&geometry), flat(&f["geometry"]));
        assert_eq!(got.len(), want.len(), "{geometry} vs {}", f["geometry"]);
        assert!(
            got.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-9),
            "{geometry} vs {}",
            f["geometry"]
        );
        let coordinates = match geometry["type"].as_str().unwrap() {
            "Point" => vec![geometry["coordinates"].clone()],
            "LineString" => geometry["coordinates"].as_array().unwrap().clone(),
            _ => geometry["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|l| l.as_array().unwrap().clone())
                .collect(),
        };
        for c in coordinates {
            let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!(
                bbox[0] <= x && x <= bbox[2] && bbox[1] <= y && y <= bbox[3],
                "{c} outside {bbox:?}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, gj.len());
}

#[test]
fn a_corridor_export_is_its_canonical_service_and_nothing_else() {
    let fs = features(&export(
        &["--corridor", "middle-corridor", "--format", "geojson"],
        "middle-corridor.json",
    ));
    let corridors: Value =
        serde_json::from_slice(&run(&["corridors", "--format", "json"]).stdout).unwrap();
    let middle = corridors["corridors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "middle-corridor")
        .unwrap()
        .clone();
    let route = &middle["engine"];
    // The edges' lengths add up to the canonical route's network distance.
    let edge_km: f64 = fs
        .iter()
        .filter_map(|f| f["properties"]["length_km"].as_f64())
        .sum();
    // The route's distance counts the first and last mile (its drayage
    // legs to the joins), which are not network edges.
    let km = route["distance_km"].as_f64().unwrap();
    let access_km: f64 = route["legs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["drayage"] == true)
        .map(|l| l["distance_km"].as_f64().unwrap())
        .sum();
    assert!(
        km - access_km - 1.0 <= edge_km && edge_km <= km + 1.0,
        "{edge_km} km of edges, route {km} km with {access_km} km of access"
    );
    // Every curated record the route uses is among the exported edges'.
    let records: Vec<&str> = fs
        .iter()
        .filter_map(|f| f["properties"]["record"].as_str())
        .collect();
    for r in ["aktau-alat", "marmaray"] {
        assert!(records.contains(&r), "{r} missing from {records:?}");
    }
}

#[test]
fn bad_exports_are_refused_before_writing() {
    let out = tmp().join("refused.parquet");
    for (args, says) in [
        (&["--corridor", "no-such-corridor"][..], "unknown corridor"),
        (
            &["--format", "shapefile"][..],
            "choose geojson or geoparquet",
        ),
        (&["--bbox", "10,10,5,5"][..], "west < east"),
        (
            &["--modes", "rail", "--bbox", "-179,-89,-178,-88"][..],
            "nothing to export",
        ),
    ] {
        let mut all = vec!["export", "--quiet", "--out", out.to_str().unwrap()];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}
