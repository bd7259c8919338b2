//! Port classes (issue 15, item 2) on the real embedded network: river
//! ports of `data/curated/port_classes.csv` are not joined to the sea
//! network, so no ocean leg ends there (Shanghai → Duisburg by sea ended at
//! Nijmegen on the Waal); `inspect` counts the ports of each class; the
//! build refuses a class without a source.

mod common;

use std::path::Path;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--quiet"];
    all.extend(args);
    all.extend(["--format", "json"]);
    common::json_of(args, common::run(&all))
}

/// The river ports of the table, by locode.
fn river_ports() -> Vec<String> {
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/curated/port_classes.csv"),
    )
    .unwrap();
    table
        .lines()
        .filter_map(|l| {
            let mut f = l.split(',');
            let code = f.next()?;
            (f.next()? == "river").then(|| code.to_string())
        })
        .collect()
}

#[test]
fn shanghai_duisburg_by_sea_ends_its_ocean_leg_at_no_river_port() {
    let v = json(&[
        "route",
        "--from",
        "CNSHA",
        "--to",
        "DEDUI",
        "--modes",
        "sea",
        "--optimize",
        "time",
    ]);
    let legs = v["routes"][0]["legs"].as_array().unwrap();
    let sea: Vec<&Value> = legs.iter().filter(|l| l["mode"] == "sea").collect();
    assert_eq!(sea.len(), 1, "{legs:#?}");
    let to = sea[0]["to"]["name"].as_str().unwrap();
    let rivers = river_ports();
    assert!(rivers.iter().any(|r| r == "NLNIJ"), "{rivers:?}");
    for r in &rivers {
        assert!(
            !to.contains(&format!("({r})")),
            "the ocean leg ends at {to}"
        );
    }
    assert_eq!(sea[0]["from_port_class"], "hub", "{:#}", sea[0]);
    assert!(
        sea[0]["to_port_class"] == "hub" || sea[0]["to_port_class"] == "coastal",
        "{:#}",
        sea[0]
    );
    // The last mile to Duisburg is drayage from that port.
    assert_eq!(legs.last().unwrap()["drayage"], true);
    // Other legs carry no port class.
    assert!(legs.last().unwrap().get("to_port_class").is_none());
}

#[test]
fn inspect_counts_the_ports_of_each_class() {
    let v = json(&["inspect"]);
    let c = &v["port_classes"];
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k} in {c:#}"));
    assert!(n("hub") >= 50, "{c:#}");
    assert_eq!(n("river") as usize, river_ports().len(), "{c:#}");
    assert!(n("coastal") > 2_500, "{c:#}");
    assert!(n("inland") > 700, "{c:#}");
    assert_eq!(
        n("hub") + n("coastal") + n("river") + n("inland"),
        v["gazetteer"]["seaports"].as_u64().unwrap(),
        "every seaport has one class"
    );
    // A joined port is a hub or coastal (the seaport nodes also count the
    // Belt and Road layer's ports); the river ones have no node.
    assert!(n("hub") + n("coastal") <= v["transfer_points"]["seaports"]["total"].as_u64().unwrap());
    let out = common::run(&["--quiet", "inspect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "port classes: {} hub, {} coastal, {} river",
            n("hub"),
            n("coastal"),
            n("river")
        )),
        "{text}"
    );
}

#[test]
fn the_build_refuses_a_port_class_without_a_source() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let copy = common::tmp().join("sourceless-data");
    for dir in ["open", "curated", "bri", "scenarios"] {
        std::fs::create_dir_all(copy.join(dir)).unwrap();
        for entry in std::fs::read_dir(data.join(dir)).unwrap().flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), copy.join(dir).join(entry.file_name())).unwrap();
            }
        }
    }
    for file in ["cost_model.toml", "vessels.toml"] {
        if data.join(file).is_file() {
            std::fs::copy(data.join(file), copy.join(file)).unwrap();
        }
    }
    let table = copy.join("curated/port_classes.csv");
    let text = std::fs::read_to_string(&table).unwrap();
    let edited: String = text
        .lines()
        .map(|l| {
            if l.starts_with("NLNIJ,") {
                "NLNIJ,river,,".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&table, edited + "\n").unwrap();
    let out = common::bin()
        .args(["build", "--quiet", "--data"])
        .arg(&copy)
        .arg("--out")
        .arg(common::tmp().join("sourceless.srnet"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains("curated/port_classes.csv")
            && err.contains("port class of NLNIJ has no source"),
        "{err}"
    );
}
