//! Scaffolding every lesson shares, kept out of the lessons' `main.rs` so that each listing shows
//! only its concept: how durations are read from the command line, how parts are announced, and
//! (in [`worker`]) how a lesson starts copies of itself as worker processes.
//!
//! Conventions every lesson binary follows:
//! - `--help` explains the lesson and every flag;
//! - every sleep scales with a flag whose default is the article's real timing;
//! - a bad value is reported in one clear line and the program exits with code 2 (clap's usage
//!   error code), never with a panic.
//!
//! With the feature `loopback`, the module [`loopback`] adds the HTTP file server that lesson 02
//! downloads from.

#[cfg(feature = "loopback")]
pub mod loopback;

use std::time::Duration;

pub mod worker;

/// The longest pause or latency a lesson accepts. Anything longer is almost certainly a typo, and
/// would make a lesson look as if it hangs.
pub const MAX_MILLIS: u64 = 60_000;

/// Parses a whole number of milliseconds for a `--…-ms` flag (a clap `value_parser`).
///
/// Accepts `0` up to [`MAX_MILLIS`]; rejects anything else with a message that says what is
/// expected, which clap prints before exiting with code 2.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(course_support::parse_millis("250"), Ok(Duration::from_millis(250)));
/// assert!(course_support::parse_millis("-5").unwrap_err().contains("negative"));
/// assert!(course_support::parse_millis("abc").unwrap_err().contains("whole number"));
/// assert!(course_support::parse_millis("99999999").unwrap_err().contains("at most"));
/// ```
pub fn parse_millis(arg: &str) -> Result<Duration, String> {
    let arg = arg.trim();
    if arg.starts_with('-') && arg.len() > 1 {
        return Err("a duration cannot be negative".to_string());
    }
    let millis: u64 = arg
        .parse()
        .map_err(|_| "expected a whole number of milliseconds, such as 1000".to_string())?;
    if millis > MAX_MILLIS {
        return Err(format!(
            "{millis} ms is too long; the most this lesson accepts is {MAX_MILLIS} ms (at most one minute)"
        ));
    }
    Ok(Duration::from_millis(millis))
}

/// Prints the heading that opens one part of a lesson, with a blank line before it unless it is
/// the first thing printed.
pub fn announce_part(number: usize, title: &str, first: bool) {
    if !first {
        println!();
    }
    println!("{}", part_heading(number, title));
}

/// The heading line that [`announce_part`] prints, for a lesson that prints through something
/// other than `println!` (such as a progress-bar library).
pub fn part_heading(number: usize, title: &str) -> String {
    format!("== Part {number}: {title} ==")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_zero_and_the_maximum() {
        assert_eq!(parse_millis("0"), Ok(Duration::ZERO));
        assert_eq!(
            parse_millis(&MAX_MILLIS.to_string()),
            Ok(Duration::from_millis(MAX_MILLIS))
        );
    }

    #[test]
    fn rejects_one_past_the_maximum_and_fractions() {
        assert!(parse_millis(&(MAX_MILLIS + 1).to_string()).is_err());
        assert!(parse_millis("1.5").is_err());
        assert!(parse_millis("").is_err());
    }
}
