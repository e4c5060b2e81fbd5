//! The figures every part of the benchmark shares: a duration read from a lesson's output, the
//! median of the runs, seconds in a readable unit, and a target measured. This module uses no
//! other of the bench, so that each lesson's rows ([`super::rayon`], [`super::growth`]) and the
//! report that gathers them all can use it.

use anyhow::{Context, Result};

/// A duration as Rust's `{:?}` prints it (`1.234s`, `56.789ms`, `12.3µs`, `800ns`), in seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    // Dividing (rather than multiplying by 1e-3 …) gives the double nearest to the decimal.
    let per_second = match unit {
        "s" => 1.0,
        "ms" => 1e3,
        "µs" | "us" => 1e6,
        "ns" => 1e9,
        _ => return None,
    };
    Some(number / per_second)
}

/// The duration that follows `marker` on the first line starting with `start`, up to a comma or
/// a space.
pub fn figure_after(out: &str, start: &str, marker: &str) -> Result<f64> {
    let line = out
        .lines()
        .find(|line| line.trim_start().starts_with(start))
        .with_context(|| format!("no line starting {start:?} in:\n{out}"))?;
    let rest = line
        .split_once(marker)
        .with_context(|| format!("no {marker:?} in {line:?}"))?
        .1;
    let figure = rest
        .trim_start()
        .split([',', ' '])
        .next()
        .unwrap_or_default();
    parse_duration(figure).with_context(|| format!("no duration after {marker:?} in {line:?}"))
}

/// The median: the middle value (the mean of the two middle ones for an even count).
/// Unmoved by the odd run that had to share a core. `NaN` for no values.
pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.into_iter().collect();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        f64::midpoint(values[middle - 1], values[middle])
    }
}

/// Seconds in a readable unit: `1.23 s`, `45.6 ms`.
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

/// One target of the issue, measured: `passed` is reported, never asserted.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub passed: bool,
    pub text: String,
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the figures are exactly the decimal ones written
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit_debug_prints() {
        assert_eq!(parse_duration("1.234s"), Some(1.234));
        assert_eq!(parse_duration("56.5ms"), Some(0.0565));
        assert_eq!(parse_duration("12µs"), Some(12e-6));
        assert_eq!(parse_duration("800ns"), Some(800e-9));
        assert_eq!(parse_duration("1.2 s"), None);
        assert_eq!(parse_duration("ms"), None);
        assert_eq!(parse_duration("12h"), None);
    }

    #[test]
    fn a_figure_is_the_duration_after_its_marker_on_its_line() {
        let out = "one loop:   2262 primes in 2.000ms\n  busy: 1.5ms, idle 0ns\n";
        assert_eq!(
            figure_after(out, "one loop:", " primes in ").unwrap(),
            0.002
        );
        assert_eq!(figure_after(out, "busy", ": ").unwrap(), 0.0015);
        assert!(figure_after(out, "rayon", ": ").is_err());
        assert!(figure_after(out, "one loop:", " threads in ").is_err());
    }

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median([3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median([4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median([7.0]), 7.0);
        assert!(median([]).is_nan());
        // One slow run does not move it.
        assert_eq!(median([1.0, 1.1, 90.0]), 1.1);
    }

    #[test]
    fn seconds_are_shown_in_a_readable_unit() {
        assert_eq!(seconds(1.234), "1.23 s");
        assert_eq!(seconds(0.0456), "45.6 ms");
    }
}
