//! The lock type `transfer.rs` is written against: std's, here. The loom test (`tests/loom.rs`)
//! compiles that same file against a module of the same shape that re-exports loom's `Mutex`.

pub use std::sync::Mutex;
