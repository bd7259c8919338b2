//! The sourced port classes of `data/curated/port_classes.csv`
//! (`locode,class,figure,source`; rules in [`crate::rules`], "Port
//! classes"):
//!
//! - `hub`: a deep-sea container port on a published ranking of the largest
//!   container ports by throughput (its rank or volume in `figure`);
//! - `river`: a port on an inland waterway (a river or canal) that ocean
//!   container ships do not reach. It is **not joined to the sea network**:
//!   no ocean leg ends there; it stays a place reached by land legs.
//!
//! Every other port within [`crate::rules::PORT_SEA_RADIUS_M`] of the sea
//! network is `coastal` (the default, no record); a port farther away is
//! `inland` (kept as a place only). The build refuses a row without a
//! source, with an unknown class, a port that `open/ports.csv` does not
//! list, or a port listed twice.

use std::collections::HashMap;

use crate::Error;
use crate::csvfile::{Table, field};
use crate::sources::Sources;

pub(crate) const FILE: &str = "curated/port_classes.csv";

/// A port's class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortClass {
    Hub,
    Coastal,
    River,
    Inland,
}

impl PortClass {
    pub const ALL: [PortClass; 4] = [
        PortClass::Hub,
        PortClass::Coastal,
        PortClass::River,
        PortClass::Inland,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PortClass::Hub => "hub",
            PortClass::Coastal => "coastal",
            PortClass::River => "river",
            PortClass::Inland => "inland",
        }
    }
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct PortClassRecord {
    pub locode: String,
    pub class: PortClass,
    pub figure: String,
    pub source: String,
}

/// The rows of `curated/port_classes.csv`, checked against `known` (the
/// locodes of `open/ports.csv`), by locode.
pub(crate) fn read(
    src: &Sources,
    known: &dyn Fn(&str) -> bool,
) -> Result<HashMap<String, PortClassRecord>, Error> {
    let mut out: HashMap<String, PortClassRecord> = HashMap::new();
    Table::open(FILE, src.get(FILE)?, &["locode", "class", "figure", "source"])?.for_each(
        |r, _| {
            let locode = field(r, 0).trim();
            if field(r, 3).trim().is_empty() {
                return Err(format!("port class of {locode} has no source"));
            }
            if !known(locode) {
                return Err(format!("port {locode} is not in open/ports.csv"));
            }
            let class = match field(r, 1).trim() {
                "hub" => PortClass::Hub,
                "river" => PortClass::River,
                other => {
                    return Err(format!(
                        "port {locode}: class {other:?} is not one of hub, river (coastal is the default and inland is measured, neither takes a record)"
                    ));
                }
            };
            if class == PortClass::Hub && field(r, 2).trim().is_empty() {
                return Err(format!(
                    "hub {locode} has no figure (its rank or throughput)"
                ));
            }
            let rec = PortClassRecord {
                locode: locode.to_string(),
                class,
                figure: field(r, 2).trim().to_string(),
                source: field(r, 3).trim().to_string(),
            };
            if out.insert(locode.to_string(), rec).is_some() {
                return Err(format!("port {locode} is listed twice"));
            }
            Ok(())
        },
    )?;
    Ok(out)
}

/// The port classes of `src`, checked against its `open/ports.csv` when it
/// has one (a built network's catalogue carries the table alone; the build
/// checked it).
pub fn port_classes(src: &Sources) -> Result<Vec<PortClassRecord>, Error> {
    let mut known = std::collections::HashSet::new();
    let checked = match src.get("open/ports.csv") {
        Ok(bytes) => {
            Table::open(
                "open/ports.csv",
                bytes,
                &["locode", "name", "country", "lat", "lon"],
            )?
            .for_each(|r, _| {
                known.insert(field(r, 0).to_string());
                Ok(())
            })?;
            true
        }
        Err(Error::Missing(_)) => false,
        Err(e) => return Err(e),
    };
    let mut rows: Vec<PortClassRecord> = read(src, &|l| !checked || known.contains(l))?
        .into_values()
        .collect();
    rows.sort_by(|a, b| a.locode.cmp(&b.locode));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(table: &str) -> Sources {
        Sources::from_memory(
            "test",
            vec![
                (
                    "open/ports.csv".to_string(),
                    b"locode,name,country,lat,lon\nNLNIJ,Nijmegen,NL,51.83,5.87\nNLRTM,Rotterdam,NL,51.9,4.44\n"
                        .to_vec(),
                ),
                (FILE.to_string(), table.as_bytes().to_vec()),
            ],
        )
    }

    #[test]
    fn a_row_without_a_source_or_with_an_unknown_port_is_refused() {
        let ok = "locode,class,figure,source\nNLRTM,hub,rank 11,WSC\nNLNIJ,river,,Waal\n";
        let rows = port_classes(&src(ok)).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].class, PortClass::River);
        for (bad, says) in [
            (
                "locode,class,figure,source\nNLNIJ,river,,\n",
                "has no source",
            ),
            (
                "locode,class,figure,source\nXXABC,river,,a source\n",
                "not in open/ports.csv",
            ),
            (
                "locode,class,figure,source\nNLNIJ,lake,,a source\n",
                "is not one of",
            ),
            (
                "locode,class,figure,source\nNLRTM,hub,,WSC\n",
                "has no figure",
            ),
            (
                "locode,class,figure,source\nNLNIJ,river,,a\nNLNIJ,river,,b\n",
                "listed twice",
            ),
        ] {
            let e = port_classes(&src(bad)).unwrap_err().to_string();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
