//! Contraction: from the input graph and an order to the shortcut structure.
//!
//! Nodes are renumbered by rank, so node `x` of the hierarchy is the `x`-th
//! contracted. Contracting `x` joins all its higher neighbours pairwise; the
//! result is the chordal supergraph, stored as upward arcs only (from `x` to
//! its higher neighbours, ascending). Its lowest higher neighbour is the parent
//! of `x` in the elimination tree, whose ancestors are exactly the nodes an
//! upward search from `x` can reach. The structure depends on the topology
//! alone; weights come later, in customization.

use crate::{Hierarchy, NONE};

impl Hierarchy {
    /// Metric-independent preprocessing: computes a nested-dissection order
    /// and the shortcut structure of the undirected graph given as CSR arcs
    /// (both directions of every edge present; parallel arcs, self-loops and
    /// isolated nodes allowed). `lat`/`lon` are per node, in degrees.
    ///
    /// # Panics
    /// If the arrays disagree in length, an arc's head is out of range, or
    /// there are 2³¹ arcs or more.
    pub fn build(first_out: &[u32], head: &[u32], lat: &[f64], lon: &[f64]) -> Hierarchy {
        let n = first_out.len() - 1;
        assert!(
            lat.len() == n && lon.len() == n,
            "coordinates must be given per node"
        );
        assert!(
            first_out[0] == 0
                && first_out[n] as usize == head.len()
                && first_out.windows(2).all(|w| w[0] <= w[1]),
            "first_out must rise from 0 to the arc count"
        );
        assert!(
            head.iter().all(|&h| (h as usize) < n),
            "arc head out of range"
        );
        assert!(head.len() < (1 << 31), "too many arcs");
        let order = crate::order::nested_dissection(first_out, head, lat, lon);
        let draft = Hierarchy::with_order(first_out, head, &order);
        Hierarchy::with_order(first_out, head, &draft.tree_postorder(&order))
    }

    /// The same contraction order, rearranged so that every subtree of the
    /// elimination tree is contiguous (children before parents, so the
    /// shortcuts stay the same). Nodes that one search or one unpacking
    /// touches then lie close together in memory.
    fn tree_postorder(&self, order: &[u32]) -> Vec<u32> {
        let n = order.len();
        let view = self.view();
        // Children lists in rank order, as CSR.
        let mut first_child = vec![0u32; n + 3];
        for x in 0..n as u32 {
            let p = view.parent(x);
            let slot = if p == NONE { n } else { p as usize };
            first_child[slot + 2] += 1;
        }
        for i in 2..n + 3 {
            first_child[i] += first_child[i - 1];
        }
        let mut child = vec![0u32; n];
        for x in 0..n as u32 {
            let p = view.parent(x);
            let slot = if p == NONE { n } else { p as usize };
            child[first_child[slot + 1] as usize] = x;
            first_child[slot + 1] += 1;
        }
        // Iterative post-order from the virtual root `n`.
        let mut post = Vec::with_capacity(n);
        let mut stack = vec![(n as u32, first_child[n])];
        while let Some(top) = stack.last_mut() {
            let (x, next) = *top;
            if next < first_child[x as usize + 1] {
                top.1 += 1;
                let c = child[next as usize];
                stack.push((c, first_child[c as usize]));
            } else {
                stack.pop();
                if (x as usize) < n {
                    post.push(order[x as usize]);
                }
            }
        }
        post
    }

    /// Builds the structure for a given contraction order (`order[i]` is the
    /// `i`-th node contracted).
    pub(crate) fn with_order(first_out: &[u32], head: &[u32], order: &[u32]) -> Hierarchy {
        let n = order.len();
        let mut rank = vec![0u32; n];
        for (i, &v) in order.iter().enumerate() {
            rank[v as usize] = i as u32;
        }

        // Higher neighbours of each node, then the chordal completion: when
        // `x` is contracted, its higher neighbours become neighbours of its
        // lowest one, the parent (the others are joined through the parent in
        // turn, which yields all pairs).
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
        for u in 0..n {
            for &v in &head[first_out[u] as usize..first_out[u + 1] as usize] {
                let (x, y) = (rank[u], rank[v as usize]);
                if x != y {
                    up[x.min(y) as usize].push(x.max(y));
                }
            }
        }
        for x in 0..n {
            let mut ns = std::mem::take(&mut up[x]);
            ns.sort_unstable();
            ns.dedup();
            if let Some((&parent, rest)) = ns.split_first() {
                up[parent as usize].extend_from_slice(rest);
            }
            up[x] = ns;
        }

        let mut up_first_out = Vec::with_capacity(n + 1);
        up_first_out.push(0u32);
        let mut up_head = Vec::with_capacity(up.iter().map(Vec::len).sum());
        for ns in up {
            up_head.extend_from_slice(&ns);
            assert!(up_head.len() < (1 << 31), "too many shortcuts");
            up_first_out.push(up_head.len() as u32);
        }

        // Where each input arc's weight goes: upward arc id × 2, plus 1 when
        // the input arc runs downward.
        let find = |x: u32, y: u32| -> u32 {
            let (b, e) = (up_first_out[x as usize], up_first_out[x as usize + 1]);
            b + up_head[b as usize..e as usize]
                .binary_search(&y)
                .expect("every input edge is an upward arc") as u32
        };
        let mut arc_slot = vec![NONE; head.len()];
        for u in 0..n {
            for i in first_out[u]..first_out[u + 1] {
                let (x, y) = (rank[u], rank[head[i as usize] as usize]);
                arc_slot[i as usize] = match x.cmp(&y) {
                    std::cmp::Ordering::Less => find(x, y) * 2,
                    std::cmp::Ordering::Greater => find(y, x) * 2 + 1,
                    std::cmp::Ordering::Equal => NONE,
                };
            }
        }

        Hierarchy {
            rank,
            up_first_out,
            up_head,
            arc_slot,
        }
    }
}
