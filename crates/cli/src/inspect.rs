//! `silkroute inspect`: what the network holds, per mode, and where it falls
//! apart (the report is `silkroute_api::inspect`; this shell prints it as a
//! table or JSON).

use std::path::Path;

use serde_json::Value;
use silkroute_api::{Mode, ServiceOptions};

use crate::progress::Context;
use crate::{Outcome, build, output};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum InspectFormat {
    /// Aligned text for people.
    Table,
    /// JSON for programs.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: InspectFormat,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    let report = silkroute_api::inspect::report(service.net())?;
    match args.format {
        InspectFormat::Json => output::emit(&output::pretty(&report)),
        InspectFormat::Table => output::emit(&table(&report)),
    }
    Ok(())
}

fn table(r: &Value) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "network {} ({:.1} MB, format v{}, fingerprint {})\n{} nodes, {} arcs\n\n",
        r["file"]["path"].as_str().unwrap_or(""),
        r["file"]["bytes"].as_f64().unwrap_or(0.0) / 1e6,
        r["file"]["format_version"],
        r["file"]["fingerprint"].as_str().unwrap_or(""),
        r["nodes"],
        r["arcs"]
    ));
    out.push_str(&format!(
        "{:<9}{:>10}{:>11}{:>13}{:>12}  {}\n",
        "mode", "nodes", "edges", "km", "components", "largest components (nodes)"
    ));
    for m in Mode::TRAVEL {
        let s = &r["modes"][m.as_str()];
        let largest: Vec<String> = s["largest_components"]
            .as_array()
            .map(|a| a.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<9}{:>10}{:>11}{:>13.0}{:>12}  {}\n",
            m.as_str(),
            s["nodes"].as_u64().unwrap_or(0),
            s["edges"].as_u64().unwrap_or(0),
            s["length_km"].as_f64().unwrap_or(0.0),
            s["components"].as_u64().unwrap_or(0),
            largest.join(", ")
        ));
    }
    let t = &r["modes"]["transfer"];
    out.push_str(&format!(
        "{:<9}{:>10}{:>11}{:>13.0}\n\n",
        "transfer",
        "",
        t["edges"].as_u64().unwrap_or(0),
        t["length_km"].as_f64().unwrap_or(0.0)
    ));
    let tp = &r["transfer_points"];
    out.push_str(&format!(
        "seaports: {} ({} joined to rail, {} to road within 25 km)\n",
        tp["seaports"]["total"], tp["seaports"]["joined_to_rail"], tp["seaports"]["joined_to_road"]
    ));
    let pc = &r["port_classes"];
    if pc.is_object() {
        out.push_str(&format!(
            "port classes: {} hub, {} coastal, {} river (not joined to the sea network), {} inland (over 100 km from it)\n",
            pc["hub"], pc["coastal"], pc["river"], pc["inland"]
        ));
    }
    out.push_str(&format!(
        "cargo-hub airports: {} ({} joined to road, {} air links each)\n",
        tp["airports"]["cargo_hubs"],
        tp["airports"]["joined_to_road"],
        tp["airports"]["air_links_per_hub"]
    ));
    out.push_str(&format!(
        "rail-road terminals (modelled): {}\n",
        tp["rail_terminals"]
    ));
    let g = &r["gazetteer"];
    out.push_str(&format!(
        "gazetteer: {} cities ({} with Chinese names), {} seaports, {} airports, {} other UN/LOCODEs\n\n",
        g["cities"], g["with_chinese_names"], g["seaports"], g["airports"], g["locodes"]
    ));
    let user = r["user_sources"].as_array().cloned().unwrap_or_default();
    if !user.is_empty() {
        out.push_str("user sources:\n");
        for u in &user {
            let n = |k: &str| u[k].as_u64().unwrap_or(0);
            let placement = u["placement"]
                .as_str()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {}{placement}: {} nodes, {} edges ({:.1} km rail, {:.1} km road), {} joins",
                u["kind"].as_str().unwrap_or(""),
                u["path"].as_str().unwrap_or(""),
                n("nodes"),
                n("edges"),
                u["rail_km"].as_f64().unwrap_or(0.0),
                u["road_km"].as_f64().unwrap_or(0.0),
                n("joins"),
            ));
            if n("replaced_nodes") + n("replaced_edges") > 0 {
                out.push_str(&format!(
                    ", replaced {} world nodes and {} edges",
                    n("replaced_nodes"),
                    n("replaced_edges")
                ));
            }
            if n("features") > 0 {
                out.push_str(&format!(
                    ", {} features ({} skipped)",
                    n("features"),
                    n("skipped")
                ));
            }
            if n("unjoined") > 0 {
                out.push_str(&format!(", {} pieces joined nothing", n("unjoined")));
            }
            let nothing: Vec<&str> = u["joined_nothing"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str())
                .collect();
            if !nothing.is_empty() {
                out.push_str(&format!("; joined nothing: {}", nothing.join(", ")));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("rail connectivity of Belt and Road checkpoints (component 0 is the largest):\n");
    for c in r["rail_checkpoints"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {:<28} nearest rail node {:>6.1} km, component #{:<4} {:>7} nodes{}\n",
            c["place"].as_str().unwrap_or(""),
            c["nearest_node_km"].as_f64().unwrap_or(0.0),
            c["component"].as_u64().unwrap_or(0),
            c["component_nodes"].as_u64().unwrap_or(0),
            if c["in_largest_component"].as_bool() == Some(true) {
                ""
            } else {
                "  <- cut off from the largest"
            }
        ));
    }
    out
}
