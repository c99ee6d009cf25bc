//! Boosted trees laid out for scoring many rows: every node of every tree in one array of
//! small fixed-size records (no enum payloads, no vectors behind pointers), and category
//! sets as 256-bit masks. A leaf points to itself on both sides, so a row walks each tree
//! for exactly the tree's depth with no test for having arrived: a few loads and one
//! compare per level, no branch that depends on the data. Blocks of rows are walked tree
//! by tree, so a tree's nodes and the block stay in the first-level cache together.
//! Built from a fitted [`Gbt`] once per scorer; scores exactly as [`Gbt::margin`].

use crate::gbt::{Gbt, Node, Rule};

const LESS_OR_EQUAL: u8 = 1;
const IN_SET: u8 = 2;

/// Rows walked through one tree before the next: a block of encoded rows (a few kB) and
/// one tree's nodes fit the first-level cache together.
pub(crate) const BLOCK: usize = 64;

/// Rows walked through a tree in lockstep.
const LANES: usize = 8;

/// One node: a leaf's value, or a split's threshold and children.
#[derive(Debug, Clone, Copy)]
struct FlatNode {
    /// Leaf value, or the threshold of a `<=` split.
    value: f64,
    /// Schema feature index of a split.
    feature: u32,
    /// Absolute index of the left child (a leaf's own index).
    left: u32,
    /// Absolute index of the right child (a leaf's own index).
    right: u32,
    /// Index into the masks of an `InSet` split.
    mask: u32,
    kind: u8,
    missing_left: bool,
}

/// One tree: where its root is and how many levels a walk takes to reach any leaf.
#[derive(Debug, Clone, Copy)]
struct Root {
    node: u32,
    depth: u32,
}

/// The trees of a model, flattened.
#[derive(Debug, Clone)]
pub(crate) struct FlatTrees {
    base: f64,
    nodes: Vec<FlatNode>,
    roots: Vec<Root>,
    masks: Vec<[u64; 4]>,
}

impl FlatTrees {
    /// Flattens a fitted model's trees.
    pub(crate) fn new(gbt: &Gbt) -> FlatTrees {
        let mut nodes = Vec::new();
        let mut roots = Vec::with_capacity(gbt.trees.len());
        let mut masks = Vec::new();
        for tree in &gbt.trees {
            let offset = nodes.len() as u32;
            roots.push(Root {
                node: offset,
                depth: depth(&tree.nodes),
            });
            for (index, node) in tree.nodes.iter().enumerate() {
                let own = offset + index as u32;
                nodes.push(match node {
                    Node::Leaf { value } => FlatNode {
                        value: *value,
                        feature: 0,
                        left: own,
                        right: own,
                        mask: 0,
                        kind: LESS_OR_EQUAL,
                        missing_left: false,
                    },
                    Node::Split {
                        feature,
                        rule,
                        missing_left,
                        left,
                        right,
                    } => {
                        let (kind, value, mask) = match rule {
                            Rule::LessOrEqual { threshold } => (LESS_OR_EQUAL, *threshold, 0),
                            Rule::InSet { categories } => {
                                let mut bits = [0u64; 4];
                                for &c in categories.iter().filter(|&&c| c < 256) {
                                    bits[(c / 64) as usize] |= 1 << (c % 64);
                                }
                                masks.push(bits);
                                (IN_SET, 0.0, masks.len() as u32 - 1)
                            }
                        };
                        FlatNode {
                            value,
                            feature: *feature,
                            left: offset + left,
                            right: offset + right,
                            mask,
                            kind,
                            missing_left: *missing_left,
                        }
                    }
                });
            }
        }
        FlatTrees {
            base: gbt.base,
            nodes,
            roots,
            masks,
        }
    }

    /// The value of the leaf `x` reaches in the tree at `root`.
    fn leaf(&self, root: Root, x: &[f64]) -> f64 {
        let mut i = root.node as usize;
        for _ in 0..root.depth {
            i = self.step(i, x);
        }
        self.nodes.get(i).map_or(0.0, |n| n.value)
    }

    /// The child of node `i` that `x` goes to (a leaf is its own child). A validated
    /// artifact keeps every index in range; one out of range stays there and scores a
    /// neutral value rather than a panic.
    #[inline(always)]
    fn step(&self, i: usize, x: &[f64]) -> usize {
        let Some(n) = self.nodes.get(i) else {
            return i;
        };
        // Both tests are computed and `kind` picks one: which way a row goes is data, and
        // mispredicted branches were most of the cost.
        let v = x.get(n.feature as usize).copied().unwrap_or(f64::NAN);
        let missing = v.is_nan();
        let below = v <= n.value;
        // `as` saturates, as the trees' own category lookup does.
        let code = v as u32;
        let bit = code.min(255);
        let mask = self.masks.get(n.mask as usize).copied().unwrap_or([0; 4]);
        let in_set = code < 256 && (mask[(bit / 64) as usize] >> (bit % 64)) & 1 == 1;
        let test = if n.kind == LESS_OR_EQUAL {
            below
        } else {
            in_set
        };
        let left = (missing & n.missing_left) | (!missing & test);
        (if left { n.left } else { n.right }) as usize
    }

    /// The leaves `LANES` rows reach in the tree at `root`, walked in lockstep: the walks
    /// are independent, so the processor overlaps their loads instead of waiting on each.
    fn leaves(&self, root: Root, rows: [&[f64]; LANES]) -> [f64; LANES] {
        let mut at = [root.node as usize; LANES];
        for _ in 0..root.depth {
            for (i, x) in at.iter_mut().zip(rows) {
                *i = self.step(*i, x);
            }
        }
        at.map(|i| self.nodes.get(i).map_or(0.0, |n| n.value))
    }

    /// The log-odds of one encoded row (`x[i]` for schema feature `i`, NaN when missing).
    pub(crate) fn margin(&self, x: &[f64]) -> f64 {
        // Summed apart from the base, in tree order, as `Gbt::margin` does: the same bits.
        let mut sum = 0.0;
        for &root in &self.roots {
            sum += self.leaf(root, x);
        }
        self.base + sum
    }

    /// The log-odds of encoded rows laid end to end, `width` values each, into `out` (one
    /// per row, in order). Each row's leaves are summed in tree order, so every margin has
    /// the bits [`FlatTrees::margin`] gives that row. Rows of no values give nothing.
    pub(crate) fn margins(&self, rows: &[f64], width: usize, out: &mut Vec<f64>) {
        out.clear();
        if width == 0 {
            return;
        }
        for block in rows.chunks(width * BLOCK) {
            let start = out.len();
            out.resize(start + block.len() / width, 0.0);
            let sums = &mut out[start..];
            let rows: Vec<&[f64]> = block.chunks_exact(width).collect();
            for &root in &self.roots {
                let mut lanes = sums.chunks_exact_mut(LANES).zip(rows.chunks_exact(LANES));
                for (part, group) in &mut lanes {
                    let group: [&[f64]; LANES] = std::array::from_fn(|k| group[k]);
                    for (sum, leaf) in part.iter_mut().zip(self.leaves(root, group)) {
                        *sum += leaf;
                    }
                }
                let done = sums.len() / LANES * LANES;
                for (sum, x) in sums[done..].iter_mut().zip(&rows[done..]) {
                    *sum += self.leaf(root, x);
                }
            }
            for sum in sums {
                *sum += self.base;
            }
        }
    }
}

/// Edges from the root to the deepest leaf (0 for a lone leaf). Children outside the tree
/// end a path, and a walk never counts more levels than the tree has nodes.
fn depth(nodes: &[Node]) -> u32 {
    let mut deepest = 0;
    let mut stack = vec![(0usize, 0u32)];
    while let Some((i, d)) = stack.pop() {
        if d as usize > nodes.len() {
            continue;
        }
        match nodes.get(i) {
            Some(Node::Split { left, right, .. }) => {
                stack.push((*left as usize, d + 1));
                stack.push((*right as usize, d + 1));
            }
            Some(Node::Leaf { .. }) => deepest = deepest.max(d),
            None => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Feature, FeatureKind, Schema};
    use crate::gbt::GbtParams;
    use proptest::prelude::*;

    /// A model over one number and one category, where both and missingness matter.
    fn model() -> &'static Gbt {
        static MODEL: std::sync::OnceLock<Gbt> = std::sync::OnceLock::new();
        MODEL.get_or_init(fit)
    }

    fn fit() -> Gbt {
        let n = 600;
        let x: Vec<f64> = (0..n)
            .map(|i| {
                if i % 11 == 0 {
                    f64::NAN
                } else {
                    f64::from((i * 37) % 97)
                }
            })
            .collect();
        let c: Vec<f64> = (0..n)
            .map(|i| {
                if i % 13 == 0 {
                    f64::NAN
                } else {
                    f64::from(i % 5)
                }
            })
            .collect();
        let y: Vec<bool> = (0..n as usize)
            .map(|i| x[i].is_nan() || x[i] > 40.0 && c[i] != 1.0 || c[i] == 3.0)
            .collect();
        let schema = Schema::from(vec![
            Feature {
                name: "x".into(),
                kind: FeatureKind::Numeric,
            },
            Feature {
                name: "c".into(),
                kind: FeatureKind::Categorical {
                    categories: (0..5).map(|k| k.to_string()).collect(),
                },
            },
        ]);
        let params = GbtParams {
            max_trees: 40,
            learning_rate: 0.3,
            ..GbtParams::default()
        };
        Gbt::fit(&schema, &[x, c], &y, None, &params)
    }

    proptest! {
        #[test]
        fn flat_trees_score_exactly_as_the_trees(
            x in prop_oneof![Just(f64::NAN), -10.0f64..120.0],
            c in prop_oneof![Just(f64::NAN), (0u32..7).prop_map(f64::from)],
        ) {
            let gbt = model();
            let flat = FlatTrees::new(gbt);
            let row = [x, c];
            prop_assert_eq!(flat.margin(&row).to_bits(), gbt.margin(&row).to_bits());
        }

        #[test]
        fn a_block_scores_each_row_exactly_as_one_row(
            rows in prop::collection::vec(
                (
                    prop_oneof![Just(f64::NAN), -10.0f64..120.0],
                    prop_oneof![Just(f64::NAN), (0u32..7).prop_map(f64::from)],
                ),
                0..200,
            ),
        ) {
            let gbt = model();
            let flat = FlatTrees::new(gbt);
            let encoded: Vec<f64> = rows.iter().flat_map(|&(x, c)| [x, c]).collect();
            let mut out = vec![7.0];
            flat.margins(&encoded, 2, &mut out);
            prop_assert_eq!(out.len(), rows.len());
            for (&(x, c), m) in rows.iter().zip(&out) {
                prop_assert_eq!(m.to_bits(), gbt.margin(&[x, c]).to_bits());
            }
        }
    }
}
