//! Integration tests of the web surface: the real router on 127.0.0.1:0 over a fresh
//! SQLite file, driven over HTTP with `ureq` (one binary, modules by area).

mod api;
mod letters;
mod login;
mod negotiation;
mod ops;
mod pages;
mod runs;
mod scoring;
mod support;
mod templates;
mod work;
mod work_api;
