//! The course's black-box tests, in one test program: each lesson binary run as a learner runs
//! it, its output compared exactly with its snapshot, and what every lesson promises
//! (`conventions`). One program rather than one per lesson: it is linked once on a first build,
//! and its tests run side by side instead of one program after another.
//!
//! A lesson's own tests live in its folder, `lessons/lesson-NN/blackbox.rs`; `build.rs` finds
//! them and makes each a module here (`lesson_02`, …). Run one lesson's tests with
//! `cargo test --workspace --test lessons lesson_02::`.

mod conventions;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
