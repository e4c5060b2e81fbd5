//! The course's black-box tests, in one test program: each lesson binary run as a learner runs
//! it, its output compared exactly with its snapshot, and what every lesson promises
//! (`conventions`). One program rather than one per file: it is linked once on a first build,
//! and its tests run side by side instead of one program after another.
//!
//! Run one lesson's tests with `cargo test --workspace --test lessons lesson_02::`. A new lesson's
//! file is declared below; `conventions` fails when a file here is not.

mod conventions;
mod lesson_01;
mod lesson_02;
mod lesson_03;
mod lesson_04;
mod lesson_05;
mod lesson_06;
mod lesson_07;
mod lesson_08;
mod lesson_09;
mod lesson_10;
