//! How much a route's transit time varies: P10, P50 and P90 of its days.
//!
//! The cost model prices every duration at one figure. Where a range is
//! published, the duration is drawn from it instead, each independently of
//! the others (docs/COST_MODEL.md §4.6):
//!
//! - a **curated border crossing** (`data/bri/border_crossings.toml`):
//!   dwell from a triangular distribution over the published
//!   `dwell_h_min..dwell_h_max`, with its mode at the dwell the route
//!   priced (the midpoint of the published typical range where there is
//!   one; a typical dwell outside the published range widens it). The
//!   maximum of many records is a congestion peak ("up to a
//!   week"), so the distribution is skewed to the right and P50 can lie
//!   above the priced, typical dwell.
//! - a **ferry leg**: the wait for a sailing is uniform between zero and
//!   the headway (the route priced half the headway, its mean), and the
//!   sailing time uniform over the curated ferry's published
//!   `crossing_h..crossing_h_max` where it has both; a ferry with no
//!   published sailing time sails at a drawn ferry speed, as below.
//! - a **leg's speed** (rail, road, sea, air, and ferries without a
//!   published sailing time): drawn once per leg, triangular over the cost
//!   model's `speed_kmh_low..speed_kmh_high` with its mode at the priced
//!   `speed_kmh` (`data/cost_model.toml`, cited); the leg's moving time is
//!   its length over that speed (canal transits, hub handling and gauge
//!   changes stay as priced).
//!
//! Everything else (hub handling, canal queues, crossings without a
//! record) keeps its point figure: their sources give no range, and a
//! spread we invented would be no better than none. The answer says which
//! of the route's durations varied ([`Spread::uncertain`]).
//!
//! Method: with one varying duration the percentiles are exact (the
//! inverse of its distribution function); with more, Monte Carlo by Latin
//! hypercube sampling: [`DRAWS`] draws from a SplitMix64 generator seeded
//! with [`SEED`] at every call, so the same route always reports the same percentiles, in
//! any thread (nearest-rank percentiles of the draws).

use silkroute_cost::CostModel;
use silkroute_import::{Crossing, Ferry};
use silkroute_model::Mode;
use silkroute_route::Route;

/// Draws per route, by Latin hypercube sampling: against 200,000 plain
/// Monte Carlo draws, the percentiles fall within 1 % of the P10–P90 spread
/// (tested), in about 15 µs a route.
pub const DRAWS: usize = 512;

/// The generator's seed (any fixed value; this one is documented).
pub const SEED: u64 = 0x5EED_0016;

/// A kind of duration that can vary, in the order answers list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    /// A leg's speed, by the leg's mode.
    Speed(Mode),
    /// Dwell at a curated border crossing.
    BorderDwell,
    /// The wait for a ferry sailing.
    FerryWait,
    /// A curated ferry's published sailing time.
    FerrySailing,
}

impl Component {
    /// Its name in JSON (`rail_speed`, `border_dwell`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Speed(Mode::Rail) => "rail_speed",
            Component::Speed(Mode::Road) => "road_speed",
            Component::Speed(Mode::Sea) => "sea_speed",
            Component::Speed(Mode::Air) => "air_speed",
            Component::Speed(_) => "ferry_speed",
            Component::BorderDwell => "border_dwell",
            Component::FerryWait => "ferry_wait",
            Component::FerrySailing => "ferry_sailing",
        }
    }

    /// Its name in words (`rail speed`, `border dwell`, …).
    pub fn words(self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// A route's transit time percentiles, hours.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    pub p10_h: f64,
    pub p50_h: f64,
    pub p90_h: f64,
    /// How many of the route's durations were drawn from a range.
    pub varying: usize,
    /// Which kinds of duration varied, each with how many of the route's
    /// durations are of that kind (sums to `varying`), in [`Component`]
    /// order.
    pub uncertain: Vec<(Component, usize)>,
}

/// One duration of the route that varies: drawn, replacing `priced_h`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Varying {
    /// Triangular over `lo..hi` with its mode at `mode`.
    Triangular { lo: f64, mode: f64, hi: f64 },
    /// Uniform over `lo..hi`.
    Uniform { lo: f64, hi: f64 },
    /// `km` over a speed triangular over `lo..hi` km/h with its mode at
    /// `mode`.
    Moving {
        km: f64,
        lo: f64,
        mode: f64,
        hi: f64,
    },
}

fn triangular(u: f64, lo: f64, mode: f64, hi: f64) -> f64 {
    if hi <= lo {
        return lo;
    }
    let f = (mode - lo) / (hi - lo);
    if u < f {
        lo + (u * (hi - lo) * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
    }
}

impl Varying {
    /// The duration at `u` in [0, 1): its inverse distribution function
    /// when it rises with `u` (`Moving` falls: a higher speed is a shorter
    /// time).
    fn draw(&self, u: f64) -> f64 {
        match *self {
            Varying::Uniform { lo, hi } => lo + u * (hi - lo),
            Varying::Triangular { lo, mode, hi } => triangular(u, lo, mode, hi),
            Varying::Moving { km, lo, mode, hi } => km / triangular(u, lo, mode, hi),
        }
    }

    /// The duration's `p` quantile, exactly.
    fn quantile(&self, p: f64) -> f64 {
        match self {
            Varying::Moving { .. } => self.draw(1.0 - p),
            _ => self.draw(p),
        }
    }
}

/// A leg of `km` at `mode`'s priced speed, drawn from its spread; `None`
/// where the model publishes none (low = high).
fn moving(model: &CostModel, mode: Mode, km: f64) -> Option<(Component, f64, Varying)> {
    let r = model.mode(mode)?;
    let (lo, hi) = (r.speed_kmh_low, r.speed_kmh_high);
    if !(km > 0.0 && km.is_finite() && hi > lo) {
        return None;
    }
    let v = Varying::Moving {
        km,
        lo,
        mode: r.speed_kmh.clamp(lo, hi),
        hi,
    };
    Some((Component::Speed(mode), km / r.speed_kmh, v))
}

/// The durations of `route` that vary, each with its kind and the hours
/// it priced.
fn varying(
    route: &Route,
    crossings: &[Crossing],
    ferries: &[Ferry],
    model: &CostModel,
) -> Vec<(Component, f64, Varying)> {
    let mut out = Vec::new();
    for leg in &route.legs {
        let km = leg.distance_m / 1000.0;
        match leg.mode {
            Mode::Rail | Mode::Road | Mode::Sea | Mode::Air => {
                out.extend(moving(model, leg.mode, km));
            }
            Mode::Ferry => {
                let Some(s) = &leg.sailing else { continue };
                if s.wait_h > 0.0 {
                    let v = Varying::Uniform {
                        lo: 0.0,
                        hi: 2.0 * s.wait_h,
                    };
                    out.push((Component::FerryWait, s.wait_h, v));
                }
                let rec = s
                    .curated
                    .as_ref()
                    .and_then(|c| ferries.iter().find(|f| f.id == c.id));
                match rec.map(|f| (f.crossing_h, f.crossing_h_max)) {
                    // A published sailing time: its range, or its point.
                    Some((Some(lo), Some(hi))) if hi > lo && s.crossing_h.is_finite() => {
                        let v = Varying::Uniform { lo, hi };
                        out.push((Component::FerrySailing, s.crossing_h, v));
                    }
                    Some((Some(_), _)) => {}
                    // None: the sailing is the leg's length at ferry speed.
                    _ => out.extend(moving(model, Mode::Ferry, km)),
                }
            }
            Mode::Transfer => {}
        }
    }
    for b in &route.border_crossings {
        let Some(rec) = b
            .curated
            .as_ref()
            .and_then(|c| crossings.iter().find(|x| x.id == c.id))
        else {
            continue;
        };
        let (Some(lo), Some(hi)) = (rec.dwell_h_min, rec.dwell_h_max) else {
            continue;
        };
        let priced = b.dwell_h;
        if !(priced.is_finite() && lo.is_finite() && hi.is_finite() && hi > lo) {
            continue;
        }
        // A typical dwell published outside the record's range (Khorgos:
        // 34.8 h typical, 1–6 h range) widens the range to take it, so the
        // spread lies around what the route priced.
        let (lo, hi) = (lo.min(priced), hi.max(priced));
        out.push((
            Component::BorderDwell,
            priced,
            Varying::Triangular {
                lo,
                mode: priced,
                hi,
            },
        ));
    }
    out
}

/// The P10/P50/P90 transit time of `route`, priced with `model`, given the
/// curated records of its network.
pub fn spread(
    route: &Route,
    crossings: &[Crossing],
    ferries: &[Ferry],
    model: &CostModel,
) -> Spread {
    let parts = varying(route, crossings, ferries, model);
    let mut uncertain: Vec<(Component, usize)> = Vec::new();
    let mut kinds: Vec<Component> = parts.iter().map(|(c, _, _)| *c).collect();
    kinds.sort();
    for k in kinds {
        match uncertain.last_mut() {
            Some((c, n)) if *c == k => *n += 1,
            _ => uncertain.push((k, 1)),
        }
    }
    let total = route.total.time_h;
    let fixed = total - parts.iter().map(|(_, p, _)| p).sum::<f64>();
    let parts: Vec<Varying> = parts.into_iter().map(|(_, _, v)| v).collect();
    let [p10_h, p50_h, p90_h] = percentiles(total, fixed, &parts);
    Spread {
        p10_h,
        p50_h,
        p90_h,
        varying: parts.len(),
        uncertain,
    }
}

/// P10, P50 and P90 of `fixed` plus the sum of `parts` (`total` when none
/// varies): exact for one part, Monte Carlo for more.
fn percentiles(total: f64, fixed: f64, parts: &[Varying]) -> [f64; 3] {
    const P: [f64; 3] = [0.10, 0.50, 0.90];
    match parts {
        [] => [total; 3],
        [one] => P.map(|p| fixed + one.quantile(p)),
        _ => {
            let mut rng = SplitMix64(SEED);
            let mut draws = vec![fixed; DRAWS];
            // Latin hypercube: each part draws once from each of DRAWS
            // equal strata of its probability, in a shuffled order, so
            // every part's own distribution is covered evenly (a tenth of
            // plain Monte Carlo's draws for the same error; tested).
            let mut strata: Vec<u32> = (0..DRAWS as u32).collect();
            for v in parts {
                let t = Tri::of(v);
                for i in (1..DRAWS).rev() {
                    let j = (rng.next() % (i as u64 + 1)) as usize;
                    strata.swap(i, j);
                }
                for (d, k) in draws.iter_mut().zip(&strata) {
                    *d += t.draw((*k as f64 + rng.unit()) / DRAWS as f64);
                }
            }
            // Nearest rank: the ⌈p·n⌉-th smallest, selected in linear time;
            // P10 then lies left of the median and P90 right of it.
            let rank = |p: f64| ((p * DRAWS as f64).ceil() as usize).clamp(1, DRAWS) - 1;
            let (r10, r50, r90) = (rank(0.10), rank(0.50), rank(0.90));
            let (left, p50, right) = draws.select_nth_unstable_by(r50, f64::total_cmp);
            let p50 = *p50;
            let p10 = *left.select_nth_unstable_by(r10, f64::total_cmp).1;
            let p90 = *right
                .select_nth_unstable_by(r90 - r50 - 1, f64::total_cmp)
                .1;
            [p10, p50, p90]
        }
    }
}

/// [`Varying::draw`] with its constants taken once: a uniform or
/// triangular variate over `lo..hi` (mode at fraction `f`), or `km` over
/// it for a moving time.
struct Tri {
    lo: f64,
    hi: f64,
    f: f64,
    a: f64,
    b: f64,
    km: f64,
    uniform: bool,
}

impl Tri {
    fn of(v: &Varying) -> Tri {
        let (lo, mode, hi, km, uniform) = match *v {
            Varying::Triangular { lo, mode, hi } => (lo, mode, hi, 0.0, false),
            Varying::Uniform { lo, hi } => (lo, lo, hi, 0.0, true),
            Varying::Moving { km, lo, mode, hi } => (lo, mode, hi, km, false),
        };
        let w = (hi - lo).max(0.0);
        Tri {
            lo,
            hi,
            f: if w > 0.0 { (mode - lo) / w } else { 1.0 },
            a: w * (mode - lo),
            b: w * (hi - mode),
            km,
            uniform,
        }
    }

    #[inline]
    fn draw(&self, u: f64) -> f64 {
        let x = if self.uniform {
            self.lo + u * (self.hi - self.lo)
        } else if u < self.f {
            self.lo + (u * self.a).sqrt()
        } else {
            self.hi - ((1.0 - u) * self.b).sqrt()
        };
        if self.km > 0.0 { self.km / x } else { x }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough
/// for drawing a few thousand durations reproducibly.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangular_draw_stays_in_its_range_and_its_median_sits_between_mode_and_mean() {
        let v = Varying::Triangular {
            lo: 4.0,
            mode: 30.0,
            hi: 168.0,
        };
        let mut rng = SplitMix64(SEED);
        let mut d: Vec<f64> = (0..DRAWS).map(|_| v.draw(rng.unit())).collect();
        assert!(d.iter().all(|x| (4.0..=168.0).contains(x)));
        d.sort_by(f64::total_cmp);
        let median = d[DRAWS / 2];
        let mean = (4.0 + 30.0 + 168.0) / 3.0;
        assert!(median > 30.0 && median < mean, "{median}");
    }

    #[test]
    fn a_uniform_wait_has_the_priced_mean() {
        let v = Varying::Uniform { lo: 0.0, hi: 24.0 };
        let mut rng = SplitMix64(SEED);
        let mean = (0..DRAWS).map(|_| v.draw(rng.unit())).sum::<f64>() / DRAWS as f64;
        assert!((mean - 12.0).abs() < 0.5, "{mean}");
    }

    /// A 5,000 km rail leg at 29..53.9 km/h (mode 32), a 100 km drayage at
    /// 23.4..42 (mode 30) and one crossing of 4..168 h priced at 30.5 h,
    /// over 10 h of fixed handling.
    fn one_crossing() -> (f64, f64, Vec<Varying>) {
        let parts = vec![
            Varying::Moving {
                km: 5000.0,
                lo: 29.0,
                mode: 32.0,
                hi: 53.9,
            },
            Varying::Moving {
                km: 100.0,
                lo: 23.4,
                mode: 30.0,
                hi: 42.0,
            },
            Varying::Triangular {
                lo: 4.0,
                mode: 30.5,
                hi: 168.0,
            },
        ];
        let fixed = 10.0;
        (fixed + 5000.0 / 32.0 + 100.0 / 30.0 + 30.5, fixed, parts)
    }

    #[test]
    fn a_route_with_one_crossing_of_4_to_168_h_stays_inside_its_extreme_totals() {
        let (total, fixed, parts) = one_crossing();
        let [p10, p50, p90] = percentiles(total, fixed, &parts);
        let min = fixed + 5000.0 / 53.9 + 100.0 / 42.0 + 4.0;
        let max = fixed + 5000.0 / 29.0 + 100.0 / 23.4 + 168.0;
        assert!(
            min <= p10 && p10 <= p50 && p50 <= p90 && p90 <= max,
            "{min} {p10} {p50} {p90} {max}"
        );
        // Not a degenerate spread: the crossing alone spans 164 h.
        assert!(p90 - p10 > 24.0, "{p10} {p90}");
        // The crossing alone: exact, inside its own range.
        let [q10, q50, q90] = percentiles(40.5, 10.0, &parts[2..]);
        assert!(14.0 <= q10 && q10 <= q50 && q50 <= q90 && q90 <= 178.0);
        assert!((q10 - (10.0 + parts[2].draw(0.1))).abs() < 1e-9);
    }

    #[test]
    fn the_percentiles_are_the_same_on_every_call_and_in_every_thread() {
        let (total, fixed, parts) = one_crossing();
        let here = percentiles(total, fixed, &parts);
        assert_eq!(here, percentiles(total, fixed, &parts));
        let there = std::thread::spawn(move || percentiles(total, fixed, &parts))
            .join()
            .unwrap();
        assert_eq!(here, there);
    }

    #[test]
    fn nothing_varies_then_p10_p50_and_p90_are_the_duration() {
        assert_eq!(percentiles(123.4, 123.4, &[]), [123.4; 3]);
        // A speed with no published spread does not vary.
        let m = CostModel::from_overrides("[mode.sea]\nspeed_kmh_low = 26\nspeed_kmh_high = 26\n")
            .unwrap();
        assert!(moving(&m, Mode::Sea, 19_000.0).is_none());
        assert!(moving(&CostModel::defaults(), Mode::Sea, 19_000.0).is_some());
    }

    #[test]
    fn one_speed_is_exact_a_faster_draw_is_a_shorter_time() {
        let v = Varying::Moving {
            km: 1000.0,
            lo: 20.0,
            mode: 30.0,
            hi: 40.0,
        };
        // Symmetric: the median speed is the mode, 30 km/h.
        let [p10, p50, p90] = percentiles(1000.0 / 30.0, 0.0, &[v]);
        assert!((p50 - 1000.0 / 30.0).abs() < 1e-9, "{p50}");
        assert!(p10 < p50 && p50 < p90);
        assert!((p10 - 1000.0 / triangular(0.9, 20.0, 30.0, 40.0)).abs() < 1e-9);
        // Monte Carlo agrees with the exact quantiles within its sampling
        // error (two copies: the sum of two is not the same law, so compare
        // one with an inert second part).
        let inert = Varying::Uniform { lo: 0.0, hi: 0.0 };
        let mc = percentiles(1000.0 / 30.0, 0.0, &[v, inert]);
        for (a, b) in mc.iter().zip([p10, p50, p90]) {
            assert!(
                (a - b).abs() < 0.02 * (p90 - p10),
                "{mc:?} against {p10} {p50} {p90}"
            );
        }
    }

    #[test]
    fn the_prepared_draw_is_the_draw() {
        let parts = [
            Varying::Triangular {
                lo: 4.0,
                mode: 30.5,
                hi: 168.0,
            },
            Varying::Uniform { lo: 0.0, hi: 84.0 },
            Varying::Moving {
                km: 5000.0,
                lo: 29.0,
                mode: 32.0,
                hi: 53.9,
            },
            Varying::Triangular {
                lo: 5.0,
                mode: 5.0,
                hi: 5.0,
            },
        ];
        for v in &parts {
            for u in [0.0, 0.05, 0.3, 0.5, 0.77, 0.999] {
                let (a, b) = (v.draw(u), Tri::of(v).draw(u));
                assert!(
                    (a - b).abs() < 1e-9 * a.abs().max(1.0),
                    "{v:?} at {u}: {a} {b}"
                );
            }
        }
    }

    #[test]
    fn the_latin_hypercube_percentiles_match_a_large_plain_monte_carlo() {
        let (total, fixed, parts) = one_crossing();
        let got = percentiles(total, fixed, &parts);
        let n = 200_000;
        let mut rng = SplitMix64(1);
        let mut d: Vec<f64> = (0..n)
            .map(|_| fixed + parts.iter().map(|v| v.draw(rng.unit())).sum::<f64>())
            .collect();
        d.sort_by(f64::total_cmp);
        let want = [0.1, 0.5, 0.9].map(|p| d[(p * n as f64) as usize]);
        let spread = want[2] - want[0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 0.01 * spread, "{got:?} against {want:?}");
        }
    }
}
