//! Gradient-boosted trees for log-loss, histogram-based (in the manner of LightGBM), grown
//! leaf-wise (best gain first) within depth and leaf limits. Single-threaded and without
//! random sampling, so the same data always gives the same trees.
//!
//! Inputs: each numeric feature is cut into at most [`GbtParams::max_bins`] bins at
//! quantiles of the training values (a split threshold is the midpoint between two
//! neighbouring training values); a categorical feature keeps one bin per category and a
//! split sends a *set* of categories left, found by ordering the categories by their
//! gradient ratio (LightGBM's method). Missing values have a bin of their own and each split
//! learns which side they go to; a value unseen in training (an unknown category) follows
//! the missing values, or the larger child when training had none.

use serde::{Deserialize, Serialize};

use crate::calibration::sigmoid;
use crate::dataset::{FeatureKind, Schema};
use crate::metrics::logloss;

/// The bin that holds missing values; value bins are `0..MISSING_BIN`.
const MISSING_BIN: usize = 255;
const BINS: usize = 256;
/// Smoothing added to the hessian when ordering categories, so a rare category with an
/// extreme ratio does not decide the order on its own.
const CATEGORY_SMOOTHING: f64 = 10.0;

/// Settings of the boosted-trees learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GbtParams {
    /// Shrinkage applied to every tree's leaf values.
    pub learning_rate: f64,
    /// Trees at most.
    pub max_trees: usize,
    /// Stop when the held-out log-loss has not improved for this many trees (the model keeps
    /// the best count); only when a held-out part exists.
    pub early_stopping_rounds: usize,
    /// Depth limit (the root is depth 0).
    pub max_depth: usize,
    /// Leaves per tree at most.
    pub max_leaves: usize,
    /// Training rows every leaf must hold at least.
    pub min_samples_leaf: usize,
    /// L2 penalty on leaf values.
    pub l2: f64,
    /// Value bins per numeric feature (at most 255).
    pub max_bins: usize,
}

impl Default for GbtParams {
    fn default() -> GbtParams {
        GbtParams {
            learning_rate: 0.05,
            max_trees: 500,
            early_stopping_rounds: 50,
            max_depth: 6,
            max_leaves: 31,
            min_samples_leaf: 20,
            l2: 1.0,
            max_bins: 255,
        }
    }
}

/// How a split decides for a present value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Left when the number is at most the threshold.
    LessOrEqual {
        /// The threshold.
        threshold: f64,
    },
    /// Left when the category code is in the (sorted) set.
    InSet {
        /// The category codes that go left.
        categories: Vec<u32>,
    },
}

/// One node of a tree; children always come after their parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    /// A leaf: adds its value to the margin.
    Leaf {
        /// The (shrunk) value.
        value: f64,
    },
    /// An inner node.
    Split {
        /// Schema feature index.
        feature: u32,
        /// The test for present values.
        rule: Rule,
        /// Where missing and unseen values go.
        missing_left: bool,
        /// Index of the left child.
        left: u32,
        /// Index of the right child.
        right: u32,
    },
}

/// One regression tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// The nodes; index 0 is the root.
    pub nodes: Vec<Node>,
}

impl Tree {
    /// The leaf value reached by a row whose feature `i` is `x(i)`.
    pub fn value(&self, x: impl Fn(usize) -> f64) -> f64 {
        let mut i = 0;
        loop {
            match self.nodes.get(i) {
                Some(Node::Leaf { value }) => return *value,
                Some(Node::Split {
                    feature,
                    rule,
                    missing_left,
                    left,
                    right,
                }) => {
                    let v = x(*feature as usize);
                    let go_left = if v.is_nan() {
                        *missing_left
                    } else {
                        match rule {
                            Rule::LessOrEqual { threshold } => v <= *threshold,
                            Rule::InSet { categories } => {
                                categories.binary_search(&(v as u32)).is_ok()
                            }
                        }
                    };
                    i = if go_left { *left } else { *right } as usize;
                }
                // Unreachable for a validated artifact; a neutral value rather than a panic.
                None => return 0.0,
            }
        }
    }
}

/// A fitted boosted-trees model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gbt {
    /// The settings it was fitted with.
    pub params: GbtParams,
    /// The starting log-odds (the training prior).
    pub base: f64,
    /// The trees, in order.
    pub trees: Vec<Tree>,
}

impl Gbt {
    /// The log-odds of one encoded row.
    pub fn margin(&self, x: &[f64]) -> f64 {
        self.base
            + self
                .trees
                .iter()
                .map(|t| t.value(|i| x.get(i).copied().unwrap_or(f64::NAN)))
                .sum::<f64>()
    }

    /// Fits trees on encoded columns; `holdout` (columns and labels), when given, decides
    /// how many trees to keep.
    pub fn fit(
        schema: &Schema,
        columns: &[Vec<f64>],
        labels: &[bool],
        holdout: Option<(&[Vec<f64>], &[bool])>,
        params: &GbtParams,
    ) -> Gbt {
        let n = labels.len();
        let binned = Binned::new(schema, columns, params.max_bins.clamp(2, MISSING_BIN));
        let positives = labels.iter().filter(|&&l| l).count() as f64;
        let rate = ((positives + 0.5) / (n as f64 + 1.0)).clamp(1e-6, 1.0 - 1e-6);
        let base = (rate / (1.0 - rate)).ln();
        let mut margins = vec![base; n];
        let mut held_margins = vec![base; holdout.map_or(0, |(_, l)| l.len())];
        let mut trees = Vec::new();
        let mut best = (f64::INFINITY, 0usize);
        let mut g = vec![0.0; n];
        let mut h = vec![0.0; n];
        let mut rows: Vec<u32> = (0..n as u32).collect();
        for _ in 0..params.max_trees {
            for r in 0..n {
                let p = sigmoid(margins[r]);
                g[r] = p - if labels[r] { 1.0 } else { 0.0 };
                h[r] = (p * (1.0 - p)).max(1e-16);
            }
            let Some(tree) = grow(&binned, &g, &h, &mut rows, &mut margins, params) else {
                break;
            };
            if let Some((cols, l)) = holdout {
                for (r, margin) in held_margins.iter_mut().enumerate() {
                    *margin += tree.value(|i| cols[i][r]);
                }
                let probabilities: Vec<f64> = held_margins.iter().map(|&z| sigmoid(z)).collect();
                let loss = logloss(&probabilities, l);
                trees.push(tree);
                if loss < best.0 {
                    best = (loss, trees.len());
                } else if trees.len() - best.1 >= params.early_stopping_rounds {
                    break;
                }
            } else {
                trees.push(tree);
                best.1 = trees.len();
            }
        }
        trees.truncate(best.1);
        Gbt {
            params: params.clone(),
            base,
            trees,
        }
    }
}

/// The training columns as bin indices, with the numeric bin edges.
struct Binned {
    /// `[feature][row]`.
    bins: Vec<Vec<u8>>,
    /// Per feature: the upper edges of the value bins (numeric), empty for categorical.
    edges: Vec<Vec<f64>>,
    /// Per feature: value bins in use.
    value_bins: Vec<usize>,
    categorical: Vec<bool>,
}

impl Binned {
    fn new(schema: &Schema, columns: &[Vec<f64>], max_bins: usize) -> Binned {
        let mut binned = Binned {
            bins: Vec::new(),
            edges: Vec::new(),
            value_bins: Vec::new(),
            categorical: Vec::new(),
        };
        for (feature, column) in schema.features().iter().zip(columns) {
            let (edges, value_bins, categorical) = match &feature.kind {
                FeatureKind::Numeric => {
                    let edges = quantile_edges(column, max_bins);
                    let bins = edges.len() + 1;
                    (edges, bins, false)
                }
                FeatureKind::Categorical { categories } => {
                    (Vec::new(), categories.len().min(MISSING_BIN), true)
                }
            };
            let bins = column
                .iter()
                .map(|&v| {
                    if v.is_nan() {
                        MISSING_BIN as u8
                    } else if categorical {
                        if (v as usize) < value_bins {
                            v as u8
                        } else {
                            MISSING_BIN as u8
                        }
                    } else {
                        edges.partition_point(|&e| e < v) as u8
                    }
                })
                .collect();
            binned.bins.push(bins);
            binned.edges.push(edges);
            binned.value_bins.push(value_bins);
            binned.categorical.push(categorical);
        }
        binned
    }
}

/// Bin edges at quantiles of the present values, each the midpoint between two neighbouring
/// distinct values, so that `v <= edges[b]` exactly when `v` falls in bin `b` or lower.
fn quantile_edges(column: &[f64], max_bins: usize) -> Vec<f64> {
    let mut values: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
    values.sort_by(f64::total_cmp);
    let total = values.len() as f64;
    let mut distinct: Vec<(f64, usize)> = Vec::new();
    for v in values {
        match distinct.last_mut() {
            Some((last, count)) if *last == v => *count += 1,
            _ => distinct.push((v, 1)),
        }
    }
    let mut edges = Vec::new();
    let mut seen = 0usize;
    for pair in distinct.windows(2) {
        seen += pair[0].1;
        let wanted = (edges.len() + 1) as f64 * total / max_bins as f64;
        if distinct.len() <= max_bins || seen as f64 >= wanted {
            edges.push(pair[0].0 + (pair[1].0 - pair[0].0) / 2.0);
        }
    }
    edges
}

/// Sums of gradient, hessian and rows.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    g: f64,
    h: f64,
    n: u32,
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.g += other.g;
        self.h += other.h;
        self.n += other.n;
    }

    fn minus(self, other: Stats) -> Stats {
        Stats {
            g: self.g - other.g,
            h: self.h - other.h,
            n: self.n - other.n,
        }
    }

    fn score(self, l2: f64) -> f64 {
        self.g * self.g / (self.h + l2)
    }
}

/// A split in bin terms.
#[derive(Debug, Clone)]
enum BinRule {
    /// Bins `0..=b` go left.
    UpTo(usize),
    /// These bins go left (sorted).
    Set(Vec<usize>),
}

#[derive(Debug, Clone)]
struct Candidate {
    gain: f64,
    feature: usize,
    rule: BinRule,
    missing_left: bool,
}

impl Candidate {
    fn goes_left(&self, bin: usize) -> bool {
        if bin == MISSING_BIN {
            return self.missing_left;
        }
        match &self.rule {
            BinRule::UpTo(b) => bin <= *b,
            BinRule::Set(set) => set.binary_search(&bin).is_ok(),
        }
    }
}

/// A leaf being grown: its rows are `rows[start..end]`.
struct Leaf {
    start: usize,
    end: usize,
    depth: usize,
    node: usize,
    hist: Vec<Stats>,
    total: Stats,
    best: Option<Candidate>,
}

/// Grows one tree on the gradients, adds its leaf values to `margins`, and returns it
/// (`None` when not even the root can be split).
fn grow(
    binned: &Binned,
    g: &[f64],
    h: &[f64],
    rows: &mut [u32],
    margins: &mut [f64],
    params: &GbtParams,
) -> Option<Tree> {
    let hist = histogram(binned, g, h, rows);
    let total = hist[..BINS].iter().fold(Stats::default(), |mut a, s| {
        a.add(*s);
        a
    });
    let mut root = Leaf {
        start: 0,
        end: rows.len(),
        depth: 0,
        node: 0,
        hist,
        total,
        best: None,
    };
    root.best = best_split(binned, &root, params);
    root.best.as_ref()?;
    let mut nodes = vec![Node::Leaf { value: 0.0 }];
    let mut leaves = vec![root];
    let mut scratch: Vec<u32> = Vec::with_capacity(rows.len());
    while leaves.len() < params.max_leaves.max(2) {
        // The leaf with the largest gain; ties go to the earlier leaf.
        let Some(pick) = leaves
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.best.as_ref().map(|b| (i, b.gain)))
            .fold(None, |acc: Option<(usize, f64)>, (i, gain)| match acc {
                Some((_, g)) if g >= gain => acc,
                _ => Some((i, gain)),
            })
            .map(|(i, _)| i)
        else {
            break;
        };
        let leaf = leaves.swap_remove(pick);
        let Some(split) = leaf.best.clone() else {
            break;
        };
        // Stable partition of the leaf's rows: left first.
        let column = &binned.bins[split.feature];
        scratch.clear();
        let slice = &mut rows[leaf.start..leaf.end];
        let mut left_count = 0;
        for i in 0..slice.len() {
            let r = slice[i];
            if split.goes_left(column[r as usize] as usize) {
                slice[left_count] = r;
                left_count += 1;
            } else {
                scratch.push(r);
            }
        }
        slice[left_count..].copy_from_slice(&scratch);
        let mid = leaf.start + left_count;
        // Histogram of the smaller child by scanning; the larger one by subtraction.
        let (small, large) = if left_count <= leaf.end - mid {
            ((leaf.start, mid), (mid, leaf.end))
        } else {
            ((mid, leaf.end), (leaf.start, mid))
        };
        let small_hist = histogram(binned, g, h, &rows[small.0..small.1]);
        let large_hist: Vec<Stats> = leaf
            .hist
            .iter()
            .zip(&small_hist)
            .map(|(p, s)| p.minus(*s))
            .collect();
        let left_index = nodes.len();
        nodes.push(Node::Leaf { value: 0.0 });
        nodes.push(Node::Leaf { value: 0.0 });
        nodes[leaf.node] = Node::Split {
            feature: split.feature as u32,
            rule: match &split.rule {
                BinRule::UpTo(b) => Rule::LessOrEqual {
                    threshold: binned.edges[split.feature][*b],
                },
                BinRule::Set(set) => Rule::InSet {
                    categories: set.iter().map(|&b| b as u32).collect(),
                },
            },
            missing_left: split.missing_left,
            left: left_index as u32,
            right: left_index as u32 + 1,
        };
        for ((start, end), hist) in [(small, small_hist), (large, large_hist)] {
            let total = hist[..BINS].iter().fold(Stats::default(), |mut a, s| {
                a.add(*s);
                a
            });
            let node = if start == leaf.start {
                left_index
            } else {
                left_index + 1
            };
            let mut child = Leaf {
                start,
                end,
                depth: leaf.depth + 1,
                node,
                hist,
                total,
                best: None,
            };
            child.best = best_split(binned, &child, params);
            leaves.push(child);
        }
        // Keep the leaves in node order so the tie rule above does not depend on swaps.
        leaves.sort_by_key(|l| l.node);
    }
    for leaf in &leaves {
        let value = -params.learning_rate * leaf.total.g / (leaf.total.h + params.l2);
        nodes[leaf.node] = Node::Leaf { value };
        for &r in &rows[leaf.start..leaf.end] {
            margins[r as usize] += value;
        }
    }
    Some(Tree { nodes })
}

/// Per feature, per bin: the sums over the given rows (`[feature * 256 + bin]`).
fn histogram(binned: &Binned, g: &[f64], h: &[f64], rows: &[u32]) -> Vec<Stats> {
    let mut hist = vec![Stats::default(); binned.bins.len() * BINS];
    for (f, column) in binned.bins.iter().enumerate() {
        let feature_hist = &mut hist[f * BINS..(f + 1) * BINS];
        for &r in rows {
            let r = r as usize;
            let s = &mut feature_hist[column[r] as usize];
            s.g += g[r];
            s.h += h[r];
            s.n += 1;
        }
    }
    hist
}

/// The best split of a leaf, if any split has positive gain within the limits.
fn best_split(binned: &Binned, leaf: &Leaf, params: &GbtParams) -> Option<Candidate> {
    if leaf.depth >= params.max_depth
        || (leaf.total.n as usize) < 2 * params.min_samples_leaf.max(1)
    {
        return None;
    }
    let parent = leaf.total.score(params.l2);
    let mut best: Option<Candidate> = None;
    for f in 0..binned.bins.len() {
        let hist = &leaf.hist[f * BINS..(f + 1) * BINS];
        let missing = hist[MISSING_BIN];
        // The order in which bins join the left side.
        let order: Vec<usize> = if binned.categorical[f] {
            let mut present: Vec<usize> = (0..binned.value_bins[f])
                .filter(|&b| hist[b].n > 0)
                .collect();
            present.sort_by(|&a, &b| {
                let ra = hist[a].g / (hist[a].h + CATEGORY_SMOOTHING);
                let rb = hist[b].g / (hist[b].h + CATEGORY_SMOOTHING);
                ra.total_cmp(&rb).then(a.cmp(&b))
            });
            present
        } else {
            (0..binned.value_bins[f]).collect()
        };
        let mut acc = Stats::default();
        for k in 0..order.len().saturating_sub(1) {
            acc.add(hist[order[k]]);
            if !binned.categorical[f] && hist[order[k]].n == 0 {
                // An empty bin gives the same partition as the previous one.
                continue;
            }
            for missing_left in [false, true] {
                if missing_left && missing.n == 0 {
                    continue;
                }
                let mut left = acc;
                if missing_left {
                    left.add(missing);
                }
                let right = leaf.total.minus(left);
                let min = params.min_samples_leaf as u32;
                if left.n < min.max(1) || right.n < min.max(1) || left.h <= 1e-9 || right.h <= 1e-9
                {
                    continue;
                }
                let gain = left.score(params.l2) + right.score(params.l2) - parent;
                if gain > 1e-12 && best.as_ref().is_none_or(|b| gain > b.gain) {
                    let rule = if binned.categorical[f] {
                        let mut set = order[..=k].to_vec();
                        set.sort_unstable();
                        BinRule::Set(set)
                    } else {
                        BinRule::UpTo(order[k])
                    };
                    // Without missing values in training, unseen ones follow the larger side.
                    let missing_left = if missing.n == 0 {
                        left.n >= right.n
                    } else {
                        missing_left
                    };
                    best = Some(Candidate {
                        gain,
                        feature: f,
                        rule,
                        missing_left,
                    });
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Feature;

    fn schema(kinds: Vec<FeatureKind>) -> Schema {
        Schema::from(
            kinds
                .into_iter()
                .enumerate()
                .map(|(i, kind)| Feature {
                    name: format!("f{i}"),
                    kind,
                })
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn edges_are_midpoints_and_respect_the_bin_limit() {
        assert_eq!(
            quantile_edges(&[1.0, 2.0, 2.0, 4.0, f64::NAN], 255),
            vec![1.5, 3.0]
        );
        let many: Vec<f64> = (0..10_000).map(f64::from).collect();
        let edges = quantile_edges(&many, 16);
        assert!(edges.len() < 16 && edges.len() >= 14, "{}", edges.len());
    }

    #[test]
    fn trees_fit_a_step_function() {
        // y = 1 exactly when x > 30: the trees must put the step there.
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let y: Vec<bool> = x.iter().map(|&v| v > 30.0).collect();
        let params = GbtParams {
            max_trees: 100,
            min_samples_leaf: 5,
            learning_rate: 0.3,
            ..GbtParams::default()
        };
        let model = Gbt::fit(&schema(vec![FeatureKind::Numeric]), &[x], &y, None, &params);
        let Some(Node::Split {
            rule: Rule::LessOrEqual { threshold },
            ..
        }) = model.trees[0].nodes.first()
        else {
            panic!("the first tree splits on x");
        };
        assert_eq!(*threshold, 30.5);
        assert!(sigmoid(model.margin(&[10.0])) < 0.05);
        assert!(sigmoid(model.margin(&[31.0])) > 0.95);
        assert!(sigmoid(model.margin(&[29.0])) < 0.05);
    }

    #[test]
    fn trees_split_categories_into_sets_and_learn_where_missing_values_go() {
        // Categories 0 and 2 are positive, 1 and 3 negative; missing values are positive.
        let c: Vec<f64> = (0..400)
            .map(|i| {
                if i % 5 == 4 {
                    f64::NAN
                } else {
                    f64::from(i % 4)
                }
            })
            .collect();
        let y: Vec<bool> = c
            .iter()
            .map(|v| v.is_nan() || *v == 0.0 || *v == 2.0)
            .collect();
        let kinds = vec![FeatureKind::Categorical {
            categories: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        }];
        let params = GbtParams {
            max_trees: 50,
            learning_rate: 0.3,
            ..GbtParams::default()
        };
        let model = Gbt::fit(&schema(kinds), &[c], &y, None, &params);
        let p = |v: f64| sigmoid(model.margin(&[v]));
        assert!(p(0.0) > 0.9 && p(2.0) > 0.9, "{} {}", p(0.0), p(2.0));
        assert!(p(1.0) < 0.1 && p(3.0) < 0.1);
        assert!(p(f64::NAN) > 0.9);
    }

    #[test]
    fn the_same_data_gives_the_same_trees() {
        let x: Vec<f64> = (0..300).map(|i| f64::from((i * 37) % 101)).collect();
        let z: Vec<f64> = (0..300).map(|i| f64::from((i * 13) % 17)).collect();
        let y: Vec<bool> = (0..300)
            .map(|i| (i * 37) % 101 > 50 || i % 7 == 0)
            .collect();
        let s = schema(vec![FeatureKind::Numeric, FeatureKind::Numeric]);
        let cols = [x, z];
        let a = Gbt::fit(&s, &cols, &y, Some((&cols, &y)), &GbtParams::default());
        let b = Gbt::fit(&s, &cols, &y, Some((&cols, &y)), &GbtParams::default());
        assert_eq!(a, b);
    }
}
