//! The benchmark's charts, as SVG text (plotters, SVG backend only: the text stays `<text>` for the
//! browser to draw, so no font file is needed). Each is drawn on a white card, readable on the
//! book's light and dark themes, and labelled with the machine it was measured on.

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::figures::median;
use super::growth::STRATEGIES;
use super::report::{DownloadRun, Results, Speedups};

/// A line: its legend, its colour, its points.
type Series = (&'static str, RGBColor, Vec<(f64, f64)>);

const SIZE: (u32, u32) = (640, 400);
const THREADS: RGBColor = RGBColor(31, 119, 180);
const PROCESSES: RGBColor = RGBColor(214, 39, 40);
const IDEAL: RGBColor = RGBColor(150, 150, 150);

/// Speedup over one loop for K = 1, 2, 4, … workers: Rust threads, Rust processes, the ideal,
/// and the project's Python threads and processes at K = the core count.
pub fn cpu_speedup(results: &Results) -> Result<String> {
    let rows = &results.cpu.by_workers;
    let max_k = rows.last().map_or(1, |row| row.workers) as f64;
    let speedups: Vec<(f64, Speedups)> = rows
        .iter()
        .map(|row| (row.workers as f64, Speedups::of(&row.runs)))
        .collect();
    let python: Option<(f64, f64, f64)> = (!results.python.runs.is_empty()).then(|| {
        let runs = &results.python.runs;
        (
            results.python.workers as f64,
            median(runs.iter().map(|r| r.python_loop_s / r.python_threads_s)),
            median(runs.iter().map(|r| r.python_loop_s / r.python_processes_s)),
        )
    });
    let top = (max_k * 1.15).max(1.5);
    draw(
        results,
        "Speedup on the CPU job (primes), higher is better",
        ("workers K", "speedup over one loop"),
        (0.75..max_k + 0.25, 0.0..top),
        |chart| {
            let ideal = [(1.0, 1.0), (max_k, max_k)];
            let series: [Series; 3] = [
                ("ideal: ×K", IDEAL, ideal.to_vec()),
                (
                    "Rust threads",
                    THREADS,
                    speedups.iter().map(|(k, s)| (*k, s.threads)).collect(),
                ),
                (
                    "Rust processes",
                    PROCESSES,
                    speedups.iter().map(|(k, s)| (*k, s.processes)).collect(),
                ),
            ];
            for (label, color, points) in series {
                chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)).point_size(4))
                    .map_err(|e| anyhow!("{e}"))?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                    });
            }
            if let Some((k, threads, processes)) = python {
                for (label, color, speedup) in [
                    ("Python threads (the GIL)", THREADS, threads),
                    ("Python processes", PROCESSES, processes),
                ] {
                    chart
                        .draw_series(std::iter::once(TriangleMarker::new(
                            (k, speedup),
                            7,
                            color.filled(),
                        )))
                        .map_err(|e| anyhow!("{e}"))?
                        .label(label)
                        .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, color.filled()));
                }
            }
            Ok(())
        },
    )
}

/// Wall time in multiples of the latency d, for N files: one after another grows with N, one
/// thread per file stays near one d.
pub fn downloads(results: &Results) -> Result<String> {
    let d = results.downloads.latency_ms as f64 / 1000.0;
    let rows = &results.downloads.by_files;
    let wall = |pick: fn(&DownloadRun) -> f64| -> Vec<(f64, f64)> {
        rows.iter()
            .map(|row| (f64::from(row.files), median(row.runs.iter().map(pick)) / d))
            .collect()
    };
    let sequential = wall(|r| r.sequential_s);
    let threads = wall(|r| r.threads_s);
    let max_n = rows.last().map_or(1, |row| row.files);
    let top = sequential
        .iter()
        .map(|&(_, y)| y)
        .fold(f64::from(max_n), f64::max)
        * 1.1;
    draw(
        results,
        &format!(
            "Downloads, each answer delayed d = {} ms, lower is better",
            results.downloads.latency_ms
        ),
        ("N files", "wall time / d"),
        (0.0..f64::from(max_n) + 1.0, 0.0..top),
        |chart| {
            for (label, color, points) in [
                ("one after another", PROCESSES, sequential),
                ("one thread per file", THREADS, threads),
            ] {
                chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)).point_size(4))
                    .map_err(|e| anyhow!("{e}"))?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                    });
            }
            Ok(())
        },
    )
}

/// Lesson 10's growth curve: wall time / d against N on a log scale (10, 100, 1 000, 10 000),
/// one line per way of waiting.
pub fn growth(results: &Results) -> Result<String> {
    let growth = &results.growth;
    let colors = [THREADS, IDEAL, PROCESSES];
    let series: Vec<Series> = growth
        .series()
        .into_iter()
        .map(|(label, points)| {
            let index = STRATEGIES
                .iter()
                .position(|strategy| *strategy == label)
                .unwrap_or(0);
            let points = points.into_iter().map(|(n, y)| (n.log10(), y)).collect();
            (label, colors[index], points)
        })
        .collect();
    let max_x = series
        .iter()
        .flat_map(|(_, _, points)| points.iter().map(|&(x, _)| x))
        .fold(1.0, f64::max);
    let top = series
        .iter()
        .flat_map(|(_, _, points)| points.iter().map(|&(_, y)| y))
        .fold(2.0, f64::max)
        * 1.1;
    draw_with_x_labels(
        results,
        &format!(
            "Downloads at once, each answer delayed d = {} ms, lower is better",
            growth.latency_ms
        ),
        ("N downloads at once (log scale)", "wall time / d"),
        (0.8..max_x + 0.2, 0.0..top),
        &|x: &f64| {
            if x.fract() == 0.0 {
                format!("{:.0}", 10f64.powf(*x))
            } else {
                String::new()
            }
        },
        |chart| {
            for (label, color, points) in series {
                chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)).point_size(4))
                    .map_err(|e| anyhow!("{e}"))?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                    });
            }
            Ok(())
        },
    )
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The common frame: white card, caption, axes with their descriptions, the series drawn by
/// `series`, a legend, and the machine underneath.
fn draw(
    results: &Results,
    caption: &str,
    descriptions: (&str, &str),
    ranges: (std::ops::Range<f64>, std::ops::Range<f64>),
    series: impl FnOnce(&mut Chart<'_, '_>) -> Result<()>,
) -> Result<String> {
    // Workers and files are whole numbers: only whole ticks are labelled.
    let whole = |x: &f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            String::new()
        }
    };
    draw_with_x_labels(results, caption, descriptions, ranges, &whole, series)
}

/// [`draw`], with the x axis's labels written by `x_label`.
fn draw_with_x_labels(
    results: &Results,
    caption: &str,
    (x_desc, y_desc): (&str, &str),
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    x_label: &dyn Fn(&f64) -> String,
    series: impl FnOnce(&mut Chart<'_, '_>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
        let (plot, footer) = root.split_vertically(SIZE.1 - 24);
        let mut chart = ChartBuilder::on(&plot)
            .caption(caption, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(x, y)
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .x_label_formatter(x_label)
            .y_label_formatter(&|y: &f64| format!("{y:.1}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        series(&mut chart)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 15))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        footer
            .draw(&Text::new(
                format!("Measured on {}", results.machine_label()),
                (12, 4),
                ("sans-serif", 15).into_font().color(&BLACK.mix(0.7)),
            ))
            .map_err(|e| anyhow!("{e}"))?;
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::sample;
    use super::*;

    #[test]
    fn charts_are_svg_on_a_white_card_labelled_with_the_machine() {
        let results = sample();
        for svg in [
            cpu_speedup(&results).unwrap(),
            downloads(&results).unwrap(),
            growth(&results).unwrap(),
        ] {
            assert!(svg.starts_with("<svg"), "{svg}");
            assert!(svg.contains("fill=\"#FFFFFF\""), "no white card: {svg}");
            assert!(svg.contains("Measured on 2 cores, linux x86_64, 2026-01-02"));
        }
    }
}
