//! The synchronisation types the lesson's shared state is written against: std's, here.
//!
//! `counters.rs` and `account.rs` name their types through this module only. The loom tests in
//! `tests/loom_model.rs` compile those same two files against a module of the same shape that
//! re-exports loom's types instead, so the model checker explores the very code the lesson runs.

// ANCHOR: std_shim
pub use std::sync::atomic;
pub use std::sync::{Arc, Mutex};
pub use std::thread;
// ANCHOR_END: std_shim
