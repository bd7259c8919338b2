//! Companion sums: what else a metric's chosen paths add up to.
//!
//! A metric minimises one criterion (say time) and records, per hierarchy
//! arc and direction, which input arcs realise the minimum (`via`). Other
//! criteria (cost, CO2e, distance) along those same paths are then a
//! bottom-up pass over the `via` entries, with no search: an input arc's
//! companion is the caller's value for it, a pair of input arcs sums two,
//! and a shortcut `y → z` through `x` sums its halves (`x → y` travelled
//! down, then `x → z` up; `z → y` is `x → z` down, then `x → y` up). Halves
//! leave a lower node, and arcs are stored by tail rank, so a pass in arc
//! order finds both halves final.
//!
//! [`crate::matrix_with_sums`] carries these sums along the upward searches
//! of a bucket matrix, so a table of every criterion needs no unpacking.
//!
//! Storage: 8 bytes per hierarchy arc and criterion (`u32` per direction),
//! or 16 when some sum does not fit 32 bits (detected, never truncated).
//! The criteria of an arc lie side by side, so reading them all for one
//! arc is one memory access. The pass is serial: on the 850 k-node
//! multimodal network (3.7 M hierarchy arcs) it takes about as long as a
//! tenth of a customization per criterion.

use crate::{ARC_BITS, HierarchyView, INF, MetricView, VIA_ARC, VIA_PAIR};

/// The sums of caller-given per-input-arc values along the paths a metric
/// chose for its hierarchy arcs, one set per criterion
/// ([`HierarchyView::companions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companions {
    arcs: usize,
    criteria: usize,
    sums: Sums,
}

/// Every criterion's sums per hierarchy arc, upward and downward, the
/// criteria of an arc side by side (one cache line holds them).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sums {
    Narrow { up: Vec<u32>, down: Vec<u32> },
    Wide { up: Vec<u64>, down: Vec<u64> },
}

/// An integer a sum is stored in.
trait Word: Copy + Send {
    const ZERO: Self;
    fn of(input: u32) -> Self;
    fn add(self, other: Self) -> Option<Self>;
}

impl Word for u32 {
    const ZERO: u32 = 0;
    #[inline]
    fn of(input: u32) -> u32 {
        input
    }
    #[inline]
    fn add(self, other: u32) -> Option<u32> {
        self.checked_add(other)
    }
}

impl Word for u64 {
    const ZERO: u64 = 0;
    #[inline]
    fn of(input: u32) -> u64 {
        u64::from(input)
    }
    #[inline]
    fn add(self, other: u64) -> Option<u64> {
        // Sums of at most 2³¹ arcs of `u32` values cannot overflow 64 bits.
        Some(self.saturating_add(other))
    }
}

impl Companions {
    /// Number of criteria.
    pub fn criteria(&self) -> usize {
        self.criteria
    }

    /// Number of hierarchy arcs these sums are for.
    pub fn arc_count(&self) -> usize {
        self.arcs
    }

    /// Whether the sums needed 64 bits (some exceed `u32::MAX`), which
    /// doubles the memory.
    pub fn is_wide(&self) -> bool {
        matches!(self.sums, Sums::Wide { .. })
    }

    /// Adds each criterion's sum along hierarchy arc `arc`'s path, travelled
    /// upward (`up`, tail to head) or downward, to `base`, into `out`.
    #[inline]
    pub(crate) fn add(&self, arc: usize, up: bool, base: &[u64], out: &mut [u64]) {
        let k = self.criteria;
        let at = arc * k..(arc + 1) * k;
        match (&self.sums, up) {
            (Sums::Narrow { up: v, .. }, true) | (Sums::Narrow { down: v, .. }, false) => {
                for ((o, b), s) in out.iter_mut().zip(base).zip(&v[at]) {
                    *o = b + u64::from(*s);
                }
            }
            (Sums::Wide { up: v, .. }, true) | (Sums::Wide { down: v, .. }, false) => {
                for ((o, b), s) in out.iter_mut().zip(base).zip(&v[at]) {
                    *o = b + s;
                }
            }
        }
    }

    /// Heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        let word = if self.is_wide() { 8 } else { 4 };
        self.arcs * self.criteria * 2 * word
    }
}

impl HierarchyView<'_> {
    /// Sums of each criterion in `inputs` (one value per input arc each)
    /// along the paths `m` chose: what a path of `m` adds up to in the other
    /// criteria, without unpacking it. An arc `m` cannot use sums to 0.
    /// One pass over the arcs, serial; `u32` sums, or `u64` if one does
    /// not fit.
    ///
    /// # Panics
    /// If `m` was not customized on this hierarchy, or an input does not
    /// have one value per input arc.
    pub fn companions<'m>(&self, m: impl Into<MetricView<'m>>, inputs: &[&[u32]]) -> Companions {
        let m = m.into();
        assert_eq!(self.arc_count(), m.up.len(), "metric of another hierarchy");
        for input in inputs {
            assert_eq!(
                input.len(),
                self.input_arc_count(),
                "one value per input arc"
            );
        }
        let sums = match fill::<u32>(self, &m, inputs) {
            Some((up, down)) => Sums::Narrow { up, down },
            None => {
                let (up, down) = fill::<u64>(self, &m, inputs).expect("64 bits suffice");
                Sums::Wide { up, down }
            }
        };
        Companions {
            arcs: self.arc_count(),
            criteria: inputs.len(),
            sums,
        }
    }
}

/// The sums in `W`, `inputs.len()` per arc; `None` if one does not fit.
fn fill<W: Word>(
    h: &HierarchyView<'_>,
    m: &MetricView<'_>,
    inputs: &[&[u32]],
) -> Option<(Vec<W>, Vec<W>)> {
    let (a, k) = (h.arc_count(), inputs.len());
    let mut up = vec![W::ZERO; a * k];
    let mut down = vec![W::ZERO; a * k];
    let at = |q: usize, i: u64| W::of(inputs[q][(i & ARC_BITS) as usize]);
    for d in 0..a {
        for is_up in [true, false] {
            let (w, via) = if is_up {
                (m.up[d], m.up_via[d])
            } else {
                (m.down[d], m.down_via[d])
            };
            if w == INF {
                continue;
            }
            for q in 0..k {
                let sum = if via & (VIA_ARC | VIA_PAIR) == VIA_ARC | VIA_PAIR {
                    at(q, via >> 31).add(at(q, via))?
                } else if via & VIA_ARC != 0 {
                    at(q, via)
                } else {
                    // Halves `b` (`x → y`) and `c` (`x → z`), below `d`.
                    let (b, c) = ((via >> 32) as usize, (via & 0xffff_ffff) as usize);
                    if is_up {
                        down[b * k + q].add(up[c * k + q])?
                    } else {
                        down[c * k + q].add(up[b * k + q])?
                    }
                };
                if is_up {
                    up[d * k + q] = sum;
                } else {
                    down[d * k + q] = sum;
                }
            }
        }
    }
    Some((up, down))
}
