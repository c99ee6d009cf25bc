//! Integration tests of the engine against a real (in-memory SQLite) store: one binary.

mod engine {
    pub mod accounts;
    pub mod demo;
    pub mod examples;
    pub mod files;
    pub mod negotiation;
    pub mod outbox;
    pub mod outbox_adapters;
    pub mod payments;
    pub mod run;
    pub mod scoring;
    pub mod stand_in;
    pub mod support;
    pub mod xlsx;
}
