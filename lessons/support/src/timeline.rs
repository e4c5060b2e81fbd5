//! A timeline of a real run: when each thread, task or process waited and when it worked.
//!
//! A lesson records [`Span`]s while it runs (with [`Recorder`], which threads share), and with
//! `--timeline FILE` it prints them as a few columns of text after each part and writes them to
//! FILE: an SVG picture (`.svg`), or tab-separated figures (`.tsv`) that `cargo xtask bench`
//! reads to draw the book's picture with [`svg`], the same function.
//!
//! Every figure varies from run to run, so no snapshot holds a timeline; the tests check its
//! shape instead.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// What a row was doing during a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Waiting: for the server, for a lock, for a message. No core is busy for it.
    Waiting,
    /// Working: transferring, computing.
    Working,
}

impl Activity {
    fn name(self) -> &'static str {
        match self {
            Activity::Waiting => "waiting",
            Activity::Working => "working",
        }
    }
}

/// One stretch of one row, in seconds since the start of its part.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The part of the lesson, as its heading names it (`one file after another`).
    pub part: String,
    /// The row: a file, a worker, a thread.
    pub row: String,
    pub activity: Activity,
    pub from: f64,
    pub to: f64,
}

/// Collects the spans of a run; cheap to clone and share between threads.
#[derive(Debug, Clone)]
pub struct Recorder {
    inner: Arc<Mutex<Recording>>,
}

#[derive(Debug)]
struct Recording {
    part: String,
    origin: Instant,
    spans: Vec<Span>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new()
    }
}

impl Recorder {
    pub fn new() -> Self {
        Recorder {
            inner: Arc::new(Mutex::new(Recording {
                part: String::new(),
                origin: Instant::now(),
                spans: Vec::new(),
            })),
        }
    }

    /// Starts a part: the spans recorded from now on belong to it, timed from now.
    pub fn start_part(&self, part: &str) {
        let mut recording = self.lock();
        recording.part = part.to_string();
        recording.origin = Instant::now();
    }

    /// Records that `row` was doing `activity` from `from` to `to`.
    pub fn record(&self, row: &str, activity: Activity, from: Instant, to: Instant) {
        let mut recording = self.lock();
        let origin = recording.origin;
        let seconds = |at: Instant| at.saturating_duration_since(origin).as_secs_f64();
        let span = Span {
            part: recording.part.clone(),
            row: row.to_string(),
            activity,
            from: seconds(from),
            to: seconds(to),
        };
        recording.spans.push(span);
    }

    /// Every span recorded so far, in the order of the rows' first appearance within each part.
    pub fn spans(&self) -> Vec<Span> {
        self.lock().spans.clone()
    }

    /// The spans of one part.
    pub fn spans_of(&self, part: &str) -> Vec<Span> {
        self.spans()
            .into_iter()
            .filter(|span| span.part == part)
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recording> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The rows of `spans`, in natural order (`file2.zip` before `file10.zip`): spans are recorded
/// as threads finish, in an order the scheduler picks, and the picture must not depend on it.
fn rows(spans: &[Span]) -> Vec<&str> {
    let mut rows: Vec<&str> = Vec::new();
    for span in spans {
        if !rows.contains(&span.row.as_str()) {
            rows.push(&span.row);
        }
    }
    rows.sort_by_key(|row| natural_key(row));
    rows
}

/// A sort key that compares runs of digits as numbers.
fn natural_key(text: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut letters = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = u64::from(c.to_digit(10).unwrap_or(0));
            while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                number = number.saturating_mul(10).saturating_add(u64::from(digit));
                chars.next();
            }
            key.push((std::mem::take(&mut letters), number));
        } else {
            letters.push(c);
        }
    }
    key.push((letters, 0));
    key
}

/// The parts of `spans` in the order they first appear.
fn parts(spans: &[Span]) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for span in spans {
        if !parts.contains(&span.part.as_str()) {
            parts.push(&span.part);
        }
    }
    parts
}

/// The spans of one part as text, one line per row: `·` where the row waited, `█` where it worked,
/// blank where it did neither, over `columns` columns that share the part's time equally.
///
/// ```
/// use course_support::timeline::{text, Activity, Span};
/// let span = |row: &str, activity, from, to| Span { part: "p".into(), row: row.into(), activity, from, to };
/// let spans = [
///     span("a", Activity::Waiting, 0.0, 1.0),
///     span("a", Activity::Working, 1.0, 2.0),
///     span("b", Activity::Working, 0.0, 1.0),
/// ];
/// assert_eq!(text(&spans, 4), "a  ··██  2.0 s\nb  ██    1.0 s\n");
/// ```
pub fn text(spans: &[Span], columns: usize) -> String {
    let end = spans.iter().map(|span| span.to).fold(0.0_f64, f64::max);
    let rows = rows(spans);
    let width = rows
        .iter()
        .map(|row| row.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in rows {
        let mut cells = vec![' '; columns];
        for span in spans.iter().filter(|span| span.row == row) {
            let mark = match span.activity {
                Activity::Waiting => '·',
                Activity::Working => '█',
            };
            for (index, cell) in cells.iter_mut().enumerate() {
                // A cell shows what the row did at its middle.
                #[allow(clippy::cast_precision_loss, reason = "a few dozen columns")]
                let middle = (index as f64 + 0.5) * end / columns as f64;
                if span.from <= middle && middle < span.to {
                    *cell = mark;
                }
            }
        }
        let last = spans
            .iter()
            .filter(|span| span.row == row)
            .map(|span| span.to)
            .fold(0.0_f64, f64::max);
        let cells: String = cells.into_iter().collect();
        let _ = writeln!(out, "{row:width$}  {cells}  {last:.1} s");
    }
    out
}

/// A clap value parser for `--timeline FILE`: a name ending in `.svg` (a picture) or `.tsv` (the
/// figures), in a folder that exists. The path it returns is absolute (a relative one is taken
/// from the current folder), so that [`written_to`] tells the reader exactly where to look.
pub fn parse_file(arg: &str) -> Result<std::path::PathBuf, String> {
    let path = std::path::PathBuf::from(arg);
    let kind = path.extension().and_then(|ext| ext.to_str());
    if !matches!(kind, Some("svg" | "tsv")) {
        return Err(format!(
            "{arg:?} ends neither in .svg (a picture) nor in .tsv (the figures)"
        ));
    }
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            Err(format!("the folder {} does not exist", dir.display()))
        }
        _ => std::path::absolute(&path)
            .map_err(|error| format!("cannot tell where {arg:?} is: {error}")),
    }
}

/// The line a lesson prints once it has written the timeline to `file`.
pub fn written_to(file: &std::path::Path) -> String {
    format!("Timeline written to {}", file.display())
}

/// Writes `spans` to `file`: the picture of [`svg`] if its name ends in `.svg`, else the figures
/// of [`tsv`].
pub fn write(file: &std::path::Path, title: &str, spans: &[Span]) -> std::io::Result<()> {
    let text = if file.extension().is_some_and(|ext| ext == "svg") {
        svg(title, spans)
    } else {
        tsv(spans)
    };
    std::fs::write(file, text)
}

/// The spans as tab-separated lines: part, row, activity, from and to in seconds.
pub fn tsv(spans: &[Span]) -> String {
    let mut out = String::from("part\trow\tactivity\tfrom_s\tto_s\n");
    for span in spans {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{:.6}\t{:.6}",
            span.part,
            span.row,
            span.activity.name(),
            span.from,
            span.to
        );
    }
    out
}

/// Reads what [`tsv`] wrote.
pub fn parse_tsv(text: &str) -> Result<Vec<Span>, String> {
    text.lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [part, row, activity, from, to] = fields[..] else {
                return Err(format!("not a timeline line: {line:?}"));
            };
            let activity = match activity {
                "waiting" => Activity::Waiting,
                "working" => Activity::Working,
                other => return Err(format!("unknown activity {other:?}")),
            };
            let seconds = |field: &str| {
                field
                    .parse::<f64>()
                    .map_err(|_| format!("not a number of seconds: {field:?}"))
            };
            Ok(Span {
                part: part.to_string(),
                row: row.to_string(),
                activity,
                from: seconds(from)?,
                to: seconds(to)?,
            })
        })
        .collect()
}

/// An SVG picture of the spans: one band per part, one row per file, thread or process, time
/// from left to right on one scale for all the parts, waits light and work dark. Its text is
/// `<text>` for the browser to draw, and the same spans always give the same bytes.
pub fn svg(title: &str, spans: &[Span]) -> String {
    const WIDTH: f64 = 760.0;
    const LEFT: f64 = 150.0;
    const RIGHT: f64 = 40.0;
    const ROW: f64 = 22.0;
    const HEADING: f64 = 26.0;
    let plot = WIDTH - LEFT - RIGHT;
    let end = spans.iter().map(|span| span.to).fold(0.0_f64, f64::max);
    let end = if end > 0.0 { end } else { 1.0 };
    let x = |seconds: f64| LEFT + plot * seconds / end;

    let mut body = String::new();
    let mut y = 44.0;
    for part in parts(spans) {
        let in_part: Vec<&Span> = spans.iter().filter(|span| span.part == part).collect();
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.1}" class="part">{}</text>"#,
            y + 16.0,
            escape(part)
        );
        y += HEADING;
        let owned: Vec<Span> = in_part.iter().map(|span| (*span).clone()).collect();
        for row in rows(&owned) {
            let _ = writeln!(
                body,
                r#"<text x="{:.1}" y="{:.1}" class="row">{}</text>"#,
                LEFT - 8.0,
                y + 15.0,
                escape(row)
            );
            for span in in_part.iter().filter(|span| span.row == row) {
                let class = span.activity.name();
                let _ = writeln!(
                    body,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" class="{class}"/>"#,
                    x(span.from),
                    y + 3.0,
                    (x(span.to) - x(span.from)).max(1.0),
                    ROW - 6.0
                );
            }
            y += ROW;
        }
        y += 8.0;
    }
    // The time axis: a tick at every round step, about five of them.
    let step = round_step(end / 5.0);
    let mut ticks = String::new();
    let mut tick = 0.0;
    while tick <= end + step * 1e-9 {
        let _ = writeln!(
            ticks,
            r#"<line x1="{0:.1}" y1="36" x2="{0:.1}" y2="{1:.1}" class="grid"/><text x="{0:.1}" y="{2:.1}" class="tick">{3}</text>"#,
            x(tick),
            y,
            y + 16.0,
            seconds_label(tick, step)
        );
        tick += step;
    }
    // A legend entry for each activity the picture shows.
    let mut legend = String::new();
    let mut legend_x = LEFT;
    for activity in [Activity::Waiting, Activity::Working] {
        if spans.iter().any(|span| span.activity == activity) {
            let _ = writeln!(
                legend,
                r#"<rect x="{legend_x:.1}" y="{box_y:.1}" width="14" height="10" class="{name}"/><text x="{text_x:.1}" y="{text_y:.1}" class="legend">{name}</text>"#,
                name = activity.name(),
                box_y = y + 24.0,
                text_x = legend_x + 20.0,
                text_y = y + 33.0,
            );
            legend_x += 90.0;
        }
    }
    let height = y + 44.0;
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="13">
<style>
.card {{ fill: #ffffff; stroke: #d0d0d0; }}
.title {{ font-size: 15px; font-weight: bold; fill: #222; }}
.part {{ font-weight: bold; fill: #222; }}
.row {{ text-anchor: end; fill: #333; }}
.tick {{ text-anchor: middle; fill: #555; font-size: 12px; }}
.grid {{ stroke: #e4e4e4; }}
.waiting {{ fill: #cfe0f5; stroke: #8fb3e0; }}
.working {{ fill: #2f6fb5; }}
.legend {{ fill: #333; font-size: 12px; }}
</style>
<rect x="0.5" y="0.5" width="{card_width}" height="{card_height:.0}" rx="6" class="card"/>
<text x="10" y="24" class="title">{title}</text>
{ticks}{body}{legend}<text x="{axis_x}" y="{legend_text_y:.1}" class="legend" text-anchor="end">seconds since the part started</text>
</svg>
"#,
        card_width = WIDTH - 1.0,
        card_height = height - 1.0,
        title = escape(title),
        legend_text_y = y + 33.0,
        axis_x = WIDTH - RIGHT,
    )
}

/// A round step (1, 2 or 5 times a power of ten) near `rough` seconds.
fn round_step(rough: f64) -> f64 {
    let rough = if rough > 0.0 { rough } else { 1.0 };
    let power = 10_f64.powf(rough.log10().floor());
    let scaled = rough / power;
    let nice = if scaled < 1.5 {
        1.0
    } else if scaled < 3.5 {
        2.0
    } else if scaled < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * power
}

fn seconds_label(seconds: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{seconds:.0}")
    } else if step >= 0.1 {
        format!("{seconds:.1}")
    } else {
        format!("{seconds:.2}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(part: &str, row: &str, activity: Activity, from: f64, to: f64) -> Span {
        Span {
            part: part.into(),
            row: row.into(),
            activity,
            from,
            to,
        }
    }

    #[test]
    fn tsv_round_trips() {
        let spans = vec![
            span(
                "one after another",
                "file1.zip",
                Activity::Waiting,
                0.0,
                2.0,
            ),
            span(
                "one after another",
                "file1.zip",
                Activity::Working,
                2.0,
                2.25,
            ),
        ];
        assert_eq!(parse_tsv(&tsv(&spans)).unwrap(), spans);
        assert!(parse_tsv("header\nonly\tthree\tfields\n").is_err());
    }

    #[test]
    fn the_picture_has_a_band_per_part_and_a_bar_per_span() {
        let spans = vec![
            span("sequential", "a", Activity::Waiting, 0.0, 2.0),
            span("sequential", "b", Activity::Waiting, 2.0, 4.0),
            span("threads", "a", Activity::Waiting, 0.0, 2.0),
            span("threads", "a", Activity::Working, 2.0, 2.1),
        ];
        let picture = svg("two parts", &spans);
        assert_eq!(picture.matches(r#"class="part""#).count(), 2);
        assert_eq!(picture.matches(r#"class="waiting"/>"#).count(), 3 + 1);
        assert_eq!(picture.matches(r#"class="working"/>"#).count(), 1 + 1);
        assert_eq!(
            picture,
            svg("two parts", &spans),
            "the same spans, the same bytes"
        );
        assert!(picture.starts_with("<svg") && picture.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn rows_come_in_natural_order_whatever_the_order_of_recording() {
        let spans: Vec<Span> = ["file10.zip", "file2.zip", "file1.zip"]
            .iter()
            .map(|row| span("p", row, Activity::Waiting, 0.0, 1.0))
            .collect();
        assert_eq!(rows(&spans), ["file1.zip", "file2.zip", "file10.zip"]);
    }

    #[test]
    fn steps_are_round() {
        assert!((round_step(0.37) - 0.5).abs() < 1e-12);
        assert!((round_step(0.45) - 0.5).abs() < 1e-12);
        assert!((round_step(1.2) - 1.0).abs() < 1e-12);
        assert!((round_step(2.8) - 2.0).abs() < 1e-12);
    }
}
