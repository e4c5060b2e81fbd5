//! Lesson 10's rows of the benchmark: the growth curve. N = 10 … 10 000 downloads at once, each
//! answered after the same latency d, with one thread each, a pool of 100 threads and tokio
//! tasks: wall time / d, time to start them all, peak memory. Read from what the release-built
//! lesson prints (`--part growth`), where every figure comes from a fresh process.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::figures::{Target, parse_duration, seconds};

/// The labels lesson 10 prints for its three ways, in its order.
pub const STRATEGIES: [&str; 3] = ["one thread each", "a pool of 100 threads", "tokio tasks"];

/// One run of lesson 10's part 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    pub latency_ms: u64,
    pub rows: Vec<GrowthRow>,
    /// What each further download adds to the peak memory, by way (KiB), between the two largest
    /// counts measured.
    pub added_kib: Vec<(String, f64)>,
}

/// One way at one count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthRow {
    pub downloads: usize,
    pub strategy: String,
    /// `None` where the lesson did not run it (the pool, past ten rounds of the latency).
    pub wall_over_latency: Option<f64>,
    pub start_s: Option<f64>,
    pub peak_mib: Option<f64>,
}

/// Reads the lesson's part 2.
pub fn parse(out: &str, latency_ms: u64) -> Result<Growth> {
    let mut rows = Vec::new();
    let mut added_kib = Vec::new();
    let strategy_at_start = |text: &str| {
        STRATEGIES
            .into_iter()
            .find(|strategy| text.starts_with(strategy))
    };
    for line in out.lines() {
        let trimmed = line.trim_start();
        let (first, rest) = trimmed.split_once(' ').unwrap_or_default();
        if let (Ok(downloads), Some(strategy)) =
            (first.parse::<usize>(), strategy_at_start(rest.trim_start()))
        {
            // `   100  tokio tasks           wall ×1.04 of the latency, all started in …`
            let rest = rest.trim_start()[strategy.len()..].trim_start();
            let mut row = GrowthRow {
                downloads,
                strategy: strategy.to_string(),
                wall_over_latency: None,
                start_s: None,
                peak_mib: None,
            };
            if !rest.starts_with("not run") {
                if rest.contains("failed") || !rest.starts_with("wall ×") {
                    bail!("lesson 10 could not measure {downloads} downloads, {strategy}: {rest}");
                }
                row.wall_over_latency = Some(between(rest, "wall ×", " of the latency")?.parse()?);
                let start = between(rest, "all started in ", ",")?;
                row.start_s = Some(
                    parse_duration(start).with_context(|| format!("no duration in {start:?}"))?,
                );
                row.peak_mib = rest
                    .split("peak memory ")
                    .nth(1)
                    .and_then(|memory| memory.strip_suffix(" MiB"))
                    .and_then(|mib| mib.parse().ok());
            }
            rows.push(row);
        } else if let Some(strategy) = strategy_at_start(trimmed) {
            // `  tokio tasks           15.3 KiB (from 100 to 1000 downloads)`
            let figure = trimmed[strategy.len()..].trim_start().split(" KiB").next();
            if let Some(kib) = figure.and_then(|kib| kib.parse().ok()) {
                added_kib.push((strategy.to_string(), kib));
            }
        }
    }
    if rows.is_empty() {
        bail!("no growth curve in lesson 10's output:\n{out}");
    }
    Ok(Growth {
        latency_ms,
        rows,
        added_kib,
    })
}

fn between<'a>(text: &'a str, before: &str, after: &str) -> Result<&'a str> {
    text.split(before)
        .nth(1)
        .and_then(|rest| rest.split(after).next())
        .with_context(|| format!("no {before:?} … {after:?} in {text:?}"))
}

impl Growth {
    /// The table of the report.
    pub fn table(&self, w: &mut String) {
        let _ = writeln!(
            w,
            "**Many downloads at once** (lesson 10: each answered after d = {} ms, over loopback \
             from a server in another process; each cell from a fresh process: wall time / d, \
             time to start them all, peak memory)\n",
            self.latency_ms
        );
        let _ = writeln!(
            w,
            "| N | {} | {} | {} |\n|--:|--:|--:|--:|",
            STRATEGIES[0], STRATEGIES[1], STRATEGIES[2]
        );
        let mut counts: Vec<usize> = self.rows.iter().map(|row| row.downloads).collect();
        counts.dedup();
        for count in counts {
            let cells: Vec<String> = STRATEGIES
                .iter()
                .map(|strategy| {
                    let row = self
                        .rows
                        .iter()
                        .find(|row| row.downloads == count && row.strategy == *strategy);
                    match row {
                        Some(GrowthRow {
                            wall_over_latency: Some(wall),
                            start_s: Some(start),
                            peak_mib,
                            ..
                        }) => format!(
                            "{wall:.2} · d, {}, {}",
                            seconds(*start),
                            peak_mib.map_or("–".to_string(), |mib| format!("{mib:.0} MiB"))
                        ),
                        Some(_) => "not run".to_string(),
                        None => "–".to_string(),
                    }
                })
                .collect();
            let _ = writeln!(w, "| {count} | {} |", cells.join(" | "));
        }
        let added: Vec<String> = self
            .added_kib
            .iter()
            .map(|(strategy, kib)| format!("{strategy} {kib:.1} KiB"))
            .collect();
        let _ = writeln!(
            w,
            "\nMemory each further download adds: {}.\n",
            added.join(", ")
        );
    }

    /// The target: tokio tasks' wall time ≤ 1.5 · d at N = 10 000. `None` where that many
    /// were not measured (`--quick`).
    pub fn target(&self) -> Option<Target> {
        let wall = self
            .rows
            .iter()
            .find(|row| row.downloads == 10_000 && row.strategy == STRATEGIES[2])?
            .wall_over_latency?;
        Some(Target {
            passed: wall <= 1.5,
            text: format!(
                "10 000 downloads as tokio tasks: wall time {wall:.2} · d (d = {} ms), target ≤ 1.50 · d",
                self.latency_ms
            ),
        })
    }

    /// Wall time / d by N for each way measured at one count or more: the chart's lines.
    pub fn series(&self) -> Vec<(&'static str, Vec<(f64, f64)>)> {
        STRATEGIES
            .iter()
            .map(|strategy| {
                let points: Vec<(f64, f64)> = self
                    .rows
                    .iter()
                    .filter(|row| row.strategy == *strategy)
                    .filter_map(|row| Some((row.downloads as f64, row.wall_over_latency?)))
                    .collect();
                (*strategy, points)
            })
            .filter(|(_, points)| !points.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "== Part 2: 10 to 10 000 downloads: threads, a pool or tasks ==\n\
        Each download waits 1s for its answer; each line is one fresh process.\n\
        \x20   10  one thread each       wall ×1.03 of the latency, all started in 1.2ms, peak memory 8.9 MiB\n\
        \x20   10  a pool of 100 threads wall ×1.04 of the latency, all started in 2.7ms, peak memory 8.9 MiB\n\
        \x20   10  tokio tasks           wall ×1.01 of the latency, all started in 322.0µs, peak memory 6.2 MiB\n\
        \x2010000  one thread each       wall ×11.23 of the latency, all started in 10.2s, peak memory 612.9 MiB\n\
        \x2010000  a pool of 100 threads not run: 100 rounds of the latency\n\
        \x2010000  tokio tasks           wall ×2.69 of the latency, all started in 27.0ms, peak memory 157.6 MiB\n\
        Memory each further download adds:\n\
        \x20 one thread each       64.2 KiB (from 100 to 1000 downloads)\n\
        \x20 tokio tasks           15.3 KiB (from 100 to 1000 downloads)\n";

    #[test]
    fn the_lesson_s_output_parses() {
        let growth = parse(OUT, 1000).unwrap();
        assert_eq!(growth.rows.len(), 6, "{growth:?}");
        assert_eq!(growth.rows[4].wall_over_latency, None, "{growth:?}");
        assert_eq!(growth.rows[5].wall_over_latency, Some(2.69), "{growth:?}");
        assert!((growth.rows[2].start_s.unwrap() - 0.000_322).abs() < 1e-12);
        assert_eq!(growth.rows[3].peak_mib, Some(612.9));
        assert_eq!(
            growth.added_kib,
            vec![
                ("one thread each".to_string(), 64.2),
                ("tokio tasks".to_string(), 15.3)
            ]
        );
        let target = growth.target().unwrap();
        assert!(!target.passed, "2.69 · d is over 1.5 · d: {}", target.text);
        let mut table = String::new();
        growth.table(&mut table);
        assert!(table.contains("| 10000 | 11.23 · d, "), "{table}");
        assert!(table.contains("| not run | 2.69 · d, "), "{table}");
    }

    #[test]
    fn a_failed_measurement_is_an_error_not_a_figure() {
        let out = "   100  tokio tasks           failed (signal: 9): no message\n";
        assert!(parse(out, 100).is_err());
    }
}
