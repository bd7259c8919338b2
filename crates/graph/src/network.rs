//! `Network`: the compiled, read-only network, opened in place from a file
//! (memory-mapped) or from an in-memory image.
//!
//! Accessors hand out slices of the underlying arrays, so a search borrows
//! them once and runs without copying. Opening verifies the checksum and the
//! structural invariants (array lengths, CSR offsets, ids in range, enum
//! codes), so a file that opens is safe to index without further checks.
//! Files are replaced by rename, never rewritten in place, so a mapping stays
//! valid while another process rebuilds the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use silkroute_model::{LatLon, Mode, ModeSet, NodeId, NodeKind, Passage, Place, PlaceKind};

use crate::components::{COLUMNS, NONE};
use crate::format::{self, Header, Section, SectionEntry, SectionId};
use crate::spatial::KdTree;
use crate::{Error, places_blob};

enum Storage {
    Mapped(memmap2::Mmap),
    Owned(Vec<u64>),
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Mapped(m) => m,
            Storage::Owned(w) => bytemuck::cast_slice(w),
        }
    }
}

pub struct Network {
    storage: Storage,
    /// Core sections, indexed by `Section as usize`.
    sections: Vec<SectionEntry>,
    /// Extension sections, indexed by `id - EXTENSION_BASE`.
    extensions: Vec<Option<SectionEntry>>,
    header: Header,
    path: PathBuf,
    node_count: usize,
    arc_count: usize,
    /// Per column: (offset into ComponentSizes, count).
    size_tables: Vec<(usize, usize)>,
    /// The curated elements, parsed once when the file is checked (route
    /// explanations look them up per arc).
    elements: Vec<Element>,
    /// One bit per arc: whether it carries a curated element, so the
    /// lookup of the (rare) element of an arc costs most arcs one bit test
    /// instead of a binary search (explanations look up every arc).
    curated_arcs: Vec<u64>,
    /// Per passage code, the length of one crossing in metres (half the
    /// total of its arcs, which come in both directions).
    passage_one_way_m: [f64; 32],
}

/// A curated element (named border crossing or ferry) and the figures that
/// price the arcs carrying it; `None` where the source published none.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// One of the `ELEMENT_*` labels.
    pub kind: String,
    pub id: String,
    pub name: String,
    pub basis: String,
    pub dwell_h: Option<f64>,
    pub fee_usd: Option<f64>,
    pub crossing_h: Option<f64>,
    pub wait_h: Option<f64>,
}

impl Network {
    /// Opens and verifies a network file (a regular file only: see
    /// [`format::open_regular`]).
    pub fn open(path: &Path) -> Result<Network, Error> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = format::open_regular(path)?;
        // SAFETY: network files are only ever replaced by rename, never written
        // in place (see `format::write_atomically`), so the mapped bytes do not
        // change under us; everything read is verified before use.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Network::from_storage(Storage::Mapped(map), path)
    }

    /// Opens an in-memory image (from `compile::build_image`).
    pub fn from_image(image: Vec<u64>) -> Result<Network, Error> {
        Network::from_storage(Storage::Owned(image), Path::new("<memory>"))
    }

    /// Reads just the fingerprint of a file, to tell a stale network from a
    /// current one without verifying all of it.
    pub fn peek_fingerprint(path: &Path) -> Result<u64, Error> {
        use std::io::Read;
        let mut buf = vec![0u8; format::HEADER_LEN];
        let mut file = format::open_regular(path)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let got = file.read(&mut buf).unwrap_or(0);
        buf.truncate(got);
        let header = format::read_header_prefix(&buf, len, path)?;
        Ok(header.fingerprint)
    }

    fn from_storage(storage: Storage, path: &Path) -> Result<Network, Error> {
        let (header, all) = format::verify(storage.bytes(), path)?;
        let mut sections = vec![SectionEntry::default(); format::SECTION_COUNT];
        let mut extensions = vec![None; format::EXTENSION_COUNT as usize];
        for (id, entry) in all {
            match id {
                SectionId::Core(s) => sections[s as usize] = entry,
                SectionId::Extension(k) => extensions[k as usize] = Some(entry),
            }
        }
        let mut net = Network {
            storage,
            sections,
            extensions,
            header,
            path: path.to_path_buf(),
            node_count: 0,
            arc_count: 0,
            size_tables: Vec::new(),
            elements: Vec::new(),
            curated_arcs: Vec::new(),
            passage_one_way_m: [0.0; 32],
        };
        net.check_structure()?;
        Ok(net)
    }

    fn corrupt(&self, detail: impl Into<String>) -> Error {
        Error::Corrupt {
            path: self.path.clone(),
            detail: detail.into(),
        }
    }

    fn raw(&self, s: Section) -> &[u8] {
        let e = self.sections[s as usize];
        &self.storage.bytes()[e.offset as usize..(e.offset + e.len) as usize]
    }

    fn slice<T: bytemuck::Pod>(&self, s: Section) -> &[T] {
        // Alignment and length were checked in `check_structure`.
        bytemuck::cast_slice(self.raw(s))
    }

    fn check_structure(&mut self) -> Result<(), Error> {
        use Section::*;
        let elem = |s: Section| self.sections[s as usize].elem_size as usize;
        let want: [(Section, usize); 23] = [
            (NodeLatE7, 4),
            (NodeLonE7, 4),
            (NodeKind, 1),
            (NodeModes, 1),
            (NodeCountry, 2),
            (NodeName, 4),
            (Strings, 1),
            (FirstOut, 4),
            (ArcHead, 4),
            (ArcLengthM, 4),
            (ArcMode, 1),
            (ArcPassage, 1),
            (ArcJoins, 1),
            (ArcGauge, 2),
            (KdOrder, 4),
            (KdXyz, 4),
            (Component, 4),
            (ComponentSizes, 4),
            (Places, 1),
            (ArcFlags, 1),
            (ElementValues, 4),
            (ElementNames, 1),
            (ArcElements, 4),
        ];
        for (s, size) in want {
            if elem(s) != size {
                return Err(self.corrupt(format!("section {s:?} has element size {}", elem(s))));
            }
        }
        let count = |s: Section| self.sections[s as usize].len as usize / elem(s);
        let n = count(NodeLatE7);
        let m = count(ArcHead);
        for (s, c) in [
            (NodeLonE7, n),
            (NodeKind, n),
            (NodeModes, n),
            (NodeCountry, n),
            (NodeName, n),
            (FirstOut, n + 1),
            (ArcLengthM, m),
            (ArcMode, m),
            (ArcPassage, m),
            (ArcJoins, m),
            (ArcGauge, m),
            (ArcFlags, m),
            (KdOrder, n),
            (KdXyz, 3 * n),
            (Component, n * COLUMNS),
        ] {
            if count(s) != c {
                return Err(self.corrupt(format!(
                    "section {s:?} has {} entries, expected {c}",
                    count(s)
                )));
            }
        }
        self.node_count = n;
        self.arc_count = m;
        let first_out: &[u32] = self.slice(FirstOut);
        if first_out[0] != 0
            || first_out[n] as usize != m
            || first_out.windows(2).any(|w| w[0] > w[1])
        {
            return Err(self.corrupt("arc offsets are not monotone"));
        }
        if self.slice::<u32>(ArcHead).iter().any(|h| *h as usize >= n)
            || self.slice::<u32>(KdOrder).iter().any(|h| *h as usize >= n)
        {
            return Err(self.corrupt("node id out of range"));
        }
        if self
            .slice::<u8>(ArcMode)
            .iter()
            .any(|c| Mode::from_code(*c).is_none())
            || self
                .slice::<u8>(NodeKind)
                .iter()
                .any(|c| silkroute_model::NodeKind::from_code(*c).is_none())
            || self
                .slice::<u8>(ArcPassage)
                .iter()
                .any(|c| *c != 0 && Passage::from_code(*c).is_none())
        {
            return Err(self.corrupt("unknown mode, node kind or passage code"));
        }
        let strings_len = self.raw(Strings).len();
        if self
            .slice::<u32>(NodeName)
            .iter()
            .any(|o| *o != u32::MAX && *o as usize + 2 > strings_len)
        {
            return Err(self.corrupt("node name out of range"));
        }
        let sizes: &[u32] = self.slice(ComponentSizes);
        let mut tables = Vec::new();
        let mut at = 0usize;
        for _ in 0..COLUMNS {
            let len = *sizes
                .get(at)
                .ok_or_else(|| self.corrupt("component sizes truncated"))?
                as usize;
            if at + 1 + len > sizes.len() {
                return Err(self.corrupt("component sizes truncated"));
            }
            tables.push((at + 1, len));
            at += 1 + len;
        }
        let comps: &[u32] = self.slice(Component);
        for (i, c) in comps.iter().enumerate() {
            if *c != NONE && *c as usize >= tables[i % COLUMNS].1 {
                return Err(self.corrupt("component id out of range"));
            }
        }
        self.size_tables = tables;
        let elements = count(ElementValues) / 4;
        if !count(ElementValues).is_multiple_of(4) {
            return Err(self.corrupt("curated element values are not whole rows"));
        }
        let lines = std::str::from_utf8(self.raw(ElementNames))
            .map_err(|_| self.corrupt("curated element names are not UTF-8"))?;
        if lines.lines().count() != elements || lines.lines().any(|l| l.split('\t').count() != 4) {
            return Err(self.corrupt("curated element names do not match their values"));
        }
        let pairs: &[u32] = self.slice(ArcElements);
        if !pairs.len().is_multiple_of(2)
            || pairs
                .chunks(2)
                .any(|p| p[0] as usize >= m || p[1] as usize >= elements)
            || pairs
                .chunks(2)
                .zip(pairs.chunks(2).skip(1))
                .any(|(a, b)| a[0] >= b[0])
        {
            return Err(self.corrupt("curated element arcs out of range or unsorted"));
        }
        let mut curated_arcs = vec![0u64; m.div_ceil(64)];
        for p in pairs.chunks(2) {
            curated_arcs[p[0] as usize / 64] |= 1 << (p[0] % 64);
        }
        let v: &[f32] = self.slice(ElementValues);
        let given = |x: f32| (!x.is_nan()).then_some(x as f64);
        self.elements = lines
            .lines()
            .enumerate()
            .map(|(k, line)| {
                let mut f = line.split('\t').map(str::to_string);
                let mut next = || f.next().unwrap_or_default();
                Element {
                    kind: next(),
                    id: next(),
                    name: next(),
                    basis: next(),
                    dwell_h: given(v[4 * k]),
                    fee_usd: given(v[4 * k + 1]),
                    crossing_h: given(v[4 * k + 2]),
                    wait_h: given(v[4 * k + 3]),
                }
            })
            .collect();
        self.curated_arcs = curated_arcs;
        let mut one_way = [0.0f64; 32];
        for (code, len) in self.arc_passage().iter().zip(self.arc_length_m()) {
            if *code != 0 {
                one_way[*code as usize % 32] += *len as f64 / 2.0;
            }
        }
        self.passage_one_way_m = one_way;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn fingerprint(&self) -> u64 {
        self.header.fingerprint
    }

    pub fn file_len(&self) -> usize {
        self.storage.bytes().len()
    }

    pub fn node_count(&self) -> usize {
        self.node_count
    }

    pub fn arc_count(&self) -> usize {
        self.arc_count
    }

    pub fn pos(&self, v: NodeId) -> LatLon {
        let lat: &[i32] = self.slice(Section::NodeLatE7);
        let lon: &[i32] = self.slice(Section::NodeLonE7);
        LatLon::new(lat[v.index()] as f64 * 1e-7, lon[v.index()] as f64 * 1e-7)
    }

    /// Every node's latitude and longitude in 1e-7 degrees (what
    /// [`Network::pos`] reads), for loops over many nodes.
    pub fn lat_lon_e7(&self) -> (&[i32], &[i32]) {
        (
            self.slice(Section::NodeLatE7),
            self.slice(Section::NodeLonE7),
        )
    }

    pub fn kind(&self, v: NodeId) -> NodeKind {
        NodeKind::from_code(self.slice::<u8>(Section::NodeKind)[v.index()])
            .unwrap_or(NodeKind::Junction)
    }

    pub fn kinds(&self) -> &[u8] {
        self.slice(Section::NodeKind)
    }

    /// Modes of the node's own (non-transfer) arcs.
    pub fn node_modes(&self, v: NodeId) -> ModeSet {
        ModeSet(self.slice::<u8>(Section::NodeModes)[v.index()])
    }

    pub fn node_modes_all(&self) -> &[u8] {
        self.slice(Section::NodeModes)
    }

    pub fn country(&self, v: NodeId) -> Option<String> {
        let c = self.slice::<u16>(Section::NodeCountry)[v.index()];
        (c != 0).then(|| String::from_utf8_lossy(&c.to_le_bytes()).into_owned())
    }

    /// Country of every node as two ASCII bytes in a little-endian `u16`
    /// (0 = unknown), for fast comparisons in searches.
    pub fn country_codes(&self) -> &[u16] {
        self.slice(Section::NodeCountry)
    }

    pub fn name(&self, v: NodeId) -> Option<&str> {
        let off = self.slice::<u32>(Section::NodeName)[v.index()];
        if off == u32::MAX {
            return None;
        }
        let s = self.raw(Section::Strings);
        let off = off as usize;
        let len = u16::from_le_bytes([s[off], s[off + 1]]) as usize;
        let end = (off + 2 + len).min(s.len());
        std::str::from_utf8(&s[off + 2..end]).ok()
    }

    pub fn first_out(&self) -> &[u32] {
        self.slice(Section::FirstOut)
    }

    pub fn arcs(&self, v: NodeId) -> Range<usize> {
        let f = self.first_out();
        f[v.index()] as usize..f[v.index() + 1] as usize
    }

    pub fn arc_head(&self) -> &[u32] {
        self.slice(Section::ArcHead)
    }

    pub fn arc_length_m(&self) -> &[u32] {
        self.slice(Section::ArcLengthM)
    }

    pub fn arc_mode(&self) -> &[u8] {
        self.slice(Section::ArcMode)
    }

    /// The length of one crossing of passage `p`, metres (0 when no arc
    /// carries it): what a whole crossing's share of a per-crossing charge
    /// is measured against.
    pub fn passage_length_m(&self, p: Passage) -> f64 {
        self.passage_one_way_m[p as usize % 32]
    }

    pub fn arc_passage(&self) -> &[u8] {
        self.slice(Section::ArcPassage)
    }

    /// For transfer arcs, the bit set of the two modes joined.
    pub fn arc_joins(&self) -> &[u8] {
        self.slice(Section::ArcJoins)
    }

    /// Per-arc bit sets of `ARC_FLAG_*` (gauge breaks).
    pub fn arc_flags(&self) -> &[u8] {
        self.slice(Section::ArcFlags)
    }

    pub fn arc_gauge_mm(&self) -> &[u16] {
        self.slice(Section::ArcGauge)
    }

    pub fn kd_tree(&self) -> KdTree<'_> {
        KdTree {
            order: self.slice(Section::KdOrder),
            xyz: self.slice(Section::KdXyz),
        }
    }

    /// The node's component in a column (`components::column`), ranked by
    /// size (0 = largest); `None` when the node has no arc of that column.
    pub fn component(&self, v: NodeId, column: usize) -> Option<u32> {
        let c = self.slice::<u32>(Section::Component)[v.index() * COLUMNS + column];
        (c != NONE).then_some(c)
    }

    /// Component sizes of a column, largest first.
    pub fn component_sizes(&self, column: usize) -> &[u32] {
        let (at, len) = self.size_tables[column];
        &self.slice::<u32>(Section::ComponentSizes)[at..at + len]
    }

    /// The gazetteer (parsed on each call; a few milliseconds).
    pub fn places(&self) -> Result<Vec<Place>, Error> {
        let text = std::str::from_utf8(self.raw(Section::Places))
            .map_err(|_| self.corrupt("gazetteer is not UTF-8"))?;
        places_blob::decode(text).map_err(|d| self.corrupt(d))
    }

    /// An extension section (see `format::EXTENSION_BASE`), if the file has it.
    pub fn extension(&self, k: u32) -> Option<&[u32]> {
        let e = (*self.extensions.get(k as usize)?)?;
        let bytes = &self.storage.bytes()[e.offset as usize..(e.offset + e.len) as usize];
        Some(bytemuck::cast_slice(bytes))
    }

    /// How many curated elements the network has.
    pub fn element_count(&self) -> usize {
        self.elements.len()
    }

    /// Curated element `k` (`k < element_count()`).
    pub fn element(&self, k: usize) -> &Element {
        &self.elements[k]
    }

    /// The arcs that carry a curated element, as `[arc, element]` pairs
    /// sorted by arc.
    pub fn arc_elements(&self) -> &[[u32; 2]] {
        bytemuck::cast_slice(self.slice::<u32>(Section::ArcElements))
    }

    /// The curated element arc `a` carries, if any.
    pub fn arc_element(&self, a: usize) -> Option<usize> {
        if self
            .curated_arcs
            .get(a / 64)
            .is_none_or(|w| w >> (a % 64) & 1 == 0)
        {
            return None;
        }
        let pairs = self.arc_elements();
        pairs
            .binary_search_by_key(&(a as u32), |p| p[0])
            .ok()
            .map(|i| pairs[i][1] as usize)
    }

    /// The file image this network was opened from (to add extensions).
    pub fn image_bytes(&self) -> &[u8] {
        self.storage.bytes()
    }

    /// Counts places of one kind without parsing them all.
    pub fn place_count(&self, kind: PlaceKind) -> usize {
        let prefix = format!("{}\t", kind as u8);
        std::str::from_utf8(self.raw(Section::Places))
            .map(|t| t.lines().filter(|l| l.starts_with(&prefix)).count())
            .unwrap_or(0)
    }
}
