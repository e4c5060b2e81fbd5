//! The checks of `send-the-tally`, run against `starter/lib.rs` (see Cargo.toml).

/// The file the checks compile and run.
#[cfg(test)]
const PROGRAM: &str = "starter/lib.rs";

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
