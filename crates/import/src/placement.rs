//! The build's check that every airport, port and terminal lies in the
//! country its record names (rule in [`crate::rules`], "Record countries").
//! There are no country polygons in the build: every rail and road
//! junction carries its Natural Earth country from `data/open/`, so a
//! record's surroundings say which country it lies in. Offenders are
//! warnings, never errors: a wrong coordinate is fixed by a sourced
//! correction (`data/curated/airport_corrections.csv`), and the ones left
//! are listed with their reason in `data/README.md`.

/// A record whose position lies in another country than the one it names.
#[derive(Clone, Debug, PartialEq)]
pub struct Misplaced {
    /// `airport`, `port` or `terminal`.
    pub kind: &'static str,
    /// IATA code, UN/LOCODE or curated id.
    pub id: String,
    pub named: [u8; 2],
    pub found: [u8; 2],
}

/// The country a point lies in, from the countries of its nearest road
/// junctions: the one they all share, `None` when they disagree (a point
/// near a border) or when there are none (nothing near enough to tell).
pub fn surrounding_country(near: &[Option<[u8; 2]>]) -> Option<[u8; 2]> {
    let first = (*near.first()?)?;
    near.iter().all(|c| *c == Some(first)).then_some(first)
}

/// A record that names `named` but whose surroundings give another
/// country, if it is one.
pub fn misplaced(
    kind: &'static str,
    id: &str,
    named: [u8; 2],
    near: &[Option<[u8; 2]>],
) -> Option<Misplaced> {
    surrounding_country(near)
        .filter(|found| *found != named)
        .map(|found| Misplaced {
            kind,
            id: id.to_string(),
            named,
            found,
        })
}

/// The build's warning: how many records of each kind were checked, how
/// many lie outside their country, and the first `show` of them.
pub fn warning(checked: &[(&str, usize)], found: &[Misplaced], show: usize) -> String {
    let code = |c: [u8; 2]| String::from_utf8_lossy(&c).into_owned();
    let counts: Vec<String> = checked.iter().map(|(k, n)| format!("{n} {k}s")).collect();
    let mut s = format!(
        "record countries: {} of {} checked lie in another country than their record names",
        found.len(),
        counts.join(", ")
    );
    if !found.is_empty() {
        let first: Vec<String> = found
            .iter()
            .take(show)
            .map(|m| {
                format!(
                    "{} {} (named {}, found {})",
                    m.kind,
                    m.id,
                    code(m.named),
                    code(m.found)
                )
            })
            .collect();
        s.push_str(&format!(
            "{}: {}{}",
            if found.len() > show {
                "; the first"
            } else {
                ""
            },
            first.join(", "),
            if found.len() > show { ", …" } else { "" }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR: Option<[u8; 2]> = Some(*b"FR");
    const LU: Option<[u8; 2]> = Some(*b"LU");

    #[test]
    fn a_record_amid_another_country_is_misplaced() {
        // Luxembourg-Findel at the source's coordinates: every nearby road
        // junction is French.
        let m = misplaced("airport", "LUX", *b"LU", &[FR, FR, FR, FR, FR]).unwrap();
        assert_eq!((m.named, m.found), (*b"LU", *b"FR"));
        // At the corrected coordinates they are all in Luxembourg.
        assert_eq!(misplaced("airport", "LUX", *b"LU", &[LU, LU, LU]), None);
    }

    #[test]
    fn near_a_border_or_with_nothing_near_nothing_is_said() {
        assert_eq!(surrounding_country(&[FR, LU, FR]), None);
        assert_eq!(surrounding_country(&[FR, None]), None);
        assert_eq!(surrounding_country(&[]), None);
        assert_eq!(misplaced("port", "XXABC", *b"LU", &[FR, LU]), None);
    }

    #[test]
    fn the_warning_counts_and_names_the_first_offenders() {
        let m = |id: &str| Misplaced {
            kind: "port",
            id: id.into(),
            named: *b"LU",
            found: *b"FR",
        };
        let w = warning(&[("airport", 2), ("port", 3)], &[m("A"), m("B"), m("C")], 2);
        assert_eq!(
            w,
            "record countries: 3 of 2 airports, 3 ports checked lie in another country than their record names; the first: port A (named LU, found FR), port B (named LU, found FR), …"
        );
        assert_eq!(
            warning(&[("terminal", 1)], &[], 5),
            "record countries: 0 of 1 terminals checked lie in another country than their record names"
        );
    }
}
