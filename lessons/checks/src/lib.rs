//! What the checks of the exercises share. An exercise crate takes it as a dev-dependency, so
//! that its `checks.rs` can use it; the learner's code never sees it.
//!
//! `cargo xtask verify` runs an exercise's checks one at a time (`--test-threads=1`), so what the
//! process does while a check runs is that check's doing.

pub mod cpu;
pub mod downloads;
pub mod lesson_02;
pub mod lesson_06;
pub mod lesson_08;
pub mod lesson_09;
pub mod loom;
pub mod seeded;
pub mod source;
