//! `silkroute serve`: opens the network once and answers over HTTP
//! (`silkroute_server`: OSRM v5 endpoints and silkroute's own). This shell
//! turns the options into the server's limits and prints where it listens.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use silkroute_api::{Error, ServiceOptions};
use silkroute_server::Limits;

use crate::progress::Context;
use crate::{Outcome, build};

#[derive(clap::Args)]
#[command(after_help = "Endpoints:\n  \
GET  /route/v1/{profile}/{lon,lat;lon,lat}   OSRM route (alternatives, steps, annotations, geometries, overview)\n  \
GET  /table/v1/{profile}/{coordinates}       OSRM table (sources, destinations, annotations=duration,distance)\n  \
GET  /nearest/v1/{profile}/{lon,lat}         OSRM nearest (number)\n  \
POST /api/route | /api/matrix | /api/reach | /api/scenario/{name} | /api/criticality\n  \
GET  /api/places?q= | /api/scenarios | /api/corridors | /api/inspect | /health | /openapi.json\n\n\
Profiles: driving (road), rail, sea, air, ferry, surface (rail,road,sea,ferry), multimodal, or a comma list.\n\
Errors are a non-200 status with {\"code\", \"message\"}; overload is 503 with Retry-After.\n\n\
Example:\n  silkroute serve &\n  curl 'http://127.0.0.1:5000/route/v1/rail/106.55,29.56;6.76,51.43?overview=false'")]
pub struct Args {
    /// Address to listen on (localhost by default; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:5000")]
    listen: SocketAddr,
    /// Async worker threads (routing runs on a separate blocking pool).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Most coordinates in one route request.
    #[arg(long, default_value_t = Limits::default().route_coordinates)]
    max_route_coordinates: usize,
    /// Most coordinates in one table request (sources and destinations).
    #[arg(long, default_value_t = Limits::default().table_coordinates)]
    max_table_coordinates: usize,
    /// Most origin–destination pairs in one scenario or criticality request.
    #[arg(long, default_value_t = Limits::default().pairs)]
    max_pairs: usize,
    /// Largest request body, bytes.
    #[arg(long, default_value_t = Limits::default().body_bytes)]
    max_body_bytes: usize,
    /// Seconds one request may take before it is stopped (504).
    #[arg(long, default_value_t = Limits::default().timeout.as_secs())]
    timeout: u64,
    /// Requests answered at once; more are refused with 503 and Retry-After.
    #[arg(long, default_value_t = Limits::default().concurrency)]
    concurrency: usize,
    /// Customized metrics kept in memory (each up to ~120 MB on the world
    /// network; the least recently used goes first).
    #[arg(long, default_value_t = 8)]
    cached_metrics: usize,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    if args.timeout == 0 || args.concurrency == 0 || args.cached_metrics == 0 {
        return Err(Error::invalid_value(
            "--timeout, --concurrency and --cached-metrics must be at least 1",
        ));
    }
    let mut options = ServiceOptions::default();
    options.engine.max_metrics = args.cached_metrics;
    let service = build::service(ctx, network, options)?;
    let limits = Limits {
        route_coordinates: args.max_route_coordinates,
        table_coordinates: args.max_table_coordinates,
        pairs: args.max_pairs,
        body_bytes: args.max_body_bytes,
        timeout: Duration::from_secs(args.timeout),
        concurrency: args.concurrency,
    };
    let quiet = ctx.quiet;
    crate::progress::leave_signals_to_the_server();
    silkroute_server::run(service, limits, args.listen, args.threads, |addr| {
        // Tests and scripts read this line to find a port picked with :0.
        crate::output::emit(&format!("listening on http://{addr}"));
        if !quiet {
            eprintln!("silkroute serve: listening on http://{addr} (Ctrl-C to stop)");
        }
    })
    .map_err(|e| Error::internal(format!("serve on {}: {e}", args.listen)))
}
