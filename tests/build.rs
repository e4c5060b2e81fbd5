//! Finds every lesson's black-box tests, `lessons/lesson-NN/blackbox.rs`, and writes the module
//! list of the test program `lessons` (`tests/tests/lessons/main.rs` includes it): a lesson's
//! tests live in its folder, and no list names them. One test program for every lesson rather
//! than one per lesson: it is linked once, and its tests run side by side.
//!
//! A new lesson changes `Cargo.lock` (its package), which runs this again.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .parent()
        .expect("tests/ sits inside the workspace")
        .to_path_buf();
    println!("cargo::rerun-if-changed=../Cargo.lock");
    let mut lessons: Vec<String> = fs::read_dir(root.join("lessons"))
        .expect("lessons/ is readable")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            name.starts_with("lesson-")
                && root.join("lessons").join(name).join("Cargo.toml").is_file()
        })
        .collect();
    lessons.sort();
    let mut modules = String::new();
    let mut compiled = Vec::new();
    for lesson in &lessons {
        let file = root.join("lessons").join(lesson).join("blackbox.rs");
        // Also when it is missing: then this runs on every build until it exists, and the test
        // `every_lesson_has_its_black_box_tests` says which lesson lacks it.
        println!("cargo::rerun-if-changed={}", file.display());
        if file.is_file() {
            let path = file.to_str().expect("the course's path is UTF-8");
            let module = lesson.replace('-', "_");
            writeln!(modules, "#[path = {path:?}]\nmod {module};").unwrap();
            compiled.push(lesson.as_str());
        }
    }
    writeln!(
        modules,
        "/// The lessons whose `blackbox.rs` this program was built with.\n\
         pub const COMPILED: &[&str] = &{compiled:?};"
    )
    .unwrap();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it")).join("lessons.rs");
    // Written only when it changes, so that an unchanged list does not relink the tests.
    if fs::read_to_string(&out).ok().as_deref() != Some(modules.as_str()) {
        fs::write(&out, modules).expect("OUT_DIR is writable");
    }
}
