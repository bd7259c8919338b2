//! Reading the cost model (defaults merged with overrides) and pricing
//! transport and hub operations with it.

use silkroute_model::{Mode, Passage};
use toml::{Table, Value};

use crate::{Cargo, Error};

/// The defaults, compiled in so the binary needs no file.
pub const DEFAULT_TOML: &str = include_str!("../../../data/cost_model.toml");

/// Transport operation rates of one mode.
#[derive(Clone, Debug, PartialEq)]
pub struct ModeRates {
    pub speed_kmh: f64,
    /// The published spread of the speed (`speed_kmh_low..speed_kmh_high`,
    /// widened to take `speed_kmh`): used only for a route's P10/P50/P90
    /// days, never to price it.
    pub speed_kmh_low: f64,
    pub speed_kmh_high: f64,
    pub cost_usd_per_container_km: f64,
    pub cost_usd_per_tonne_km: f64,
    pub co2e_g_per_tonne_km_wtw: f64,
    pub co2e_g_per_tonne_km_ttw: f64,
    /// ISO 14083 §5.4.4-style factor from network distance to the distance
    /// emissions are computed on.
    pub distance_adjustment: f64,
}

/// Hub operation rates (a transfer between modes).
#[derive(Clone, Debug, PartialEq)]
pub struct HubRates {
    pub time_h: f64,
    pub cost_usd_per_container: f64,
    pub co2e_kg_per_tonne: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BorderRates {
    pub dwell_h: f64,
    pub fee_usd_per_container: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GaugeChangeRates {
    pub bogie_exchange_h: f64,
    pub transshipment_h: f64,
    pub cost_usd_per_container: f64,
}

/// A canal crossing: toll per FEU, transit time and queue (`[canal.*]`).
#[derive(Clone, Debug, PartialEq)]
pub struct CanalRates {
    pub toll_usd_per_feu: f64,
    pub transit_h: f64,
    pub wait_h: f64,
}

/// The first and last mile (`[drayage]`): a join of a place to the network
/// is a road leg of the straight line times `road_circuity`, unless it is
/// shorter than `gate_km`.
#[derive(Clone, Debug, PartialEq)]
pub struct DrayageRates {
    /// Road distance over straight-line distance.
    pub road_circuity: f64,
    /// A join shorter than this (straight line, km) is no leg and costs
    /// nothing.
    pub gate_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CargoDefaults {
    pub teu_tonnes: f64,
    pub feu_tonnes: f64,
    pub teu_per_feu: f64,
}

/// The kinds of hub operation the network has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HubKind {
    Seaport,
    Airport,
    /// Rail–road transfer at a terminal.
    RoadRail,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostModel {
    pub rail: ModeRates,
    pub road: ModeRates,
    pub sea: ModeRates,
    pub air: ModeRates,
    pub ferry: ModeRates,
    pub seaport: HubRates,
    pub airport: HubRates,
    pub road_rail: HubRates,
    pub border_rail: BorderRates,
    pub border_road: BorderRates,
    pub gauge_change: GaugeChangeRates,
    /// Expected wait for a ferry sailing, hours.
    pub ferry_wait_h: f64,
    pub suez_canal: CanalRates,
    pub panama_canal: CanalRates,
    pub drayage: DrayageRates,
    pub cargo: CargoDefaults,
    /// Added to each flight's great-circle distance for emissions (GLEC).
    pub air_uplift_km: f64,
    pub price_year: i64,
}

/// Time, cost and emissions of one element of a transport chain.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Impact {
    pub time_h: f64,
    pub cost_usd: f64,
    pub co2e_kg_wtw: f64,
    pub co2e_kg_ttw: f64,
}

impl std::ops::Add for Impact {
    type Output = Impact;
    fn add(self, o: Impact) -> Impact {
        Impact {
            time_h: self.time_h + o.time_h,
            cost_usd: self.cost_usd + o.cost_usd,
            co2e_kg_wtw: self.co2e_kg_wtw + o.co2e_kg_wtw,
            co2e_kg_ttw: self.co2e_kg_ttw + o.co2e_kg_ttw,
        }
    }
}

impl std::ops::AddAssign for Impact {
    fn add_assign(&mut self, o: Impact) {
        *self = *self + o;
    }
}

impl std::ops::Mul<f64> for Impact {
    type Output = Impact;
    fn mul(self, k: f64) -> Impact {
        Impact {
            time_h: self.time_h * k,
            cost_usd: self.cost_usd * k,
            co2e_kg_wtw: self.co2e_kg_wtw * k,
            co2e_kg_ttw: self.co2e_kg_ttw * k,
        }
    }
}

/// Checks that every key of `over` exists in `base` with a compatible type,
/// then writes it over `base`.
fn merge(base: &mut Table, over: &Table, path: &str) -> Result<(), Error> {
    for (k, v) in over {
        let key = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        match (base.get_mut(k), v) {
            (None, _) => return Err(Error::UnknownKey(key)),
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o, &key)?,
            (Some(Value::Table(_)), other) => {
                return Err(Error::BadValue {
                    key,
                    what: "a table".into(),
                    value: other.to_string(),
                });
            }
            (Some(b), o) => {
                let numeric = |x: &Value| matches!(x, Value::Integer(_) | Value::Float(_));
                let same_kind = std::mem::discriminant(b) == std::mem::discriminant(o)
                    || (numeric(b) && numeric(o));
                if !same_kind {
                    return Err(Error::BadValue {
                        key,
                        what: format!("like {b}"),
                        value: o.to_string(),
                    });
                }
                *b = o.clone();
            }
        }
    }
    Ok(())
}

struct Reader<'a>(&'a Table);

/// The range a cost model number must lie in, by its key (docs/COST_MODEL.md
/// §3 lists them). Each is one to three orders of magnitude wider than
/// every published figure the defaults cite, and narrow enough that the
/// routes' integer weights (seconds, and cents and grams per FEU-equivalent,
/// `u32` per arc and per shortcut) cannot overflow on a 40,000 km route:
/// e.g. 1,500 g/t-km × 40 t × 40,000 km = 2.4·10⁹ g, 1 km/h over 40,000 km
/// = 1.4·10⁸ s, under the 4.29·10⁹ of a `u32`.
pub fn limits(key: &str) -> (f64, f64) {
    let last = key.rsplit('.').next().unwrap_or(key);
    if key.starts_with("distance_adjustment.") {
        return (0.5, 3.0);
    }
    match key {
        "drayage.road_circuity" => return (1.0, 3.0),
        "drayage.gate_km" => return (0.0, 50.0),
        _ => {}
    }
    match last {
        "speed_kmh" | "driving_speed_kmh" | "speed_kmh_low" | "speed_kmh_high" => (1.0, 2_000.0),
        "cost_usd_per_container_km" => (0.0, 100.0),
        "cost_usd_per_tonne_km" => (0.0, 5.0),
        "co2e_g_per_tonne_km_wtw" | "co2e_g_per_tonne_km_ttw" => (0.0, 1_500.0),
        "cost_usd_per_container" | "fee_usd_per_container" => (0.0, 100_000.0),
        "co2e_kg_per_tonne" => (0.0, 1_000.0),
        "teu_tonnes" | "feu_tonnes" => (1.0, 40.0),
        "teu_per_feu" => (1.0, 4.0),
        "great_circle_uplift_km" => (0.0, 1_000.0),
        // Hours: a hub's handling, a border's dwell, a gauge change, a
        // ferry's wait; 30 days at most.
        k if k.ends_with("_h") => (0.0, 720.0),
        _ => (0.0, 1e6),
    }
}

impl Reader<'_> {
    fn value(&self, key: &str) -> Option<&Value> {
        let mut parts = key.split('.');
        let mut v = self.0.get(parts.next()?)?;
        for p in parts {
            v = v.as_table()?.get(p)?;
        }
        Some(v)
    }

    fn f64(&self, key: &str) -> Result<f64, Error> {
        let missing = || Error::Toml(format!("missing number `{key}`"));
        match self.value(key).ok_or_else(missing)? {
            Value::Float(x) => Ok(*x),
            Value::Integer(i) => Ok(*i as f64),
            other => Err(Error::BadValue {
                key: key.into(),
                what: "a number".into(),
                value: other.to_string(),
            }),
        }
    }

    /// A number that must be ≥ 0 (or > 0 when `positive`) and inside its
    /// key's [`limits`].
    fn rate(&self, key: &str, positive: bool) -> Result<f64, Error> {
        let x = self.f64(key)?;
        let (lo, hi) = limits(key);
        let ok = x.is_finite() && if positive { x > 0.0 } else { x >= 0.0 } && x >= lo && x <= hi;
        if ok {
            Ok(x)
        } else {
            let what = match (positive, lo > 0.0) {
                (_, true) => format!("between {lo} and {hi}"),
                (true, false) => format!("a positive number, at most {hi}"),
                (false, false) => format!("a number from 0 to {hi}"),
            };
            Err(Error::BadValue {
                key: key.into(),
                what,
                value: x.to_string(),
            })
        }
    }

    fn mode(&self, name: &str, factor_key: &str) -> Result<ModeRates, Error> {
        let k = |f: &str| format!("mode.{name}.{f}");
        let speed_kmh = self.rate(&k("speed_kmh"), true)?;
        let low = self.rate(&k("speed_kmh_low"), true)?;
        let high = self.rate(&k("speed_kmh_high"), true)?;
        if low > high {
            return Err(Error::BadValue {
                key: k("speed_kmh_low"),
                what: format!("at most speed_kmh_high ({high})"),
                value: low.to_string(),
            });
        }
        Ok(ModeRates {
            speed_kmh,
            // A speed overridden outside its published spread widens it.
            speed_kmh_low: low.min(speed_kmh),
            speed_kmh_high: high.max(speed_kmh),
            cost_usd_per_container_km: self.rate(&k("cost_usd_per_container_km"), false)?,
            cost_usd_per_tonne_km: self.rate(&k("cost_usd_per_tonne_km"), false)?,
            co2e_g_per_tonne_km_wtw: self.rate(&k("co2e_g_per_tonne_km_wtw"), false)?,
            co2e_g_per_tonne_km_ttw: self.rate(&k("co2e_g_per_tonne_km_ttw"), false)?,
            distance_adjustment: if factor_key.is_empty() {
                1.0
            } else {
                self.rate(&format!("distance_adjustment.{factor_key}"), true)?
            },
        })
    }

    fn hub(&self, name: &str) -> Result<HubRates, Error> {
        let k = |f: &str| format!("transfer.{name}.{f}");
        Ok(HubRates {
            time_h: self.rate(&k("time_h"), false)?,
            cost_usd_per_container: self.rate(&k("cost_usd_per_container"), false)?,
            co2e_kg_per_tonne: self.rate(&k("co2e_kg_per_tonne"), false)?,
        })
    }

    fn canal(&self, name: &str) -> Result<CanalRates, Error> {
        let k = |f: &str| format!("canal.{name}.{f}");
        Ok(CanalRates {
            toll_usd_per_feu: self.rate(&k("toll_usd_per_feu"), false)?,
            transit_h: self.rate(&k("transit_h"), false)?,
            wait_h: self.rate(&k("wait_h"), false)?,
        })
    }

    fn border(&self, name: &str) -> Result<BorderRates, Error> {
        Ok(BorderRates {
            dwell_h: self.rate(&format!("border.{name}.dwell_h"), false)?,
            fee_usd_per_container: self
                .rate(&format!("border.{name}.fee_usd_per_container"), false)?,
        })
    }
}

impl CostModel {
    /// A fingerprint of every number in the model, for caching what was
    /// computed with it (two models with the same numbers share it; a
    /// change to any field changes it). Cheap enough to take per query.
    pub fn fingerprint(&self) -> u64 {
        // Destructured in full, so a new field cannot be left out.
        let CostModel {
            rail,
            road,
            sea,
            air,
            ferry,
            seaport,
            airport,
            road_rail,
            border_rail,
            border_road,
            gauge_change,
            ferry_wait_h,
            suez_canal,
            panama_canal,
            drayage,
            cargo,
            air_uplift_km,
            price_year,
        } = self;
        let mut words: Vec<u64> = Vec::with_capacity(64);
        for m in [rail, road, sea, air, ferry] {
            let ModeRates {
                speed_kmh,
                speed_kmh_low,
                speed_kmh_high,
                cost_usd_per_container_km,
                cost_usd_per_tonne_km,
                co2e_g_per_tonne_km_wtw,
                co2e_g_per_tonne_km_ttw,
                distance_adjustment,
            } = m;
            words.extend(
                [
                    speed_kmh,
                    speed_kmh_low,
                    speed_kmh_high,
                    cost_usd_per_container_km,
                    cost_usd_per_tonne_km,
                    co2e_g_per_tonne_km_wtw,
                    co2e_g_per_tonne_km_ttw,
                    distance_adjustment,
                ]
                .map(|x| x.to_bits()),
            );
        }
        for h in [seaport, airport, road_rail] {
            let HubRates {
                time_h,
                cost_usd_per_container,
                co2e_kg_per_tonne,
            } = h;
            words.extend([time_h, cost_usd_per_container, co2e_kg_per_tonne].map(|x| x.to_bits()));
        }
        for b in [border_rail, border_road] {
            let BorderRates {
                dwell_h,
                fee_usd_per_container,
            } = b;
            words.extend([dwell_h, fee_usd_per_container].map(|x| x.to_bits()));
        }
        for c in [suez_canal, panama_canal] {
            let CanalRates {
                toll_usd_per_feu,
                transit_h,
                wait_h,
            } = c;
            words.extend([toll_usd_per_feu, transit_h, wait_h].map(|x| x.to_bits()));
        }
        let GaugeChangeRates {
            bogie_exchange_h,
            transshipment_h,
            cost_usd_per_container,
        } = gauge_change;
        let CargoDefaults {
            teu_tonnes,
            feu_tonnes,
            teu_per_feu,
        } = cargo;
        let DrayageRates {
            road_circuity,
            gate_km,
        } = drayage;
        words.extend([road_circuity, gate_km].map(|x| x.to_bits()));
        words.extend(
            [
                bogie_exchange_h,
                transshipment_h,
                cost_usd_per_container,
                ferry_wait_h,
                teu_tonnes,
                feu_tonnes,
                teu_per_feu,
                air_uplift_km,
            ]
            .map(|x| x.to_bits()),
        );
        words.push(*price_year as u64);
        // FNV-1a over the words: no dependency, stable across runs.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in words {
            for b in w.to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    }

    /// The compiled-in defaults.
    pub fn defaults() -> CostModel {
        CostModel::from_overrides("").expect("data/cost_model.toml is valid (checked by tests)")
    }

    /// The defaults with `text` (a possibly partial cost model in the same
    /// layout) merged over them key by key. Unknown keys and wrong types are
    /// errors, so a typo never silently falls back to a default.
    pub fn from_overrides(text: &str) -> Result<CostModel, Error> {
        let mut base: Table = DEFAULT_TOML
            .parse()
            .map_err(|e: toml::de::Error| Error::Toml(e.to_string()))?;
        let over: Table = text
            .parse()
            .map_err(|e: toml::de::Error| Error::Toml(e.message().to_string()))?;
        merge(&mut base, &over, "")?;
        let r = Reader(&base);
        Ok(CostModel {
            rail: r.mode("rail", "rail_factor")?,
            road: r.mode("road", "road_factor")?,
            sea: r.mode("sea", "sea_factor")?,
            air: r.mode("air", "")?,
            ferry: r.mode("ferry", "ferry_factor")?,
            seaport: r.hub("seaport")?,
            airport: r.hub("airport")?,
            road_rail: r.hub("road_rail")?,
            border_rail: r.border("rail")?,
            border_road: r.border("road")?,
            gauge_change: GaugeChangeRates {
                bogie_exchange_h: r.rate("gauge_change.bogie_exchange_h", false)?,
                transshipment_h: r.rate("gauge_change.transshipment_h", false)?,
                cost_usd_per_container: r.rate("gauge_change.cost_usd_per_container", false)?,
            },
            ferry_wait_h: r.rate("ferry_wait.wait_h", false)?,
            suez_canal: r.canal("suez")?,
            panama_canal: r.canal("panama")?,
            drayage: DrayageRates {
                road_circuity: r.rate("drayage.road_circuity", true)?,
                gate_km: r.rate("drayage.gate_km", false)?,
            },
            cargo: CargoDefaults {
                teu_tonnes: r.rate("cargo.teu_tonnes", true)?,
                feu_tonnes: r.rate("cargo.feu_tonnes", true)?,
                teu_per_feu: r.rate("cargo.teu_per_feu", true)?,
            },
            air_uplift_km: r.rate("air.great_circle_uplift_km", false)?,
            price_year: r
                .value("price_year")
                .and_then(Value::as_integer)
                .unwrap_or(0),
        })
    }

    pub fn mode(&self, mode: Mode) -> Option<&ModeRates> {
        match mode {
            Mode::Rail => Some(&self.rail),
            Mode::Road => Some(&self.road),
            Mode::Sea => Some(&self.sea),
            Mode::Air => Some(&self.air),
            Mode::Ferry => Some(&self.ferry),
            Mode::Transfer => None,
        }
    }

    /// A transport operation: `distance_m` of `mode` carrying `cargo`. For
    /// air, `distance_m` is one flight's great-circle distance and the GLEC
    /// uplift is added for emissions; for a ferry, one crossing, including the
    /// expected wait for a sailing (`[ferry_wait]`).
    pub fn transport(&self, mode: Mode, distance_m: f64, cargo: &Cargo) -> Impact {
        let Some(rates) = self.mode(mode) else {
            return Impact::default();
        };
        let km = distance_m / 1000.0;
        let tonnes = cargo.tonnes(self);
        let cost_usd = if cargo.is_containerised() {
            km * rates.cost_usd_per_container_km * cargo.feu_equivalents(self)
        } else {
            km * rates.cost_usd_per_tonne_km * tonnes
        };
        let emission_km = if mode == Mode::Air {
            km + self.air_uplift_km
        } else {
            km * rates.distance_adjustment
        };
        let tkm = emission_km * tonnes;
        // A ferry edge is one crossing: waiting for the sailing is part of it.
        let wait_h = if mode == Mode::Ferry {
            self.ferry_wait_h
        } else {
            0.0
        };
        Impact {
            time_h: km / rates.speed_kmh + wait_h,
            cost_usd,
            co2e_kg_wtw: tkm * rates.co2e_g_per_tonne_km_wtw / 1000.0,
            co2e_kg_ttw: tkm * rates.co2e_g_per_tonne_km_ttw / 1000.0,
        }
    }

    /// The first or last mile between a place and the network node it
    /// joins, `straight_m` apart: a road leg of `straight_m` ×
    /// `drayage.road_circuity`, priced as [`CostModel::transport`] prices
    /// road. Its road distance (m) and impact; `None` when the join is
    /// shorter than `drayage.gate_km` (no leg, nothing charged). Searches
    /// charge exactly this for joining a node, and routes list it, so the
    /// join a route chooses is priced as it is reported.
    pub fn drayage(&self, straight_m: f64, cargo: &Cargo) -> Option<(f64, Impact)> {
        if straight_m <= 0.0 || straight_m < self.drayage.gate_km * 1000.0 {
            return None;
        }
        let road_m = straight_m * self.drayage.road_circuity;
        Some((road_m, self.transport(Mode::Road, road_m, cargo)))
    }

    /// One ferry crossing of `distance_m` where a curated record gives its
    /// own figures: `crossing_h` replaces distance over the ferry speed and
    /// `wait_h` the `[ferry_wait]` default, each where given. Cost and
    /// emissions follow the distance as in [`CostModel::transport`].
    pub fn ferry_crossing(
        &self,
        distance_m: f64,
        cargo: &Cargo,
        crossing_h: Option<f64>,
        wait_h: Option<f64>,
    ) -> Impact {
        let mut impact = self.transport(Mode::Ferry, distance_m, cargo);
        let sailing = crossing_h.unwrap_or(distance_m / 1000.0 / self.ferry.speed_kmh);
        impact.time_h = sailing + wait_h.unwrap_or(self.ferry_wait_h);
        impact
    }

    /// The canal rates of a passage, if it is a priced canal.
    pub fn canal(&self, p: Passage) -> Option<&CanalRates> {
        match p {
            Passage::Suez => Some(&self.suez_canal),
            Passage::Panama => Some(&self.panama_canal),
            _ => None,
        }
    }

    /// What a crossing of canal `p` adds to its sea arcs, for a `share` of
    /// one whole crossing whose arcs are `crossing_m` long: the toll per FEU
    /// (by the cargo's FEU-equivalents), the transit time beyond the time
    /// those arcs take at the sea speed (never less than zero), and the
    /// queue. Zero for a passage that is not a priced canal.
    pub fn canal_crossing(&self, p: Passage, cargo: &Cargo, crossing_m: f64, share: f64) -> Impact {
        let Some(c) = self.canal(p) else {
            return Impact::default();
        };
        let sailed_h = crossing_m / 1000.0 / self.sea.speed_kmh;
        Impact {
            time_h: ((c.transit_h - sailed_h).max(0.0) + c.wait_h) * share,
            cost_usd: c.toll_usd_per_feu * cargo.feu_equivalents(self) * share,
            co2e_kg_wtw: 0.0,
            co2e_kg_ttw: 0.0,
        }
    }

    pub fn hub_rates(&self, kind: HubKind) -> &HubRates {
        match kind {
            HubKind::Seaport => &self.seaport,
            HubKind::Airport => &self.airport,
            HubKind::RoadRail => &self.road_rail,
        }
    }

    /// A hub operation (handling `cargo` once at a transfer point). Hub
    /// emissions are reported as WTW and TTW alike: GLEC hub defaults give
    /// one figure.
    pub fn hub(&self, kind: HubKind, cargo: &Cargo) -> Impact {
        let h = self.hub_rates(kind);
        let co2 = h.co2e_kg_per_tonne * cargo.tonnes(self);
        Impact {
            time_h: h.time_h,
            cost_usd: h.cost_usd_per_container * cargo.feu_equivalents(self),
            co2e_kg_wtw: co2,
            co2e_kg_ttw: co2,
        }
    }

    /// A break of gauge on a rail route: containers are transshipped between
    /// wagons of the two gauges (the handling at Dostyk, Brest–Małaszewicze
    /// and the Franco-Spanish border); hub emissions as a rail–road terminal.
    pub fn gauge_change(&self, cargo: &Cargo) -> Impact {
        let co2 = self.road_rail.co2e_kg_per_tonne * cargo.tonnes(self);
        Impact {
            time_h: self.gauge_change.transshipment_h,
            cost_usd: self.gauge_change.cost_usd_per_container * cargo.feu_equivalents(self),
            co2e_kg_wtw: co2,
            co2e_kg_ttw: co2,
        }
    }

    /// Crossing a customs border by rail or road.
    pub fn border(&self, mode: Mode, cargo: &Cargo) -> Impact {
        self.border_at(mode, cargo, true, None, None)
    }

    /// Crossing a border where a curated record may give its own figures:
    /// `dwell_h` and `fee_usd_per_container` replace the `[border.*]`
    /// defaults where given. Without a figure, a customs border takes the
    /// default and a border inside a customs union nothing.
    pub fn border_at(
        &self,
        mode: Mode,
        cargo: &Cargo,
        customs: bool,
        dwell_h: Option<f64>,
        fee_usd_per_container: Option<f64>,
    ) -> Impact {
        let b = if mode == Mode::Road {
            &self.border_road
        } else {
            &self.border_rail
        };
        let (dwell, fee) = if customs {
            (b.dwell_h, b.fee_usd_per_container)
        } else {
            (0.0, 0.0)
        };
        Impact {
            time_h: dwell_h.unwrap_or(dwell),
            cost_usd: fee_usd_per_container.unwrap_or(fee) * cargo.feu_equivalents(self),
            ..Impact::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_the_numbers_not_the_address() {
        let a = CostModel::defaults();
        let b = CostModel::defaults();
        assert_eq!(a.fingerprint(), b.fingerprint());
        let c = CostModel::from_overrides("[mode.rail]\nspeed_kmh = 40\n").unwrap();
        assert_ne!(a.fingerprint(), c.fingerprint());
        let mut d = CostModel::defaults();
        d.price_year += 1;
        assert_ne!(a.fingerprint(), d.fingerprint());
        let mut e = CostModel::defaults();
        e.border_road.fee_usd_per_container += 1.0;
        assert_ne!(a.fingerprint(), e.fingerprint());
    }

    #[test]
    fn speed_spreads_are_read_checked_and_widened_to_take_the_speed() {
        let m = CostModel::defaults();
        for mode in Mode::TRAVEL {
            let r = m.mode(mode).unwrap();
            assert!(
                r.speed_kmh_low < r.speed_kmh && r.speed_kmh < r.speed_kmh_high,
                "{mode}"
            );
        }
        assert_eq!((m.rail.speed_kmh_low, m.rail.speed_kmh_high), (29.0, 53.9));
        // A speed overridden outside its spread widens it.
        let slow = CostModel::from_overrides("[mode.rail]\nspeed_kmh = 3\n").unwrap();
        assert_eq!(
            (slow.rail.speed_kmh_low, slow.rail.speed_kmh_high),
            (3.0, 53.9)
        );
        let e = CostModel::from_overrides("[mode.sea]\nspeed_kmh_low = 40\n").unwrap_err();
        assert!(e.to_string().contains("mode.sea.speed_kmh_low"), "{e}");
        let mut wider = CostModel::defaults();
        wider.sea.speed_kmh_high += 1.0;
        assert_ne!(wider.fingerprint(), m.fingerprint());
    }

    #[test]
    fn defaults_parse_and_are_sane() {
        let m = CostModel::defaults();
        for mode in Mode::TRAVEL {
            let r = m.mode(mode).unwrap();
            assert!(
                r.speed_kmh > 0.0 && r.co2e_g_per_tonne_km_wtw >= r.co2e_g_per_tonne_km_ttw,
                "{mode}"
            );
        }
        // Air is the fastest and dirtiest, sea the cleanest per tonne-km.
        assert!(
            m.air.speed_kmh > m.rail.speed_kmh
                && m.air.co2e_g_per_tonne_km_wtw > m.road.co2e_g_per_tonne_km_wtw
        );
        assert!(m.sea.co2e_g_per_tonne_km_wtw < m.rail.co2e_g_per_tonne_km_wtw);
    }

    #[test]
    fn drayage_is_a_road_leg_of_the_straight_line_times_the_circuity() {
        let m = CostModel::defaults();
        let feu = Cargo::Feu(1.0);
        let (road_m, impact) = m.drayage(100_000.0, &feu).unwrap();
        assert!((road_m - 100_000.0 * m.drayage.road_circuity).abs() < 1e-6);
        assert_eq!(impact, m.transport(Mode::Road, road_m, &feu));
        // Inside the hub's gate: no leg, nothing charged.
        assert_eq!(m.drayage(m.drayage.gate_km * 1000.0 - 1.0, &feu), None);
        assert_eq!(m.drayage(0.0, &feu), None);
        let every = CostModel::from_overrides("[drayage]\ngate_km = 0\n").unwrap();
        assert!(every.drayage(10.0, &feu).is_some());
        assert_ne!(every.fingerprint(), m.fingerprint());
        assert!(CostModel::from_overrides("[drayage]\nroad_circuity = 0.5\n").is_err());
    }

    #[test]
    fn transport_scales_with_distance_and_cargo() {
        let m = CostModel::defaults();
        let feu = Cargo::Feu(1.0);
        let a = m.transport(Mode::Rail, 1_000_000.0, &feu);
        assert!((a.time_h - 1000.0 / m.rail.speed_kmh).abs() < 1e-9);
        assert!((a.cost_usd - 1000.0 * m.rail.cost_usd_per_container_km).abs() < 1e-9);
        let expect_co2 = 1000.0
            * m.rail.distance_adjustment
            * m.cargo.feu_tonnes
            * m.rail.co2e_g_per_tonne_km_wtw
            / 1000.0;
        assert!((a.co2e_kg_wtw - expect_co2).abs() < 1e-9);
        let two = m.transport(Mode::Rail, 1_000_000.0, &Cargo::Feu(2.0));
        assert!((two.cost_usd - 2.0 * a.cost_usd).abs() < 1e-9);
        let air = m.transport(Mode::Air, 1_000_000.0, &feu);
        let expect =
            (1000.0 + m.air_uplift_km) * m.cargo.feu_tonnes * m.air.co2e_g_per_tonne_km_wtw
                / 1000.0;
        assert!((air.co2e_kg_wtw - expect).abs() < 1e-6);
    }

    #[test]
    fn curated_figures_replace_defaults_where_given() {
        let m = CostModel::defaults();
        let feu = Cargo::Feu(1.0);
        let default = m.border(Mode::Rail, &feu);
        let curated = m.border_at(Mode::Rail, &feu, true, Some(5.0), None);
        assert_eq!(curated.time_h, 5.0);
        assert_eq!(curated.cost_usd, default.cost_usd);
        // Inside a customs union only a curated figure costs anything.
        assert_eq!(m.border_at(Mode::Rail, &feu, false, None, None).time_h, 0.0);
        assert_eq!(
            m.border_at(Mode::Rail, &feu, false, Some(2.0), None).time_h,
            2.0
        );
        let plain = m.transport(Mode::Ferry, 400_000.0, &feu);
        assert_eq!(m.ferry_crossing(400_000.0, &feu, None, None), plain);
        let ferry = m.ferry_crossing(400_000.0, &feu, Some(20.0), Some(12.0));
        assert_eq!(ferry.time_h, 32.0);
        assert_eq!(ferry.cost_usd, plain.cost_usd);
        let wait_only = m.ferry_crossing(400_000.0, &feu, None, Some(0.0));
        assert!((wait_only.time_h - (plain.time_h - m.ferry_wait_h)).abs() < 1e-9);
    }

    #[test]
    fn overrides_merge_and_typos_are_refused() {
        let m = CostModel::from_overrides("[mode.rail]\nspeed_kmh = 40\n").unwrap();
        assert_eq!(m.rail.speed_kmh, 40.0);
        assert_eq!(m.road, CostModel::defaults().road);
        assert!(
            matches!(CostModel::from_overrides("[mode.rail]\nsped_kmh = 40\n"), Err(Error::UnknownKey(k)) if k == "mode.rail.sped_kmh")
        );
        assert!(matches!(
            CostModel::from_overrides("[mode.rail]\nspeed_kmh = \"fast\"\n"),
            Err(Error::BadValue { .. })
        ));
        assert!(matches!(
            CostModel::from_overrides("[mode.rail]\nspeed_kmh = 0\n"),
            Err(Error::BadValue { .. })
        ));
        assert!(matches!(
            CostModel::from_overrides("[mode.rail\n"),
            Err(Error::Toml(_))
        ));
    }

    #[test]
    fn numbers_outside_what_routes_can_weigh_are_refused() {
        // Before, 1e308 and 1e-9 km/h were accepted and gave routes at
        // "inf" or saturated weights.
        for (text, key) in [
            ("[mode.rail]\nspeed_kmh = 1e-9\n", "mode.rail.speed_kmh"),
            (
                "[mode.rail]\ncost_usd_per_container_km = 1e308\n",
                "mode.rail.cost_usd_per_container_km",
            ),
            (
                "[mode.air]\nco2e_g_per_tonne_km_wtw = 1e5\n",
                "mode.air.co2e_g_per_tonne_km_wtw",
            ),
            (
                "[transfer.seaport]\ntime_h = 1e308\n",
                "transfer.seaport.time_h",
            ),
            (
                "[border.road]\nfee_usd_per_container = 1e7\n",
                "border.road.fee_usd_per_container",
            ),
            ("[cargo]\nfeu_tonnes = 1e-9\n", "cargo.feu_tonnes"),
            ("[mode.sea]\nspeed_kmh = nan\n", "mode.sea.speed_kmh"),
            ("[mode.sea]\nspeed_kmh = inf\n", "mode.sea.speed_kmh"),
            (
                "[distance_adjustment]\nsea_factor = 100\n",
                "distance_adjustment.sea_factor",
            ),
        ] {
            match CostModel::from_overrides(text) {
                Err(Error::BadValue { key: k, what, .. }) => {
                    assert_eq!(k, key, "{text}");
                    assert!(
                        what.contains("between") || what.contains("at most") || what.contains("to"),
                        "{what}"
                    );
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        // The edges of the ranges are accepted.
        assert!(
            CostModel::from_overrides(
                "[mode.rail]\nspeed_kmh = 1\ncost_usd_per_container_km = 100\n"
            )
            .is_ok()
        );
    }

    #[test]
    fn a_whole_canal_crossing_pays_the_toll_once_and_waits_its_queue() {
        let m = CostModel::defaults();
        let feu = Cargo::Feu(1.0);
        // A crossing sailed in 1 h at sea speed: the transit adds the rest.
        let short_m = m.sea.speed_kmh * 1000.0;
        let whole = m.canal_crossing(Passage::Suez, &feu, short_m, 1.0);
        assert_eq!(whole.cost_usd, m.suez_canal.toll_usd_per_feu);
        assert!((whole.time_h - (m.suez_canal.transit_h - 1.0 + m.suez_canal.wait_h)).abs() < 1e-9);
        assert_eq!(whole.co2e_kg_wtw, 0.0);
        // Half the crossing pays half; two FEU pay twice.
        let half = m.canal_crossing(Passage::Suez, &feu, short_m, 0.5);
        assert!((half.cost_usd * 2.0 - whole.cost_usd).abs() < 1e-9);
        let two = m.canal_crossing(Passage::Panama, &Cargo::Feu(2.0), short_m, 1.0);
        assert_eq!(two.cost_usd, 2.0 * m.panama_canal.toll_usd_per_feu);
        // A crossing longer than the transit adds only the queue.
        let long = m.canal_crossing(Passage::Suez, &feu, 100.0 * short_m, 1.0);
        assert_eq!(long.time_h, m.suez_canal.wait_h);
        // Open straits cost nothing.
        assert_eq!(
            m.canal_crossing(Passage::Malacca, &feu, short_m, 1.0),
            Impact::default()
        );
        // The rates are overridable, and move the fingerprint.
        let o = CostModel::from_overrides("[canal.suez]\ntoll_usd_per_feu = 0\n").unwrap();
        assert_eq!(o.suez_canal.toll_usd_per_feu, 0.0);
        assert_ne!(o.fingerprint(), m.fingerprint());
    }
}
