//! Batch work over the store: importing portfolios and payments from CSV/XLSX files,
//! generating realistic demo data, and measuring import speed.
//!
//! Everything here writes through the `Store` trait's bulk-import protocol, so the demo
//! data and the benchmark exercise exactly the path real imports take.

pub mod bench;
pub mod bench_offers;
pub mod bench_outbox;
pub mod demo;
pub mod document;
pub mod import;
pub mod negotiation;
pub mod outbox;
pub mod progress;
pub mod run;
pub mod scoring;
pub mod templates;

pub use import::{import_file, ImportError, ImportKind, ImportOptions, ImportReport, RowError};
pub use progress::{NoProgress, Progress};
