//! The checks of `send-the-tally`, run against `src/lib.rs` (see Cargo.toml).

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "src/lib.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
