//! The compiled network file (`.srnet`): a fixed header, a section table and
//! 8-byte-aligned sections of little-endian arrays, read in place through a
//! memory map.
//!
//! ```text
//! offset 0   magic "SILKNET\x1a" | format_version u32 | section_count u32
//!            fingerprint u64 | payload_len u64 | payload_xxh3 u64
//!            header_xxh3 u64 (of the 40 bytes before it) | reserved [u8; 16]
//! offset 64  payload: section table (section_count × {id u32, elem_size u32,
//!            offset u64, len u64}) then the sections, each at an offset that
//!            is a multiple of 8 from the start of the file
//! ```
//!
//! Only regular files are read ([`open_regular`]): a directory, FIFO,
//! device or socket is refused by its type before it is opened for
//! reading, and the open itself cannot block on a FIFO.
//!
//! Safety of data: the header and the payload are checksummed (xxh3-64,
//! the header's own since format 5, so a flipped section count or length is
//! caught before it is used) and the header carries
//! the format version and the fingerprint of the sources, so a truncated,
//! corrupt, foreign or other-version file is refused with a one-line reason
//! rather than trusted. Files are written to a temporary file in the target
//! directory (`crate::scratch`), synced, then renamed over the old one: a
//! crash, Ctrl-C or SIGTERM never leaves a half-written file in place of a
//! good one, and a signal removes the temporary file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

pub const MAGIC: [u8; 8] = *b"SILKNET\x1a";
/// Bump whenever the layout or the meaning of a section changes.
pub const FORMAT_VERSION: u32 = 5;

/// Section ids from here up are extensions: `u32` arrays that other crates
/// (the route crate's hierarchy) store in the file and interpret themselves.
/// This crate checks only that they are well-formed.
pub const EXTENSION_BASE: u32 = 100;
/// At most this many extension sections.
pub const EXTENSION_COUNT: u32 = 32;
pub const HEADER_LEN: usize = 64;
/// The header bytes its own checksum covers (magic, version, section
/// count, fingerprint, payload length, payload checksum); the checksum
/// follows them.
const HEADER_CHECKED: usize = 40;
const SECTION_ENTRY_LEN: usize = 24;

/// The sections of a network file. The numeric value is the on-disk id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Section {
    NodeLatE7 = 0,
    NodeLonE7 = 1,
    NodeKind = 2,
    NodeModes = 3,
    NodeCountry = 4,
    NodeName = 5,
    Strings = 6,
    FirstOut = 7,
    ArcHead = 8,
    ArcLengthM = 9,
    ArcMode = 10,
    ArcPassage = 11,
    ArcJoins = 12,
    ArcGauge = 13,
    KdOrder = 14,
    KdXyz = 15,
    Component = 16,
    ComponentSizes = 17,
    Places = 18,
    ArcFlags = 19,
    /// Curated elements: 4 `f32` per element (dwell h, fee USD, crossing h,
    /// wait h; `NaN` = not published).
    ElementValues = 20,
    /// Curated elements: one text line per element,
    /// `kind\tid\tname\tbasis`.
    ElementNames = 21,
    /// Arcs that carry a curated element: `u32` pairs (arc, element),
    /// sorted by arc.
    ArcElements = 22,
}

pub const SECTION_COUNT: usize = 23;

#[derive(Clone, Copy, Debug)]
pub struct Header {
    pub format_version: u32,
    pub section_count: u32,
    pub fingerprint: u64,
    pub payload_len: u64,
    pub checksum: u64,
}

/// Where one section lies in the file.
#[derive(Clone, Copy, Debug, Default)]
pub struct SectionEntry {
    pub elem_size: u32,
    pub offset: u64,
    pub len: u64,
}

/// Builds a file image in memory; `finish` returns the bytes as `u64` words so
/// the image is 8-aligned and can be opened in place for tests.
pub struct FileImage {
    sections: Vec<(SectionId, u32, Vec<u8>)>,
}

/// A core section or an extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionId {
    Core(Section),
    Extension(u32),
}

impl SectionId {
    pub fn code(self) -> u32 {
        match self {
            SectionId::Core(s) => s as u32,
            SectionId::Extension(k) => EXTENSION_BASE + k,
        }
    }
}

impl FileImage {
    pub fn new() -> Self {
        FileImage {
            sections: Vec::new(),
        }
    }

    pub fn push<T: bytemuck::Pod>(&mut self, section: Section, data: &[T]) {
        self.sections.push((
            SectionId::Core(section),
            std::mem::size_of::<T>() as u32,
            bytemuck::cast_slice(data).to_vec(),
        ));
    }

    /// Adds an extension section (id `EXTENSION_BASE + k`).
    pub fn push_extension(&mut self, k: u32, data: &[u32]) {
        assert!(k < EXTENSION_COUNT, "extension section {k} out of range");
        self.sections.push((
            SectionId::Extension(k),
            4,
            bytemuck::cast_slice(data).to_vec(),
        ));
    }

    /// Re-reads the sections of a finished image (to add extensions to it).
    pub fn from_image(bytes: &[u8]) -> Result<(FileImage, u64), Error> {
        let (header, entries) = verify(bytes, std::path::Path::new("<memory>"))?;
        let mut image = FileImage::new();
        for (id, e) in entries {
            let data = bytes[e.offset as usize..(e.offset + e.len) as usize].to_vec();
            image.sections.push((id, e.elem_size, data));
        }
        Ok((image, header.fingerprint))
    }

    pub fn finish(self, fingerprint: u64) -> Vec<u64> {
        let table_len = self.sections.len() * SECTION_ENTRY_LEN;
        let mut offset = align8(HEADER_LEN + table_len);
        let mut entries = Vec::with_capacity(self.sections.len());
        for (id, elem, bytes) in &self.sections {
            entries.push((id.code(), *elem, offset as u64, bytes.len() as u64));
            offset = align8(offset + bytes.len());
        }
        let total = offset;
        let mut out = vec![0u8; total];
        let mut pos = HEADER_LEN;
        for (id, elem, off, len) in &entries {
            out[pos..pos + 4].copy_from_slice(&id.to_le_bytes());
            out[pos + 4..pos + 8].copy_from_slice(&elem.to_le_bytes());
            out[pos + 8..pos + 16].copy_from_slice(&off.to_le_bytes());
            out[pos + 16..pos + 24].copy_from_slice(&len.to_le_bytes());
            pos += SECTION_ENTRY_LEN;
        }
        for ((_, _, bytes), (_, _, off, _)) in self.sections.iter().zip(&entries) {
            let off = *off as usize;
            out[off..off + bytes.len()].copy_from_slice(bytes);
        }
        let payload_len = (total - HEADER_LEN) as u64;
        let checksum = xxhash_rust::xxh3::xxh3_64(&out[HEADER_LEN..]);
        out[0..8].copy_from_slice(&MAGIC);
        out[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        out[12..16].copy_from_slice(&(entries.len() as u32).to_le_bytes());
        out[16..24].copy_from_slice(&fingerprint.to_le_bytes());
        out[24..32].copy_from_slice(&payload_len.to_le_bytes());
        out[32..40].copy_from_slice(&checksum.to_le_bytes());
        let header_checksum = xxhash_rust::xxh3::xxh3_64(&out[0..HEADER_CHECKED]);
        out[HEADER_CHECKED..HEADER_CHECKED + 8].copy_from_slice(&header_checksum.to_le_bytes());
        let mut words = vec![0u64; total / 8];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words).copy_from_slice(&out);
        words
    }
}

impl Default for FileImage {
    fn default() -> Self {
        Self::new()
    }
}

fn align8(x: usize) -> usize {
    (x + 7) & !7
}

/// Reads only the header: enough to tell whether a file is a network of this
/// version built from the expected sources, without checksumming it.
pub fn read_header_prefix(bytes: &[u8], file_len: u64, path: &Path) -> Result<Header, Error> {
    if bytes.len() < HEADER_LEN || bytes[0..8] != MAGIC {
        return Err(Error::NotANetwork {
            path: path.to_path_buf(),
        });
    }
    let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
    let u64_at = |o: usize| u64::from_le_bytes(bytes[o..o + 8].try_into().unwrap());
    // The version first (an older file says so, rather than "corrupt"),
    // then the header's own checksum before any other field is trusted.
    if u32_at(8) != FORMAT_VERSION {
        return Err(Error::WrongVersion {
            path: path.to_path_buf(),
            found: u32_at(8),
            expected: FORMAT_VERSION,
        });
    }
    if xxhash_rust::xxh3::xxh3_64(&bytes[0..HEADER_CHECKED]) != u64_at(HEADER_CHECKED) {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            detail: "header checksum mismatch".into(),
        });
    }
    let header = Header {
        format_version: u32_at(8),
        section_count: u32_at(12),
        fingerprint: u64_at(16),
        payload_len: u64_at(24),
        checksum: u64_at(32),
    };
    if header.format_version != FORMAT_VERSION {
        return Err(Error::WrongVersion {
            path: path.to_path_buf(),
            found: header.format_version,
            expected: FORMAT_VERSION,
        });
    }
    let expected_len = (HEADER_LEN as u64).saturating_add(header.payload_len);
    if file_len != expected_len {
        return Err(Error::Truncated {
            path: path.to_path_buf(),
            expected: expected_len,
            found: file_len,
        });
    }
    Ok(header)
}

/// Checks the checksum and the section table; returns every section with
/// its place. All core sections must be present, each once; extensions are
/// optional; sections lie after the table, in the file, without overlap.
pub fn verify(
    bytes: &[u8],
    path: &Path,
) -> Result<(Header, Vec<(SectionId, SectionEntry)>), Error> {
    let header = read_header_prefix(bytes, bytes.len() as u64, path)?;
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER_LEN..]);
    if checksum != header.checksum {
        return Err(corrupt("checksum mismatch".into()));
    }
    let count = header.section_count as usize;
    if HEADER_LEN + count * SECTION_ENTRY_LEN > bytes.len() {
        return Err(corrupt("section table runs past the end".into()));
    }
    let mut out = Vec::with_capacity(count);
    let mut core_seen = [false; SECTION_COUNT];
    for i in 0..count {
        let p = HEADER_LEN + i * SECTION_ENTRY_LEN;
        let id = u32::from_le_bytes(bytes[p..p + 4].try_into().unwrap());
        let elem_size = u32::from_le_bytes(bytes[p + 4..p + 8].try_into().unwrap());
        let offset = u64::from_le_bytes(bytes[p + 8..p + 16].try_into().unwrap());
        let len = u64::from_le_bytes(bytes[p + 16..p + 24].try_into().unwrap());
        let fits = offset
            .checked_add(len)
            .is_some_and(|end| end <= bytes.len() as u64);
        let section = if (id as usize) < SECTION_COUNT && !core_seen[id as usize] {
            core_seen[id as usize] = true;
            Some(SectionId::Core(CORE[id as usize]))
        } else if (EXTENSION_BASE..EXTENSION_BASE + EXTENSION_COUNT).contains(&id) && elem_size == 4
        {
            Some(SectionId::Extension(id - EXTENSION_BASE))
        } else {
            None
        };
        let Some(section) = section else {
            return Err(corrupt(format!("unknown or repeated section {id}")));
        };
        if !fits || offset % 8 != 0 || elem_size == 0 || len % elem_size as u64 != 0 {
            return Err(corrupt(format!("bad section entry {i}")));
        }
        out.push((
            section,
            SectionEntry {
                elem_size,
                offset,
                len,
            },
        ));
    }
    if let Some(missing) = core_seen.iter().position(|s| !s) {
        return Err(corrupt(format!("section {missing} missing")));
    }
    // The table is cross-checked against the layout `FileImage::finish`
    // writes: sections after the table, none overlapping another, and
    // nothing after the last. A table whose checksums match but whose
    // entries point into the header, the table or another section (a file
    // damaged before it was checksummed, or made by hand) would otherwise
    // open and read one array as another.
    let mut spans: Vec<(u64, u64, usize)> = out
        .iter()
        .enumerate()
        .map(|(i, (_, e))| (e.offset, e.offset + e.len, i))
        .collect();
    spans.sort_unstable();
    let mut end = align8(HEADER_LEN + count * SECTION_ENTRY_LEN) as u64;
    for &(start, stop, i) in &spans {
        if start < end {
            return Err(corrupt(format!(
                "section entry {i} overlaps the section table or another section"
            )));
        }
        end = stop;
    }
    if align8(end as usize) != bytes.len() {
        return Err(corrupt("bytes after the last section".into()));
    }
    Ok((header, out))
}

/// The core sections in id order.
const CORE: [Section; SECTION_COUNT] = [
    Section::NodeLatE7,
    Section::NodeLonE7,
    Section::NodeKind,
    Section::NodeModes,
    Section::NodeCountry,
    Section::NodeName,
    Section::Strings,
    Section::FirstOut,
    Section::ArcHead,
    Section::ArcLengthM,
    Section::ArcMode,
    Section::ArcPassage,
    Section::ArcJoins,
    Section::ArcGauge,
    Section::KdOrder,
    Section::KdXyz,
    Section::Component,
    Section::ComponentSizes,
    Section::Places,
    Section::ArcFlags,
    Section::ElementValues,
    Section::ElementNames,
    Section::ArcElements,
];

/// What `meta` describes when it is not a regular file, in words for a
/// message ("a directory", "a FIFO", "a device", "a socket"); `None` for a
/// regular file.
pub fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Opens `path` for reading if it is a regular file (following symlinks),
/// else [`Error::NotAFile`]. The type is checked by name first, so nothing
/// but a regular file is ever opened, then again on the open file (the
/// name may have been replaced in between); on Unix the open is
/// non-blocking, so even a FIFO swapped in at that moment cannot hang it
/// (the flag changes nothing for a regular file).
pub fn open_regular(path: &Path) -> Result<File, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let refuse = |kind| Error::NotAFile {
        path: path.to_path_buf(),
        kind,
    };
    if let Some(kind) = not_regular(&std::fs::metadata(path).map_err(io)?) {
        return Err(refuse(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    if let Some(kind) = not_regular(&file.metadata().map_err(io)?) {
        return Err(refuse(kind));
    }
    Ok(file)
}

/// Writes `image` to `path` atomically: a temporary file in the same
/// directory (`crate::scratch`: registered, so Ctrl-C or SIGTERM removes
/// it; left by a killed process, swept on the next write), synced, then
/// renamed into place. The file at `path` is either the old one or the
/// complete new one.
pub fn write_atomically(path: &Path, image: &[u64]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let (mut file, tmp) = crate::scratch::create(path).map_err(io)?;
    let written = (|| {
        file.write_all(bytemuck::cast_slice(image))?;
        // A network file is shared data, readable like any other output.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        file.sync_all()
    })();
    drop(file);
    if let Err(e) = written {
        crate::scratch::discard(&tmp);
        return Err(io(e));
    }
    crate::scratch::commit(&tmp, path).map_err(io)?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
