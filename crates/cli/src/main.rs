//! `silkroute`: the command-line shell over the engine API
//! (`silkroute_api`).
//!
//! It parses arguments into the API's request types, opens the network
//! through the API's store, calls one `Service` method per command and
//! prints tables and CSV for people and spreadsheets, or the API's
//! JSON/GeoJSON for programs. Every rule lives below, in the API; this
//! shell owns arguments, files, terminals and exit codes only. Errors reach
//! the user as one line on stderr and a non-zero exit code (2 bad input,
//! 3 no route, 130 interrupted, 1 anything else); nothing is written when
//! input is bad.

mod args;
mod bench;
mod bri_impact;
mod build;
mod corridors;
mod criticality;
mod export;
mod files;
mod flow;
mod inspect;
mod matrix;
mod output;
mod progress;
mod reach;
mod route;
mod scenario;
mod serve;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "silkroute",
    version,
    about = "Route cargo across the Belt and Road's rail, road, sea and air network.",
    long_about = "Route cargo across the Belt and Road's rail, road, sea and air network.\n\n\
The default network is embedded in this binary (OpenStreetMap rail and roads, the marnet sea \
network, UN/LOCODE ports, cargo-hub airports). The first command that needs it compiles it \
into a cache file (a few seconds, with a progress bar); later runs open it in milliseconds.",
    after_help = "Examples:\n  silkroute route --from Chongqing --to Duisburg\n  \
silkroute route --from Chongqing --to Duisburg --pareto\n  \
silkroute route --from Chongqing --to Duisburg --optimize cost --alternatives 3\n  \
silkroute route --from CNSHA --to NLRTM --modes sea --avoid suez --format geojson > cape.geojson\n  \
silkroute route --from 重庆 --to \"Hamburg, DE\" --modes rail,road,sea --format json\n  \
silkroute matrix --from origins.csv --to destinations.csv --optimize time > matrix.csv\n  \
silkroute reach --from \"Xi'an\" --within 10d --modes rail > reach.geojson\n  \
silkroute scenario run red-sea-2024 --od data/scenarios/od-eurasia.csv\n  \
silkroute flow --od data/scenarios/od-trade-example.csv --modes rail,ferry\n  \
silkroute inspect\n  silkroute export --modes rail --out rail.geojson\n  silkroute serve --listen 127.0.0.1:5000\n  silkroute build --out world.srnet\n  \
silkroute build --osm helsinki.osm.pbf --add my-links.geojson --out mine.srnet"
)]
struct Cli {
    /// Network file to use instead of the cached default (also SILKROUTE_NETWORK;
    /// an empty one is ignored).
    #[arg(long, global = true, env = "SILKROUTE_NETWORK", value_name = "FILE")]
    network: Option<PathBuf>,
    /// Print no progress bars or notes on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile the sources into a network file.
    Build(build::Args),
    /// Find the best route between two places: fastest, cheapest, lowest-CO2e,
    /// shortest, the Pareto set or alternatives, priced leg by leg.
    Route(route::Args),
    /// Time, cost, CO2e and distance between every origin and destination.
    Matrix(matrix::Args),
    /// What can be reached from a place within a time (or cost) budget.
    Reach(reach::Args),
    /// The Belt and Road corridors, each with the engine's figures for its
    /// canonical service beside the published ones.
    Corridors(corridors::Args),
    /// Named disruptions (Red Sea, Suez, Malacca, ...) compared before and
    /// after over origin–destination pairs.
    Scenario(scenario::Args),
    /// Assign a yearly trade matrix to the network (all-or-nothing or user
    /// equilibrium with congested border crossings and ferries) and report
    /// loads and utilisation per element and corridor.
    Flow(flow::Args),
    /// Rank passages, border crossings, ports, terminals, ferries and curated
    /// links by the trade-weighted loss their failure causes over
    /// origin–destination pairs.
    Criticality(criticality::Args),
    /// Shipment times with and without the Belt and Road projects of the
    /// curated layer, per country (after de Soyres et al., World Bank 2018).
    BriImpact(bri_impact::Args),
    /// Describe the network: nodes and edges per mode, transfer points, components.
    Inspect(inspect::Args),
    /// Write the network (or some modes or a box of it) as GeoJSON for QGIS
    /// and geopandas.
    Export(export::Args),
    /// Run the engine against published figures (transit times, distances,
    /// border dwell, costs) and report the share inside their ranges.
    Validate(validate::Args),
    /// Answer over HTTP: OSRM v5 route/table/nearest and silkroute's own
    /// endpoints (see /openapi.json), on 127.0.0.1:5000 by default.
    Serve(serve::Args),
    /// Time route queries in one process (used by bench/run).
    #[command(hide = true)]
    Bench(bench::Args),
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// JSON for programs.
    Json,
    /// A GeoJSON FeatureCollection (opens in QGIS and geojson.io).
    Geojson,
}

/// What a command returns: nothing, or the API's error, which [`main`]
/// prints as one line and maps to the exit code.
pub type Outcome = Result<(), silkroute_api::Error>;

/// The exit code of an error: 2 for bad input, 3 when there is no route
/// (or no network near a place), 130 when interrupted, 1 for anything else.
fn exit_code(e: &silkroute_api::Error) -> u8 {
    use silkroute_api::Code;
    match e.code {
        Code::InvalidQuery | Code::InvalidValue | Code::InvalidOptions | Code::TooBig => 2,
        Code::NoSegment | Code::NoRoute => 3,
        Code::Cancelled => 130,
        Code::Internal => 1,
    }
}

/// Whether the command line asks for `--format json`.
fn wants_json() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json")
}

fn main() -> ExitCode {
    // An empty SILKROUTE_NETWORK= means "not set" (clap would take it as a
    // missing --network value).
    if std::env::var_os("SILKROUTE_NETWORK").is_some_and(|v| v.is_empty()) {
        // SAFETY: no other thread exists yet.
        unsafe { std::env::remove_var("SILKROUTE_NETWORK") };
    }
    let cli = Cli::parse();
    progress::install_interrupt_handler();
    let ctx = progress::Context { quiet: cli.quiet };
    let result = match cli.command {
        Command::Build(args) => build::run(&ctx, cli.network.as_deref(), args),
        Command::Route(args) => route::run(&ctx, cli.network.as_deref(), args),
        Command::Matrix(args) => matrix::run(&ctx, cli.network.as_deref(), args),
        Command::Reach(args) => reach::run(&ctx, cli.network.as_deref(), args),
        Command::Corridors(args) => corridors::run(&ctx, cli.network.as_deref(), args),
        Command::Scenario(args) => scenario::run(&ctx, cli.network.as_deref(), args),
        Command::Flow(args) => flow::run(&ctx, cli.network.as_deref(), args),
        Command::Criticality(args) => criticality::run(&ctx, cli.network.as_deref(), args),
        Command::BriImpact(args) => bri_impact::run(&ctx, cli.network.as_deref(), args),
        Command::Inspect(args) => inspect::run(&ctx, cli.network.as_deref(), args),
        Command::Export(args) => export::run(&ctx, cli.network.as_deref(), args),
        Command::Validate(args) => validate::run(&ctx, cli.network.as_deref(), args),
        Command::Serve(args) => serve::run(&ctx, cli.network.as_deref(), args),
        Command::Bench(args) => bench::run(&ctx, cli.network.as_deref(), args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message);
            // A program that asked for JSON gets the failure as JSON too,
            // in the API's (and the server's) shape.
            if wants_json() {
                output::emit(&output::pretty(&silkroute_api::json::ErrorJson::from(&e)));
            }
            ExitCode::from(exit_code(&e))
        }
    }
}
