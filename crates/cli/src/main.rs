//! `silkroute`: the command-line shell over the engine.
//!
//! It parses arguments, finds or builds the network file, calls the engine
//! and prints tables for people or JSON/GeoJSON for programs. Errors reach
//! the user as one line on stderr and a non-zero exit code (2 bad input,
//! 3 no route, 1 anything else); nothing is written when input is bad.

mod bench;
mod bri_impact;
mod build;
mod corridors;
mod criticality;
mod elements;
mod flow;
mod inspect;
mod matrix;
mod output;
mod places_file;
mod progress;
mod query;
mod reach;
mod route;
mod scenario;

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
silkroute inspect\n  silkroute build --out world.srnet"
)]
struct Cli {
    /// Network file to use instead of the cached default (also SILKROUTE_NETWORK).
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

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    pub fn no_route(message: impl Into<String>) -> Failure {
        Failure {
            code: 3,
            message: message.into(),
        }
    }
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<silkroute_graph::Error> for Failure {
    fn from(e: silkroute_graph::Error) -> Failure {
        match e {
            silkroute_graph::Error::Cancelled => Failure {
                code: 130,
                message: "interrupted; nothing was written".into(),
            },
            e => Failure::other(e.to_string()),
        }
    }
}

impl From<silkroute_import::Error> for Failure {
    fn from(e: silkroute_import::Error) -> Failure {
        match e {
            silkroute_import::Error::Cancelled => Failure {
                code: 130,
                message: "interrupted; nothing was written".into(),
            },
            e => Failure::other(e.to_string()),
        }
    }
}

fn main() -> ExitCode {
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
        Command::Bench(args) => bench::run(&ctx, cli.network.as_deref(), args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
