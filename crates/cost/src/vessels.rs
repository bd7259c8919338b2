//! Container-ship classes and the sea passages they fit
//! (`data/vessels.toml`, compiled in): each class's largest beam, draught
//! and length, each passage's gates (a lock set, a channel) with their
//! limits, and the default class per trade lane.
//!
//! The rules: a class fits a passage when some gate of the passage takes
//! its beam, draught and length; a passage with no record has no limit.
//! A route without an explicit class takes the class of the first lane
//! whose two country lists hold its two end countries (either way round),
//! else the table's `default_class`. No IO; every number comes from the
//! TOML.

use std::collections::BTreeMap;

use silkroute_model::Passage;
use toml::{Table, Value};

use crate::Error;

/// The table, compiled in so the binary needs no file.
pub const DEFAULT_TOML: &str = include_str!("../../../data/vessels.toml");

/// One container-ship class, by its largest ships.
#[derive(Clone, Debug, PartialEq)]
pub struct VesselClass {
    /// As written after `--vessel` (`ulcv`, `neopanamax`, `post-panamax`).
    pub id: String,
    pub name: String,
    pub teu_max: f64,
    pub beam_m: f64,
    pub draught_m: f64,
    pub length_m: f64,
}

/// One gate of a passage (a lock set, a channel): the largest ship it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    pub id: String,
    pub name: String,
    pub max_beam_m: f64,
    pub max_draught_m: f64,
    pub max_length_m: f64,
}

impl Gate {
    pub fn takes(&self, c: &VesselClass) -> bool {
        c.beam_m <= self.max_beam_m
            && c.draught_m <= self.max_draught_m
            && c.length_m <= self.max_length_m
    }
}

/// A trade lane with its default class.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub id: String,
    pub name: String,
    pub class: String,
    pub countries_a: Vec<String>,
    pub countries_b: Vec<String>,
}

impl Lane {
    /// Whether a route between these two countries (ISO alpha-2) is on the
    /// lane, in either direction.
    pub fn joins(&self, from: &str, to: &str) -> bool {
        let has = |l: &[String], c: &str| l.iter().any(|x| x.eq_ignore_ascii_case(c));
        (has(&self.countries_a, from) && has(&self.countries_b, to))
            || (has(&self.countries_b, from) && has(&self.countries_a, to))
    }
}

/// The classes, the passage gates and the lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct Vessels {
    /// In the file's order (smallest first).
    pub classes: Vec<VesselClass>,
    pub gates: BTreeMap<Passage, Vec<Gate>>,
    pub lanes: Vec<Lane>,
    pub default_class: String,
}

/// Why a route got its class.
#[derive(Clone, Debug, PartialEq)]
pub enum ClassBasis {
    /// The user named it.
    Given,
    /// The default of this lane.
    Lane { id: String, name: String },
    /// The table's default outside every lane.
    Default,
}

fn num(t: &Table, key: &str, path: &str) -> Result<f64, Error> {
    let x = match t.get(key) {
        Some(Value::Float(x)) => *x,
        Some(Value::Integer(i)) => *i as f64,
        Some(other) => {
            return Err(Error::BadValue {
                key: format!("{path}.{key}"),
                what: "a number".into(),
                value: other.to_string(),
            });
        }
        None => return Err(Error::Toml(format!("vessels: missing `{path}.{key}`"))),
    };
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(Error::BadValue {
            key: format!("{path}.{key}"),
            what: "a positive number".into(),
            value: x.to_string(),
        })
    }
}

fn text(t: &Table, key: &str, path: &str) -> Result<String, Error> {
    t.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::Toml(format!("vessels: missing text `{path}.{key}`")))
}

fn list(t: &Table, key: &str, path: &str) -> Result<Vec<String>, Error> {
    t.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .ok_or_else(|| Error::Toml(format!("vessels: missing list `{path}.{key}`")))
}

/// Every number of a record needs its `source_<number>` table.
fn check_sources(t: &Table, keys: &[&str], path: &str) -> Result<(), Error> {
    for k in keys {
        let s = t.get(&format!("source_{k}")).and_then(Value::as_table);
        let ok = s.is_some_and(|s| s.contains_key("url") && s.contains_key("title"));
        if !ok {
            return Err(Error::Toml(format!(
                "vessels: `{path}.{k}` has no source_{k} table with url and title"
            )));
        }
    }
    Ok(())
}

impl Vessels {
    /// The compiled-in table.
    pub fn defaults() -> Vessels {
        Vessels::from_toml(DEFAULT_TOML).expect("data/vessels.toml is valid")
    }

    pub fn from_toml(text_: &str) -> Result<Vessels, Error> {
        let root: Table = text_.parse().map_err(|e| Error::Toml(format!("{e}")))?;
        let mut classes = Vec::new();
        let empty = Table::new();
        let class_table = root
            .get("class")
            .and_then(Value::as_table)
            .unwrap_or(&empty);
        for (key, v) in class_table {
            let t = v
                .as_table()
                .ok_or_else(|| Error::Toml(format!("vessels: class.{key} is not a table")))?;
            let path = format!("class.{key}");
            check_sources(t, &["teu_max", "beam_m", "draught_m", "length_m"], &path)?;
            classes.push(VesselClass {
                id: key.replace('_', "-"),
                name: text(t, "name", &path)?,
                teu_max: num(t, "teu_max", &path)?,
                beam_m: num(t, "beam_m", &path)?,
                draught_m: num(t, "draught_m", &path)?,
                length_m: num(t, "length_m", &path)?,
            });
        }
        // toml's tables are sorted by key: order classes by size instead.
        classes.sort_by(|a, b| a.teu_max.total_cmp(&b.teu_max));
        let mut gates = BTreeMap::new();
        let passage_table = root
            .get("passage")
            .and_then(Value::as_table)
            .unwrap_or(&empty);
        for (name, v) in passage_table {
            let p = Passage::parse(name)
                .ok_or_else(|| Error::Toml(format!("vessels: unknown passage `{name}`")))?;
            let t = v
                .as_table()
                .ok_or_else(|| Error::Toml(format!("vessels: passage.{name} is not a table")))?;
            let mut list_ = Vec::new();
            for (gid, g) in t {
                let g = g.as_table().ok_or_else(|| {
                    Error::Toml(format!("vessels: passage.{name}.{gid} is not a table"))
                })?;
                let path = format!("passage.{name}.{gid}");
                check_sources(g, &["max_beam_m", "max_draught_m", "max_length_m"], &path)?;
                list_.push(Gate {
                    id: gid.clone(),
                    name: text(g, "name", &path)?,
                    max_beam_m: num(g, "max_beam_m", &path)?,
                    max_draught_m: num(g, "max_draught_m", &path)?,
                    max_length_m: num(g, "max_length_m", &path)?,
                });
            }
            gates.insert(p, list_);
        }
        let mut lanes = Vec::new();
        for (i, v) in root
            .get("lane")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let t = v
                .as_table()
                .ok_or_else(|| Error::Toml(format!("vessels: lane {i} is not a table")))?;
            let path = format!("lane[{i}]");
            check_sources(t, &["class"], &path)?;
            lanes.push(Lane {
                id: text(t, "id", &path)?,
                name: text(t, "name", &path)?,
                class: text(t, "class", &path)?,
                countries_a: list(t, "countries_a", &path)?,
                countries_b: list(t, "countries_b", &path)?,
            });
        }
        let default_class = text(&root, "default_class", "")?;
        let v = Vessels {
            classes,
            gates,
            lanes,
            default_class,
        };
        for c in std::iter::once(&v.default_class).chain(v.lanes.iter().map(|l| &l.class)) {
            if v.class(c).is_none() {
                return Err(Error::Toml(format!("vessels: unknown class `{c}`")));
            }
        }
        Ok(v)
    }

    /// A class by id (`post-panamax` or `post_panamax`, any case).
    pub fn class(&self, id: &str) -> Option<&VesselClass> {
        let id = id.trim().to_ascii_lowercase().replace('_', "-");
        self.classes.iter().find(|c| c.id == id)
    }

    /// Every class id, for messages.
    pub fn class_ids(&self) -> String {
        self.classes
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether a class fits a passage (some gate takes it; no record, no
    /// limit).
    pub fn fits(&self, class: &VesselClass, p: Passage) -> bool {
        self.gates
            .get(&p)
            .is_none_or(|gates| gates.iter().any(|g| g.takes(class)))
    }

    /// The passages a class does not fit.
    pub fn forbidden(&self, class: &VesselClass) -> Vec<Passage> {
        Passage::ALL
            .into_iter()
            .filter(|p| !self.fits(class, *p))
            .collect()
    }

    /// The class of a route between two countries without an explicit
    /// class: the first lane's, else the default.
    pub fn default_for(&self, from_country: &str, to_country: &str) -> (&VesselClass, ClassBasis) {
        for l in &self.lanes {
            if l.joins(from_country, to_country) {
                let c = self.class(&l.class).expect("checked when read");
                return (
                    c,
                    ClassBasis::Lane {
                        id: l.id.clone(),
                        name: l.name.clone(),
                    },
                );
            }
        }
        let c = self.class(&self.default_class).expect("checked when read");
        (c, ClassBasis::Default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_every_class_is_known() {
        let v = Vessels::defaults();
        let ids: Vec<&str> = v.classes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["feeder", "panamax", "post-panamax", "neopanamax", "ulcv"]
        );
        assert!(v.class("Post_Panamax").is_some());
        assert!(v.class("capesize").is_none());
    }

    #[test]
    fn only_ships_too_wide_for_the_new_locks_are_kept_out_of_panama() {
        let v = Vessels::defaults();
        for (id, panama) in [
            ("feeder", true),
            ("panamax", true),
            ("post-panamax", true),
            ("neopanamax", true),
            ("ulcv", false),
        ] {
            let c = v.class(id).unwrap();
            assert_eq!(v.fits(c, Passage::Panama), panama, "{id}");
            // Every container ship fits Suez and open straits.
            assert!(v.fits(c, Passage::Suez), "{id}");
            assert!(v.fits(c, Passage::SouthAfrica), "{id}");
            assert!(v.fits(c, Passage::Malacca), "{id}");
        }
        assert_eq!(v.forbidden(v.class("ulcv").unwrap()), [Passage::Panama]);
    }

    #[test]
    fn asia_north_europe_defaults_to_an_ulcv_either_way_and_others_to_the_default() {
        let v = Vessels::defaults();
        let (c, basis) = v.default_for("CN", "NL");
        assert_eq!(c.id, "ulcv");
        assert!(matches!(basis, ClassBasis::Lane { ref id, .. } if id == "asia-north-europe"));
        assert_eq!(v.default_for("de", "kr").0.id, "ulcv");
        assert_eq!(v.default_for("CN", "IT").0.id, "ulcv");
        let (c, basis) = v.default_for("CN", "US");
        assert_eq!(c.id, v.default_class);
        assert_eq!(basis, ClassBasis::Default);
        // The default class closes nothing.
        assert!(v.forbidden(c).is_empty());
    }

    #[test]
    fn a_number_without_its_source_is_refused() {
        let bad = DEFAULT_TOML.replacen("[class.feeder.source_beam_m]", "[class.feeder.x]", 1);
        let e = Vessels::from_toml(&bad).unwrap_err();
        assert!(e.to_string().contains("source_beam_m"), "{e}");
        let bad =
            DEFAULT_TOML.replacen("default_class = \"neopanamax\"", "default_class = \"x\"", 1);
        assert!(Vessels::from_toml(&bad).is_err());
    }
}
