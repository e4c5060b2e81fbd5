//! The checks of `send-the-tally`, run against `solution/lib.rs` (see Cargo.toml).

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "solution/lib.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
