//! The synchronisation types the lesson's shared code is written against: std's, here.
//!
//! `flag.rs`, `spin_lock.rs` and `counters.rs` name their types through this module only. The
//! loom tests in `tests/loom_model.rs` compile those same files against a module of the same shape
//! that re-exports loom's types instead, so the model checker explores the very code the lesson
//! runs.

// ANCHOR: std_shim
pub use std::hint;
pub use std::sync::atomic;
pub use std::sync::{Arc, Mutex};
pub use std::thread;
// ANCHOR_END: std_shim
