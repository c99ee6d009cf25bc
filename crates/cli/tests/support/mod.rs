//! Helpers shared by the binary's integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod demo_server;
