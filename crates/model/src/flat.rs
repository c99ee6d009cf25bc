//! Boosted trees laid out for scoring many rows: every node of every tree in one array of
//! small fixed-size records (no enum payloads, no vectors behind pointers), and category
//! sets as 256-bit masks, so a row walks its trees with a few loads and one compare per
//! level. Built from a fitted [`Gbt`] once per scorer; scores exactly as [`Gbt::margin`].

use crate::gbt::{Gbt, Node, Rule};

const LEAF: u8 = 0;
const LESS_OR_EQUAL: u8 = 1;
const IN_SET: u8 = 2;

/// One node: a leaf's value, or a split's threshold and children.
#[derive(Debug, Clone, Copy)]
struct FlatNode {
    /// Leaf value, or the threshold of a `<=` split.
    value: f64,
    /// Schema feature index of a split.
    feature: u32,
    /// Absolute index of the left child.
    left: u32,
    /// Absolute index of the right child.
    right: u32,
    /// Index into the masks of an `InSet` split.
    mask: u32,
    kind: u8,
    missing_left: bool,
}

/// The trees of a model, flattened.
#[derive(Debug, Clone)]
pub(crate) struct FlatTrees {
    base: f64,
    nodes: Vec<FlatNode>,
    roots: Vec<u32>,
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
            roots.push(offset);
            for node in &tree.nodes {
                nodes.push(match node {
                    Node::Leaf { value } => FlatNode {
                        value: *value,
                        feature: 0,
                        left: 0,
                        right: 0,
                        mask: 0,
                        kind: LEAF,
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

    /// The log-odds of one encoded row (`x[i]` for schema feature `i`, NaN when missing).
    pub(crate) fn margin(&self, x: &[f64]) -> f64 {
        // Summed apart from the base, in tree order, as `Gbt::margin` does: the same bits.
        let mut sum = 0.0;
        for &root in &self.roots {
            let mut i = root as usize;
            // A validated artifact always reaches a leaf; a node out of range ends the walk
            // with a neutral value rather than a panic.
            while let Some(n) = self.nodes.get(i) {
                if n.kind == LEAF {
                    sum += n.value;
                    break;
                }
                // Branch-free: which way a row goes is data, and mispredicted branches
                // were most of the cost. Both tests are computed; `kind` picks one.
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
                i = if left { n.left } else { n.right } as usize;
            }
        }
        self.base + sum
    }
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
    }
}
