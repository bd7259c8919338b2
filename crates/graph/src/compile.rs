//! Compiling a raw network into the file image: arcs in CSR order, node
//! attributes as flat arrays, the kd-tree, components, the gazetteer and the
//! curated elements with the arcs that carry them.
//!
//! Compiling is pure (no IO): `build_image` returns the bytes; the caller
//! writes them with `format::write_atomically` or opens them in memory.

use silkroute_model::{Mode, ModeSet, Progress};

use crate::components::{self, ANY_COLUMN, COLUMNS};
use crate::format::{FileImage, Section};
use crate::raw::RawNetwork;
use crate::{Error, places_blob, spatial};

/// Checks a raw network and compiles it into a file image.
pub fn build_image(raw: &RawNetwork, progress: &dyn Progress) -> Result<Vec<u64>, Error> {
    let n = raw.nodes.len();
    if n == 0 {
        return Err(Error::InvalidInput("the network has no nodes".into()));
    }
    if n >= u32::MAX as usize / 2 || raw.edges.len() * 2 >= u32::MAX as usize {
        return Err(Error::InvalidInput(
            "the network is too large for 32-bit ids".into(),
        ));
    }
    for (i, e) in raw.edges.iter().enumerate() {
        if e.from as usize >= n || e.to as usize >= n {
            return Err(Error::InvalidInput(format!(
                "edge {i} refers to node {} but there are {n} nodes",
                e.from.max(e.to)
            )));
        }
        if e.element.is_some_and(|k| k as usize >= raw.elements.len()) {
            return Err(Error::InvalidInput(format!(
                "edge {i} refers to curated element {} but there are {} elements",
                e.element.unwrap_or(0),
                raw.elements.len()
            )));
        }
        if e.from == e.to {
            return Err(Error::InvalidInput(format!(
                "edge {i} is a self-loop at node {}",
                e.from
            )));
        }
    }
    let cancelled = || {
        if progress.cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    };

    progress.stage("arcs", raw.edges.len() as u64);
    let m = raw.edges.len() * 2;
    let mut first_out = vec![0u32; n + 1];
    for e in &raw.edges {
        first_out[e.from as usize + 1] += 1;
        first_out[e.to as usize + 1] += 1;
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }
    let mut fill = first_out.clone();
    let mut head = vec![0u32; m];
    let mut length = vec![0u32; m];
    let mut mode = vec![0u8; m];
    let mut passage = vec![0u8; m];
    let mut joins = vec![0u8; m];
    let mut gauge = vec![0u16; m];
    let mut flags = vec![0u8; m];
    let mut node_modes = vec![0u8; n];
    let mut arc_elements: Vec<[u32; 2]> = Vec::new();
    for e in &raw.edges {
        for (tail, h) in [(e.from, e.to), (e.to, e.from)] {
            let slot = fill[tail as usize] as usize;
            fill[tail as usize] += 1;
            head[slot] = h;
            length[slot] = e.length_m;
            mode[slot] = e.mode as u8;
            passage[slot] = e.passage.map_or(0, |p| p as u8);
            joins[slot] = e.joins.0;
            gauge[slot] = e.gauge_mm;
            flags[slot] = e.flags;
            if let Some(k) = e.element {
                arc_elements.push([slot as u32, k]);
            }
            if e.mode != Mode::Transfer {
                node_modes[tail as usize] |= e.mode.bit();
            }
        }
    }
    arc_elements.sort_unstable();
    progress.advance(raw.edges.len() as u64);
    cancelled()?;

    progress.stage("nodes", n as u64);
    let lat: Vec<i32> = raw
        .nodes
        .iter()
        .map(|v| (v.pos.lat * 1e7).round() as i32)
        .collect();
    let lon: Vec<i32> = raw
        .nodes
        .iter()
        .map(|v| (v.pos.lon * 1e7).round() as i32)
        .collect();
    let kind: Vec<u8> = raw.nodes.iter().map(|v| v.kind as u8).collect();
    let country: Vec<u16> = raw
        .nodes
        .iter()
        .map(|v| v.country.map_or(0, u16::from_le_bytes))
        .collect();
    let mut strings = Vec::new();
    let names: Vec<u32> = raw
        .nodes
        .iter()
        .map(|v| match &v.name {
            None => u32::MAX,
            Some(s) => {
                let off = strings.len() as u32;
                let bytes = &s.as_bytes()[..s.len().min(u16::MAX as usize)];
                strings.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
                strings.extend_from_slice(bytes);
                off
            }
        })
        .collect();
    progress.advance(n as u64);
    cancelled()?;

    progress.stage("components", COLUMNS as u64);
    let mut component = vec![0u32; n * COLUMNS];
    let mut sizes_flat = Vec::new();
    for col in 0..COLUMNS {
        let accept = |i: usize| -> bool {
            if col == ANY_COLUMN {
                true
            } else {
                mode[i] == Mode::TRAVEL[col] as u8
            }
        };
        let col_modes = components::column_modes(col);
        let (first_out, head) = (&first_out, &head);
        let arcs = (0..n).flat_map(move |t| {
            (first_out[t] as usize..first_out[t + 1] as usize)
                .filter(move |i| accept(*i))
                .map(move |i| (t as u32, head[i]))
        });
        let (labels, sizes) = components::label(n, arcs, |v| {
            if col == ANY_COLUMN {
                true
            } else {
                ModeSet(node_modes[v as usize]).intersects(col_modes)
            }
        });
        for (v, l) in labels.into_iter().enumerate() {
            component[v * COLUMNS + col] = l;
        }
        sizes_flat.push(sizes.len() as u32);
        sizes_flat.extend(sizes);
        progress.advance(1);
        cancelled()?;
    }

    progress.stage("spatial index", n as u64);
    let (kd_order, kd_xyz) =
        spatial::build_tree(raw.nodes.iter().enumerate().map(|(i, v)| (v.pos, i as u32)));
    progress.advance(n as u64);
    cancelled()?;

    progress.stage("write image", 1);
    let places = places_blob::encode(&raw.places);
    let mut image = FileImage::new();
    image.push(Section::NodeLatE7, &lat);
    image.push(Section::NodeLonE7, &lon);
    image.push(Section::NodeKind, &kind);
    image.push(Section::NodeModes, &node_modes);
    image.push(Section::NodeCountry, &country);
    image.push(Section::NodeName, &names);
    image.push(Section::Strings, &strings);
    image.push(Section::FirstOut, &first_out);
    image.push(Section::ArcHead, &head);
    image.push(Section::ArcLengthM, &length);
    image.push(Section::ArcMode, &mode);
    image.push(Section::ArcPassage, &passage);
    image.push(Section::ArcJoins, &joins);
    image.push(Section::ArcGauge, &gauge);
    image.push(Section::KdOrder, &kd_order);
    image.push(Section::KdXyz, &kd_xyz);
    image.push(Section::Component, &component);
    image.push(Section::ComponentSizes, &sizes_flat);
    image.push(Section::Places, places.as_bytes());
    image.push(Section::ArcFlags, &flags);
    let values: Vec<f32> = raw
        .elements
        .iter()
        .flat_map(|e| [e.dwell_h, e.fee_usd, e.crossing_h, e.wait_h])
        .collect();
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let element_names: String = raw
        .elements
        .iter()
        .map(|e| {
            format!(
                "{}\t{}\t{}\t{}\n",
                clean(e.kind),
                clean(&e.id),
                clean(&e.name),
                clean(&e.basis)
            )
        })
        .collect();
    let pairs: Vec<u32> = arc_elements.into_iter().flatten().collect();
    image.push(Section::ElementValues, &values);
    image.push(Section::ElementNames, element_names.as_bytes());
    image.push(Section::ArcElements, &pairs);
    let words = image.finish(raw.fingerprint);
    progress.advance(1);
    Ok(words)
}
