//! Tabular data: a CSV held as text cells ([`Table`]), the feature [`Schema`] inferred from
//! training rows, the encoding of cells into numbers the learners read, and the target.
//!
//! Encoding rules (documented in `docs/scoring.md`):
//! - a cell is missing when, trimmed, it is one of [`MISSING_TOKENS`];
//! - a column is numeric when at least [`NUMERIC_SHARE`] of its non-missing cells parse as
//!   finite numbers; its other cells are then treated as missing (with a note), because one
//!   typo should not turn an amount into a category;
//! - any other column is categorical: its [`MAX_CATEGORIES`] most frequent values get codes
//!   `0..`, in order of frequency (ties by text); a rarer or unseen value encodes like a
//!   missing one;
//! - a column with fewer than two states (counting "missing" as a state) is constant and
//!   dropped with a note.
//!
//! An encoded cell is an `f64`: the number for a numeric column, the category code for a
//! categorical one, and NaN for missing (the learners give NaN its own treatment).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// Cell texts (after trimming) that mean "no value".
pub const MISSING_TOKENS: [&str; 5] = ["", "NA", "N/A", "NaN", "?"];

/// Share of non-missing cells that must be numbers for a column to be numeric.
pub const NUMERIC_SHARE: f64 = 0.95;

/// Most category codes a categorical column keeps (the rest encode as missing); the trees
/// keep one byte per cell, with one value reserved for "missing".
pub const MAX_CATEGORIES: usize = 255;

/// True when a cell's text means "no value".
pub fn is_missing(cell: &str) -> bool {
    MISSING_TOKENS.contains(&cell.trim())
}

/// A cell as a finite number, if it is one.
pub fn parse_number(cell: &str) -> Option<f64> {
    // f64::from_str also accepts "inf" and "NaN"; neither is a usable number here.
    cell.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Two target cells name the same class: equal text, or equal numbers ("1" and "1.0").
fn same_value(a: &str, b: &str) -> bool {
    a == b || matches!((parse_number(a), parse_number(b)), (Some(x), Some(y)) if x == y)
}

/// A CSV file held as text, column by column, with its header.
#[derive(Debug, Clone)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file with a header row.
    pub fn read_csv(path: &Path) -> Result<Table, ModelError> {
        let file = std::fs::File::open(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Table::from_reader(std::io::BufReader::new(file))
    }

    /// Reads CSV text with a header row.
    pub fn from_reader<R: Read>(reader: R) -> Result<Table, ModelError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(reader);
        let headers = csv
            .headers()
            .map_err(|e| ModelError::Csv(e.to_string()))?
            .clone();
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        if names.iter().all(|n| n.is_empty()) {
            return Err(ModelError::Empty);
        }
        let mut columns = vec![Vec::new(); names.len()];
        let mut record = csv::StringRecord::new();
        while csv
            .read_record(&mut record)
            .map_err(|e| ModelError::Csv(e.to_string()))?
        {
            for (column, cell) in columns.iter_mut().zip(record.iter()) {
                column.push(cell.to_string());
            }
        }
        if columns.first().is_none_or(|c| c.is_empty()) {
            return Err(ModelError::Empty);
        }
        Ok(Table { names, columns })
    }

    /// A table from named columns of text cells (as a CSV would hold them); `None` when
    /// the columns differ in length or do not match the names.
    pub fn from_columns(names: Vec<String>, columns: Vec<Vec<String>>) -> Option<Table> {
        let rows = columns.first().map_or(0, Vec::len);
        (names.len() == columns.len() && columns.iter().all(|c| c.len() == rows))
            .then_some(Table { names, columns })
    }

    /// The column names, in file order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of data rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// A column's cells by name.
    pub fn column(&self, name: &str) -> Option<&[String]> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(&self.columns[i])
    }

    /// A table of the given rows, in the given order.
    pub fn select(&self, rows: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|c| rows.iter().map(|&r| c[r].clone()).collect())
            .collect();
        Table {
            names: self.names.clone(),
            columns,
        }
    }
}

/// How one feature column is encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeatureKind {
    /// Numbers; missing and non-numeric cells encode as NaN.
    Numeric,
    /// Text categories; the code is the index in `categories` (most frequent first).
    Categorical {
        /// The known categories.
        categories: Vec<String>,
    },
}

/// One feature column: its name in the CSV and its encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// The column name.
    pub name: String,
    /// How its cells are encoded.
    #[serde(flatten)]
    pub kind: FeatureKind,
}

/// The features a model reads, in order, with a fast category lookup.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Vec<Feature>", into = "Vec<Feature>")]
pub struct Schema {
    features: Vec<Feature>,
    codes: Vec<HashMap<String, u32>>,
}

impl From<Vec<Feature>> for Schema {
    fn from(features: Vec<Feature>) -> Schema {
        let codes = features
            .iter()
            .map(|f| match &f.kind {
                FeatureKind::Numeric => HashMap::new(),
                FeatureKind::Categorical { categories } => categories
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.clone(), i as u32))
                    .collect(),
            })
            .collect();
        Schema { features, codes }
    }
}

impl From<Schema> for Vec<Feature> {
    fn from(schema: Schema) -> Vec<Feature> {
        schema.features
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Schema) -> bool {
        self.features == other.features
    }
}

impl Schema {
    /// The features, in the order a scored row must follow.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when there are no features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The code of a category of feature `i`, or `None` when unseen in training.
    pub fn code(&self, i: usize, text: &str) -> Option<u32> {
        self.codes.get(i)?.get(text.trim()).copied()
    }

    /// Encodes one text cell of feature `i` (NaN when missing, not a number, or unseen).
    pub fn encode_text(&self, i: usize, cell: &str) -> f64 {
        if is_missing(cell) {
            return f64::NAN;
        }
        match self.features.get(i).map(|f| &f.kind) {
            Some(FeatureKind::Numeric) => parse_number(cell).unwrap_or(f64::NAN),
            Some(FeatureKind::Categorical { .. }) => self.code(i, cell).map_or(f64::NAN, f64::from),
            None => f64::NAN,
        }
    }

    /// Infers the schema from the feature columns of a training table; notes say what was
    /// dropped or coerced.
    pub(crate) fn infer(table: &Table, columns: &[&str], notes: &mut Vec<String>) -> Schema {
        let mut features = Vec::new();
        for &name in columns {
            let cells = table.column(name).unwrap_or_default();
            if let Some(kind) = infer_kind(name, cells, notes) {
                features.push(Feature {
                    name: name.to_string(),
                    kind,
                });
            }
        }
        Schema::from(features)
    }

    /// Encodes a table column by column (`[feature][row]`); a column the schema needs but
    /// the table lacks is an error. Notes count cells that could not be used.
    pub(crate) fn encode_table(
        &self,
        table: &Table,
        notes: &mut Vec<String>,
    ) -> Result<Vec<Vec<f64>>, ModelError> {
        let mut encoded = Vec::with_capacity(self.len());
        for (i, feature) in self.features.iter().enumerate() {
            let cells = table
                .column(&feature.name)
                .ok_or_else(|| ModelError::MissingFeature(feature.name.clone()))?;
            let column: Vec<f64> = cells.iter().map(|c| self.encode_text(i, c)).collect();
            let unusable = cells
                .iter()
                .zip(&column)
                .filter(|(c, x)| x.is_nan() && !is_missing(c))
                .count();
            if unusable > 0 {
                let what = match feature.kind {
                    FeatureKind::Numeric => "values that are not numbers",
                    FeatureKind::Categorical { .. } => "categories unseen in training",
                };
                notes.push(format!(
                    "column '{}': {unusable} {what}, scored as missing",
                    feature.name
                ));
            }
            encoded.push(column);
        }
        Ok(encoded)
    }
}

/// How a column will be encoded, or `None` (with a note) when it is constant.
fn infer_kind(name: &str, cells: &[String], notes: &mut Vec<String>) -> Option<FeatureKind> {
    let present: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !is_missing(c))
        .collect();
    let missing = cells.len() - present.len();
    let numbers: Vec<f64> = present.iter().filter_map(|c| parse_number(c)).collect();
    let numeric =
        !present.is_empty() && numbers.len() as f64 >= NUMERIC_SHARE * present.len() as f64;
    let distinct = if numeric {
        let mut sorted = numbers.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        sorted.len()
    } else {
        present
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    if distinct + usize::from(missing > 0) < 2 {
        let value = present
            .first()
            .map_or("missing".to_string(), |v| format!("'{v}'"));
        notes.push(format!("column '{name}' is constant ({value}); dropped"));
        return None;
    }
    if numeric {
        let stray = present.len() - numbers.len();
        if stray > 0 {
            let example = present
                .iter()
                .find(|c| parse_number(c).is_none())
                .unwrap_or(&"");
            notes.push(format!(
                "column '{name}' is numeric; {stray} values that are not numbers (e.g. '{example}') \
                 are treated as missing"
            ));
        }
        return Some(FeatureKind::Numeric);
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &present {
        *counts.entry(c).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    // Most frequent first; the BTreeMap order breaks ties by text, so this is deterministic.
    ranked.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    if ranked.len() > MAX_CATEGORIES {
        notes.push(format!(
            "column '{name}' has {} categories; the {MAX_CATEGORIES} most frequent are kept, \
             the rest encode as missing",
            ranked.len()
        ));
        ranked.truncate(MAX_CATEGORIES);
    }
    Some(FeatureKind::Categorical {
        categories: ranked.into_iter().map(|(c, _)| c.to_string()).collect(),
    })
}

/// The target column read as classes: the positive value and one label per row
/// (`None` when the row has no target).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The value that means "positive".
    pub positive: String,
    /// Per row: positive, negative, or no target.
    pub labels: Vec<Option<bool>>,
}

impl Target {
    /// Reads the target column; `positive` defaults to `1` (see [`ModelError::PositiveRequired`]).
    pub fn read(table: &Table, column: &str, positive: Option<&str>) -> Result<Target, ModelError> {
        let cells = table
            .column(column)
            .ok_or_else(|| ModelError::MissingTarget {
                target: column.to_string(),
                available: table.names().join(", "),
            })?;
        let mut values: BTreeMap<&str, usize> = BTreeMap::new();
        for c in cells.iter().map(|c| c.trim()).filter(|c| !is_missing(c)) {
            *values.entry(c).or_default() += 1;
        }
        if values.is_empty() {
            return Err(ModelError::NoTarget(column.to_string()));
        }
        let listed = || {
            values
                .keys()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let positive = match positive {
            Some(p) => {
                let p = p.trim();
                if !values.keys().any(|v| same_value(v, p)) {
                    return Err(ModelError::PositiveAbsent {
                        positive: p.to_string(),
                        target: column.to_string(),
                        values: listed(),
                    });
                }
                p.to_string()
            }
            None if values.keys().any(|v| same_value(v, "1")) => "1".to_string(),
            None if values.len() == 1 => {
                let (only, rows) = values.iter().next().map_or(("", 0), |(v, n)| (*v, *n));
                return Err(ModelError::SingleClass {
                    target: column.to_string(),
                    class: format!("negative, '{only}'"),
                    rows,
                });
            }
            None => {
                return Err(ModelError::PositiveRequired {
                    target: column.to_string(),
                    values: listed(),
                })
            }
        };
        let labels = cells
            .iter()
            .map(|c| (!is_missing(c)).then(|| same_value(c.trim(), &positive)))
            .collect();
        Ok(Target { positive, labels })
    }

    /// Rows without a target.
    pub fn skipped(&self) -> usize {
        self.labels.iter().filter(|l| l.is_none()).count()
    }

    /// An error unless both classes occur among the rows with a target.
    pub fn require_both_classes(&self, column: &str) -> Result<(), ModelError> {
        let positives = self.labels.iter().filter(|l| **l == Some(true)).count();
        let rows = self.labels.len() - self.skipped();
        let class = if positives == 0 {
            format!("negative, no '{}'", self.positive)
        } else if positives == rows {
            format!("positive, '{}'", self.positive)
        } else {
            return Ok(());
        };
        Err(ModelError::SingleClass {
            target: column.to_string(),
            class,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(csv: &str) -> Table {
        Table::from_reader(csv.as_bytes()).unwrap()
    }

    #[test]
    fn missing_tokens_and_non_finite_numbers_are_not_numbers() {
        for cell in ["", " NA ", "?", "NaN", "N/A"] {
            assert!(is_missing(cell), "{cell}");
        }
        assert_eq!(parse_number(" 2e+05 "), Some(200_000.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn a_numeric_column_with_a_stray_word_stays_numeric_and_the_word_counts_as_missing() {
        let mut csv = String::from("x,y\n");
        for i in 0..40 {
            csv.push_str(&format!(
                "{},{}\n",
                if i == 7 { "abc".into() } else { i.to_string() },
                i % 2
            ));
        }
        let mut notes = Vec::new();
        let schema = Schema::infer(&table(&csv), &["x"], &mut notes);
        assert_eq!(schema.features()[0].kind, FeatureKind::Numeric);
        assert!(
            notes[0].contains("1 values that are not numbers (e.g. 'abc')"),
            "{notes:?}"
        );
        assert!(schema.encode_text(0, "abc").is_nan());
        assert_eq!(schema.encode_text(0, "3.5"), 3.5);
    }

    #[test]
    fn a_text_column_becomes_categorical_most_frequent_first_and_unseen_encodes_as_missing() {
        let t = table("c,y\nb,1\na,0\nb,1\nc,0\n");
        let mut notes = Vec::new();
        let schema = Schema::infer(&t, &["c"], &mut notes);
        assert_eq!(
            schema.features()[0].kind,
            FeatureKind::Categorical {
                categories: vec!["b".into(), "a".into(), "c".into()]
            }
        );
        assert_eq!(schema.encode_text(0, "a"), 1.0);
        assert!(schema.encode_text(0, "zzz").is_nan());
    }

    #[test]
    fn constant_columns_are_dropped_with_a_note_but_a_value_or_missing_column_is_kept() {
        let t = table("k,m,y\n5,5,1\n5,,0\n5,5,1\n");
        let mut notes = Vec::new();
        let schema = Schema::infer(&t, &["k", "m"], &mut notes);
        assert_eq!(schema.len(), 1);
        assert_eq!(schema.features()[0].name, "m");
        assert_eq!(notes, vec!["column 'k' is constant ('5'); dropped"]);
    }

    #[test]
    fn the_target_defaults_to_one_and_two_other_values_need_positive() {
        let t = table("y\ngood\nbad\ngood\n");
        let err = Target::read(&t, "y", None).unwrap_err().to_string();
        assert_eq!(
            err,
            "target column 'y' has the values 'bad', 'good' and none is '1': \
             say which is the positive class with --positive"
        );
        let target = Target::read(&t, "y", Some("bad")).unwrap();
        assert_eq!(target.labels, vec![Some(false), Some(true), Some(false)]);
        let t = table("y,x\n1.0,1\n0,2\n,3\n");
        let target = Target::read(&t, "y", None).unwrap();
        assert_eq!(target.labels, vec![Some(true), Some(false), None]);
        assert_eq!(target.skipped(), 1);
    }

    #[test]
    fn a_positive_value_that_does_not_occur_is_refused_with_the_values() {
        let t = table("y\n1\n0\n");
        let err = Target::read(&t, "y", Some("2")).unwrap_err().to_string();
        assert_eq!(
            err,
            "positive value '2' does not occur in target column 'y' (values: '0', '1')"
        );
    }

    #[test]
    fn an_empty_file_and_a_header_only_file_have_no_data_rows() {
        for csv in ["", "a,b\n"] {
            let err = Table::from_reader(csv.as_bytes()).unwrap_err();
            assert_eq!(err.to_string(), "the file has no data rows");
        }
    }

    #[test]
    fn a_row_of_the_wrong_width_is_malformed_csv() {
        let err = Table::from_reader("a,b\n1,2\n3\n".as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("malformed CSV: "), "{err}");
    }
}
