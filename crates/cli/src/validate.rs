//! `silkroute validate`: the engine against published figures (the suite
//! in `data/validation/figures.toml`, or the user's `--figures FILE`), with
//! the share inside the published ranges by category. The rules (format,
//! tolerance, what each measure reads) live in `silkroute_api::validate`.

use std::path::{Path, PathBuf};

use silkroute_api::validate::{self, Measure, Outcome, Report};
use silkroute_api::{Error, ServiceOptions};

use crate::progress::{Bar, Context};
use crate::{Format, Outcome as CommandOutcome, build, output};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  silkroute validate                       the shipped suite, by category
  silkroute validate --failures            only the figures outside their range
  silkroute validate --category border-dwell --format json
  silkroute validate --figures mine.toml   your own figures (format: data/validation/README.md)

A figure is inside when the engine's value lies in the published min..max
widened by 5 % for km and 10 % for days, USD and dwell hours.")]
pub struct Args {
    /// A TOML file of [[figure]] records instead of the shipped suite.
    #[arg(long, value_name = "FILE")]
    figures: Option<PathBuf>,
    /// Only the figures of this category (rail-transit, sea-transit,
    /// multimodal-transit, road-transit, rail-distance, sea-distance,
    /// road-distance, border-dwell, cost).
    #[arg(long)]
    category: Option<String>,
    /// List only the figures outside their published range.
    #[arg(long)]
    failures: bool,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> CommandOutcome {
    if args.format == Format::Geojson {
        return Err(Error::invalid_options(
            "validate writes a table or json, not geojson",
        ));
    }
    let mut figures = match &args.figures {
        None => validate::parse("data/validation/figures.toml", validate::DEFAULT_FIGURES)?,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::invalid_value(format!("{}: {e}", path.display())))?;
            validate::parse(&path.display().to_string(), &text)?
        }
    };
    if let Some(c) = &args.category {
        if !validate::CATEGORIES.contains(&c.as_str()) {
            return Err(Error::invalid_value(format!(
                "unknown category {c:?} (choose from {})",
                validate::CATEGORIES.join(", ")
            )));
        }
        figures.retain(|f| &f.category == c);
    }
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    let bar = Bar::new(ctx, &format!("validating {} figures", figures.len()));
    let report = service.validate(&figures, &bar);
    bar.finish();
    if report.outcomes.iter().any(|o| {
        o.error
            .as_deref()
            .is_some_and(|e| e == Error::cancelled().message)
    }) {
        return Err(Error::cancelled());
    }
    let text = match args.format {
        Format::Json => {
            let mut v = report.json();
            if args.failures {
                v["outcomes"] = serde_json::to_value(
                    report
                        .outcomes
                        .iter()
                        .filter(|o| !o.inside)
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_default();
            }
            output::pretty(&v)
        }
        _ => table(&report, args.failures),
    };
    output::emit(&text);
    Ok(())
}

fn unit(m: Measure) -> &'static str {
    match m {
        Measure::Days => "d",
        Measure::Km => "km",
        Measure::Usd => "USD",
        Measure::DwellH => "h",
    }
}

fn number(x: f64, m: Measure) -> String {
    match m {
        Measure::Days | Measure::DwellH => format!("{x:.1}"),
        _ => format!("{x:.0}"),
    }
}

fn line(o: &Outcome) -> String {
    let range = if o.min == o.max {
        number(o.min, o.measure)
    } else {
        format!("{}–{}", number(o.min, o.measure), number(o.max, o.measure))
    };
    let got = match (&o.value, &o.error) {
        (Some(v), _) => format!("{} {}", number(*v, o.measure), unit(o.measure)),
        (None, Some(e)) => format!("no answer: {e}"),
        (None, None) => "no answer".into(),
    };
    format!(
        "{} {:<44} {:>14} {:<4} {}\n",
        if o.inside { "ok  " } else { "MISS" },
        o.id,
        range,
        unit(o.measure),
        got
    )
}

fn table(r: &Report, failures: bool) -> String {
    let mut out = String::new();
    for o in r.outcomes.iter().filter(|o| !failures || !o.inside) {
        out.push_str(&line(o));
    }
    out.push('\n');
    for c in &r.by_category {
        out.push_str(&format!(
            "{:<20} {:>3} of {:>3} inside ({:.0} %)\n",
            c.category,
            c.inside,
            c.total,
            100.0 * c.inside as f64 / c.total as f64
        ));
    }
    out.push_str(&format!(
        "{:<20} {:>3} of {:>3} inside ({:.1} %)\n",
        "all",
        r.inside,
        r.total,
        100.0 * r.share
    ));
    out
}
