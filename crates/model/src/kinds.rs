//! Transport modes, node kinds and named sea passages.
//!
//! Each enum has a stable `u8` code because the compiled network stores them
//! as bytes; changing a code is a format change (bump
//! `graph::FORMAT_VERSION`). Names (`as_str`/`parse`) are what users type and
//! what JSON carries.

use std::fmt;

/// How cargo moves along an arc. `Transfer` arcs join two modes at a port,
/// airport or terminal; they carry cargo between modes, not along a lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Mode {
    Rail = 0,
    Road = 1,
    Sea = 2,
    Air = 3,
    Ferry = 4,
    Transfer = 5,
}

impl Mode {
    /// The modes a user can ask for (`--modes`); `Transfer` follows from them.
    pub const TRAVEL: [Mode; 5] = [Mode::Rail, Mode::Road, Mode::Sea, Mode::Air, Mode::Ferry];
    pub const ALL: [Mode; 6] = [
        Mode::Rail,
        Mode::Road,
        Mode::Sea,
        Mode::Air,
        Mode::Ferry,
        Mode::Transfer,
    ];

    pub fn from_code(code: u8) -> Option<Mode> {
        Mode::ALL.get(code as usize).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
            Mode::Sea => "sea",
            Mode::Air => "air",
            Mode::Ferry => "ferry",
            Mode::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of modes as a bit mask (bit `Mode as u8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ModeSet(pub u8);

impl ModeSet {
    pub const EMPTY: ModeSet = ModeSet(0);

    pub fn of(modes: &[Mode]) -> ModeSet {
        ModeSet(modes.iter().fold(0, |acc, m| acc | m.bit()))
    }

    pub fn travel() -> ModeSet {
        ModeSet::of(&Mode::TRAVEL)
    }

    pub fn contains(self, mode: Mode) -> bool {
        self.0 & mode.bit() != 0
    }

    /// True when every mode of `other` is in `self`.
    pub fn contains_all(self, other: ModeSet) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn intersects(self, other: ModeSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn insert(&mut self, mode: Mode) {
        self.0 |= mode.bit();
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Mode> {
        Mode::ALL.into_iter().filter(move |m| self.contains(*m))
    }

    /// Parses `rail,road,sea`. Returns the offending word on error.
    pub fn parse_list(s: &str) -> Result<ModeSet, String> {
        let mut set = ModeSet::EMPTY;
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match Mode::parse(&word.to_ascii_lowercase()) {
                Some(Mode::Transfer) | None => return Err(word.to_string()),
                Some(m) => set.insert(m),
            }
        }
        if set.is_empty() {
            return Err(s.to_string());
        }
        Ok(set)
    }
}

impl fmt::Display for ModeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Mode::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// What a node is. Junctions are the plain vertices of the source networks;
/// the other kinds are places where cargo can enter, leave or change mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum NodeKind {
    Junction = 0,
    Seaport = 1,
    RailTerminal = 2,
    Airport = 3,
    BorderPost = 4,
}

impl NodeKind {
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Junction,
        NodeKind::Seaport,
        NodeKind::RailTerminal,
        NodeKind::Airport,
        NodeKind::BorderPost,
    ];

    pub fn from_code(code: u8) -> Option<NodeKind> {
        NodeKind::ALL.get(code as usize).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Junction => "junction",
            NodeKind::Seaport => "seaport",
            NodeKind::RailTerminal => "rail_terminal",
            NodeKind::Airport => "airport",
            NodeKind::BorderPost => "border_post",
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named maritime chokepoint, as tagged in the Eurostat marnet network that
/// searoute ships. Code 0 means "no passage".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Passage {
    Suez = 1,
    Panama = 2,
    Malacca = 3,
    Babalmandab = 4,
    Bosporus = 5,
    Dardanelles = 6,
    Gibraltar = 7,
    Ormuz = 8,
    Sunda = 9,
    SouthAfrica = 10,
    Chili = 11,
    Northwest = 12,
    Bering = 13,
}

impl Passage {
    pub const ALL: [Passage; 13] = [
        Passage::Suez,
        Passage::Panama,
        Passage::Malacca,
        Passage::Babalmandab,
        Passage::Bosporus,
        Passage::Dardanelles,
        Passage::Gibraltar,
        Passage::Ormuz,
        Passage::Sunda,
        Passage::SouthAfrica,
        Passage::Chili,
        Passage::Northwest,
        Passage::Bering,
    ];

    pub fn from_code(code: u8) -> Option<Passage> {
        Passage::ALL.into_iter().find(|p| *p as u8 == code)
    }

    /// The name used by marnet/searoute and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Passage::Suez => "suez",
            Passage::Panama => "panama",
            Passage::Malacca => "malacca",
            Passage::Babalmandab => "babalmandab",
            Passage::Bosporus => "bosporus",
            Passage::Dardanelles => "dardanelles",
            Passage::Gibraltar => "gibraltar",
            Passage::Ormuz => "ormuz",
            Passage::Sunda => "sunda",
            Passage::SouthAfrica => "south_africa",
            Passage::Chili => "chili",
            Passage::Northwest => "northwest",
            Passage::Bering => "bering",
        }
    }

    pub fn parse(s: &str) -> Option<Passage> {
        Passage::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl fmt::Display for Passage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for m in Mode::ALL {
            assert_eq!(Mode::from_code(m as u8), Some(m));
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        for k in NodeKind::ALL {
            assert_eq!(NodeKind::from_code(k as u8), Some(k));
        }
        for p in Passage::ALL {
            assert_eq!(Passage::from_code(p as u8), Some(p));
            assert_eq!(Passage::parse(p.as_str()), Some(p));
        }
        assert_eq!(Passage::from_code(0), None);
    }

    #[test]
    fn mode_lists_parse_and_reject() {
        let set = ModeSet::parse_list("rail, Sea").unwrap();
        assert!(set.contains(Mode::Rail) && set.contains(Mode::Sea));
        assert!(!set.contains(Mode::Road));
        assert_eq!(set.to_string(), "rail,sea");
        assert_eq!(ModeSet::parse_list("rail,boat"), Err("boat".to_string()));
        assert_eq!(ModeSet::parse_list("transfer"), Err("transfer".to_string()));
        assert!(ModeSet::parse_list("").is_err());
    }
}
