//! Lesson 09's rows of the benchmark: the prime count on uniform work (part 1: one loop, an even
//! split by hand, rayon) and on uneven jobs (part 2: an even split by hand against rayon's work
//! stealing), read from what the release-built lesson prints.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::figures::{Target, figure_after, median, parse_duration, seconds};

/// Every run of lesson 09's two parts, on K = the core count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rayon {
    pub limit: u64,
    pub threads: usize,
    pub runs: Vec<RayonRun>,
}

/// One run of parts 1 and 2, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(
    clippy::struct_field_names,
    reason = "every figure is in seconds, and its name says so in the JSON"
)]
pub struct RayonRun {
    pub one_loop_s: f64,
    pub split_s: f64,
    pub rayon_s: f64,
    /// Part 2: the busy time of every worker added up, which one thread would have needed.
    pub uneven_work_s: f64,
    pub uneven_split_s: f64,
    pub uneven_rayon_s: f64,
}

impl RayonRun {
    fn uniform_speedup(&self) -> f64 {
        self.one_loop_s / self.rayon_s
    }

    fn uneven_speedup(&self) -> f64 {
        self.uneven_work_s / self.uneven_rayon_s
    }
}

/// Reads one run of `--part par-iter` followed by one of `--part uneven`.
pub fn parse(uniform: &str, uneven: &str) -> Result<RayonRun> {
    let busy_after = |heading: &str| -> Result<(f64, f64)> {
        let wall = figure_after(uneven, heading, ": ")?;
        let busy = uneven
            .lines()
            .skip_while(|line| !line.starts_with(heading))
            .skip(1)
            .take_while(|line| line.starts_with("  "))
            .filter_map(|line| line.split_once(": busy ").map(|(_, rest)| rest))
            .map(|rest| {
                let figure = rest.split(',').next().unwrap_or_default();
                parse_duration(figure).with_context(|| format!("no busy time in {rest:?}"))
            })
            .sum::<Result<f64>>()?;
        Ok((wall, busy))
    };
    let (uneven_split_s, _) = busy_after("even split by hand:")?;
    let (uneven_rayon_s, uneven_work_s) = busy_after("rayon, work stealing:")?;
    Ok(RayonRun {
        one_loop_s: figure_after(uniform, "one loop:", " primes in ")?,
        split_s: figure_after(uniform, "split evenly, by hand:", " primes in ")?,
        rayon_s: figure_after(uniform, "rayon, into_par_iter():", " primes in ")?,
        uneven_work_s,
        uneven_split_s,
        uneven_rayon_s,
    })
}

impl Rayon {
    /// The table of the report.
    pub fn table(&self, w: &mut String) {
        let runs = &self.runs;
        let m = |f: fn(&RayonRun) -> f64| median(runs.iter().map(f));
        let _ = writeln!(
            w,
            "**Data parallelism** (lesson 09 on {} threads: the primes below {}; uneven: 64 jobs \
             growing as k², where one thread's time is the workers' busy time added up)\n",
            self.threads, self.limit
        );
        let _ = writeln!(
            w,
            "| work | one thread | even split by hand | speedup | rayon | speedup |\n|---|--:|--:|--:|--:|--:|"
        );
        let _ = writeln!(
            w,
            "| uniform (part 1) | {} | {} | ×{:.2} | {} | ×{:.2} |",
            seconds(m(|r| r.one_loop_s)),
            seconds(m(|r| r.split_s)),
            m(|r| r.one_loop_s / r.split_s),
            seconds(m(|r| r.rayon_s)),
            m(RayonRun::uniform_speedup),
        );
        let _ = writeln!(
            w,
            "| uneven (part 2) | {} | {} | ×{:.2} | {} | ×{:.2} |\n",
            seconds(m(|r| r.uneven_work_s)),
            seconds(m(|r| r.uneven_split_s)),
            m(|r| r.uneven_work_s / r.uneven_split_s),
            seconds(m(|r| r.uneven_rayon_s)),
            m(RayonRun::uneven_speedup),
        );
    }

    /// The target: rayon's speedup on uneven work within 10 % of its speedup on uniform
    /// work.
    pub fn target(&self) -> Target {
        let uniform = median(self.runs.iter().map(RayonRun::uniform_speedup));
        let uneven = median(self.runs.iter().map(RayonRun::uneven_speedup));
        Target {
            passed: uneven >= 0.9 * uniform,
            text: format!(
                "rayon on uneven work: speedup ×{uneven:.2}, target ≥ 0.9 × its uniform-work \
                 speedup ×{uniform:.2}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lesson_s_output_parses() {
        let uniform = "one loop:                   2262 primes in 2.000ms\n\
            split evenly, by hand:      2262 primes in 1.500ms, speedup ×1.33\n\
            rayon, into_par_iter():     2262 primes in 1.000ms, speedup ×2.00\n";
        let uneven = "even split by hand: 8.000ms\n\
            \x20 thread 1: busy 2.000ms, idle 6.000ms\n\
            \x20 thread 2: busy 8.000ms, idle 0ns\n\
            rayon, work stealing: 5.000ms\n\
            \x20 worker 1: busy 5.000ms, idle 0ns\n\
            \x20 worker 2: busy 3.000ms, idle 2.000ms\n\
            rayon's wall time: ×0.62 the even split's\n\
            Both found 1379 primes\n";
        let run = parse(uniform, uneven).unwrap();
        assert!((run.rayon_s - 0.001).abs() < 1e-12, "{run:?}");
        assert!((run.uneven_work_s - 0.008).abs() < 1e-12, "{run:?}");
        assert!((run.uneven_split_s - 0.008).abs() < 1e-12, "{run:?}");
        assert!((run.uneven_speedup() - 1.6).abs() < 1e-9, "{run:?}");
        let rayon = Rayon {
            limit: 20_000,
            threads: 2,
            runs: vec![run],
        };
        let target = rayon.target();
        assert!(
            !target.passed,
            "×1.60 is below 0.9 × ×2.00: {}",
            target.text
        );
    }
}
