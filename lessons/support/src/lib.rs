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
//! The HTTP file server that lesson 02 downloads from is a crate of its own, `course-loopback`,
//! so that the lessons that do not download never compile it.

use std::ops::RangeInclusive;
use std::time::Duration;

pub mod primes;
pub mod squares_worker;
pub mod stage;
pub mod timeline;
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
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        // All digits, yet too big even for a u64: certainly too long.
        let millis: u64 = arg.parse().unwrap_or(u64::MAX);
        if millis > MAX_MILLIS {
            return Err(format!(
                "{arg} ms is too long; the most this lesson accepts is {MAX_MILLIS} ms (at most one minute)"
            ));
        }
        return Ok(Duration::from_millis(millis));
    }
    Err("expected a whole number of milliseconds, such as 1000".to_string())
}

/// A clap `value_parser` for a whole number of `unit` (say `"threads"`) within `range`.
///
/// Every way of getting it wrong gets a message that names the unit and the range: letters,
/// a negative number, a number out of range (however many digits it has). Use it with
/// `allow_negative_numbers = true` so that `-1` reaches the parser instead of looking like a flag.
///
/// ```
/// let threads = course_support::whole_number::<u32>(2..=64, "threads");
/// assert_eq!(threads("4"), Ok(4));
/// assert!(threads("abc").unwrap_err().contains("whole number of threads from 2 to 64"));
/// assert!(threads("-1").unwrap_err().contains("cannot be negative"));
/// assert!(threads("1").unwrap_err().contains("1 threads is out of range"));
/// assert!(threads("99999999999999999999999").unwrap_err().contains("out of range"));
/// ```
pub fn whole_number<T>(
    range: RangeInclusive<u64>,
    unit: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: TryFrom<u64>,
{
    move |arg: &str| {
        let (min, max) = (range.start(), range.end());
        let arg = arg.trim();
        if arg.starts_with('-') && arg.len() > 1 {
            return Err(format!(
                "{unit} cannot be negative; choose from {min} to {max}"
            ));
        }
        if arg.is_empty() || !arg.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "expected a whole number of {unit} from {min} to {max}"
            ));
        }
        match arg.parse::<u64>() {
            Ok(n) if range.contains(&n) => {
                T::try_from(n).map_err(|_| format!("{n} {unit} is out of range"))
            }
            _ => Err(format!(
                "{arg} {unit} is out of range; choose from {min} to {max}"
            )),
        }
    }
}

/// Ends the program with a usage error (exit code 2) when `threads` × `increments` is more work
/// than `max`, naming both numbers and the limit. For lessons whose K threads each add one M times.
pub fn limit_total_increments<A: clap::CommandFactory>(threads: u64, increments: u64, max: u64) {
    if threads.saturating_mul(increments) > max {
        A::command()
            .error(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "{threads} threads × {increments} increments is too much work (it would run \
                     for minutes); keep K × M at most {max}"
                ),
            )
            .exit();
    }
}

/// Reads a lesson's command line with clap, after setting up what every lesson shares: when its
/// output goes to a pipe that closes early (`cargo run -p lesson-01 | head -3`), the program ends
/// quietly instead of panicking with "failed printing to stdout: Broken pipe".
pub fn parse_args<A: clap::Parser>() -> A {
    end_quietly_on_broken_pipe();
    A::parse()
}

fn end_quietly_on_broken_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if message.starts_with("failed printing to stdout") && written_into_a_closed_pipe(message) {
            // Whoever reads our output has gone: there is nobody left to tell anything.
            std::process::exit(0);
        }
        default_hook(info);
    }));
}

/// Whether an I/O error's message, as std words it (`Broken pipe (os error 32)`), is that of a
/// write into a pipe whose reader has gone. Told by the error's number, not its words, which
/// differ between systems and languages: `EPIPE` on Unix; on Windows `ERROR_BROKEN_PIPE`, or
/// `ERROR_NO_DATA` ("The pipe is being closed"), which is what a write gets there.
fn written_into_a_closed_pipe(message: &str) -> bool {
    const CODES: &[i32] = if cfg!(windows) { &[109, 232] } else { &[32] };
    CODES
        .iter()
        .any(|code| message.ends_with(&format!("(os error {code})")))
}

/// The `--part` flag every lesson has: flatten it into the lesson's `Args` with
/// `#[command(flatten)] pub parts: course_support::Parts<Part>`.
///
/// `P` is the lesson's `Part` enum, in course order. Each variant's doc comment is its title: clap
/// shows it in `--help`, and [`Parts::announced`] prints it as the part's heading, so a part is
/// described in one place.
#[derive(Debug, Clone, clap::Args)]
pub struct Parts<P: clap::ValueEnum + Clone + Send + Sync + 'static> {
    /// Run only this part of the lesson (by default every part runs, in order).
    #[arg(long = "part", value_enum, value_name = "PART")]
    pub only: Option<P>,
}

impl<P: clap::ValueEnum + Clone + Send + Sync + 'static> Parts<P> {
    /// The parts to run: the one chosen with `--part`, or else every part in course order.
    pub fn selected(&self) -> Vec<P> {
        match &self.only {
            Some(part) => vec![part.clone()],
            None => P::value_variants().to_vec(),
        }
    }

    /// The parts to run, each announced by its heading ([`heading`]) just before it is handed
    /// out, with a blank line between parts.
    pub fn announced(&self) -> impl Iterator<Item = P> + use<P> {
        self.selected()
            .into_iter()
            .enumerate()
            .map(|(index, part)| {
                if index > 0 {
                    println!();
                }
                println!("{}", heading(&part));
                part
            })
    }
}

/// The heading that opens a part, `== Part 2: its title ==`: its place in course order and its
/// doc comment. For a lesson that prints through something other than `println!` (such as a
/// progress-bar library); [`Parts::announced`] prints it for the others.
pub fn heading<P: clap::ValueEnum>(part: &P) -> String {
    let number = P::value_variants()
        .iter()
        .position(|variant| same_variant(variant, part))
        .map_or(0, |index| index + 1);
    format!("== Part {number}: {} ==", title(part))
}

/// The title of a part: its doc comment, as `--help` shows it.
pub fn title<P: clap::ValueEnum>(part: &P) -> String {
    part.to_possible_value()
        .and_then(|value| value.get_help().map(ToString::to_string))
        .unwrap_or_default()
}

fn same_variant<P: clap::ValueEnum>(a: &P, b: &P) -> bool {
    let name = |part: &P| part.to_possible_value().map(|v| v.get_name().to_string());
    name(a) == name(b)
}

/// Where the snapshot `name` lives: in its lesson's folder, `lessons/<lesson>/snapshots/`, where
/// `<lesson>` is the name's first two words (`lesson-08-loom` → `lessons/lesson-08/snapshots/`).
/// The tests write it there and the book reads it from there.
pub fn snapshot_file(root: &std::path::Path, name: &str) -> std::path::PathBuf {
    root.join("lessons")
        .join(lesson_of_snapshot(name))
        .join("snapshots")
        .join(format!("{name}.snap"))
}

/// The lesson a snapshot belongs to: the first two words of its name (`lesson-08-loom` →
/// `lesson-08`).
pub fn lesson_of_snapshot(name: &str) -> &str {
    match name.match_indices('-').nth(1) {
        Some((end, _)) => &name[..end],
        None => name,
    }
}

/// The command that runs Python 3, for the tests and the bench that set the course's Python
/// programs beside the lessons: `python3`, or on Windows, where python.org's installer gives the
/// launcher `py` and `python` instead, the first of `python3`, `py` and `python` that answers
/// `--version` with Python 3 (Windows' own `python` may only offer to install it from the
/// Store). `None` when there is none. Looked for once.
pub fn python() -> Option<&'static str> {
    static FOUND: std::sync::OnceLock<Option<&'static str>> = std::sync::OnceLock::new();
    *FOUND.get_or_init(|| {
        PYTHON_NAMES.iter().copied().find(|name| {
            std::process::Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|output| {
                    output.status.success() && output.stdout.starts_with(b"Python 3")
                })
        })
    })
}

/// The names [`python`] tries, in order.
pub const PYTHON_NAMES: &[&str] = if cfg!(windows) {
    &["python3", "py", "python"]
} else {
    &["python3"]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_lives_in_its_lesson_s_folder() {
        let root = std::path::Path::new("course");
        assert_eq!(lesson_of_snapshot("lesson-08-loom"), "lesson-08");
        assert_eq!(lesson_of_snapshot("lesson-08"), "lesson-08");
        assert_eq!(
            snapshot_file(root, "lesson-03-part-replay"),
            root.join("lessons/lesson-03/snapshots/lesson-03-part-replay.snap")
        );
    }

    /// The parts of a made-up lesson.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
    enum Part {
        /// the first part
        First,
        /// the second part
        Second,
    }

    #[derive(Debug, clap::Parser)]
    struct Args {
        #[command(flatten)]
        parts: Parts<Part>,
    }

    #[test]
    fn a_part_is_numbered_in_course_order_and_titled_by_its_doc_comment() {
        assert_eq!(heading(&Part::First), "== Part 1: the first part ==");
        assert_eq!(heading(&Part::Second), "== Part 2: the second part ==");
    }

    #[test]
    fn every_part_runs_unless_one_is_chosen() {
        use clap::Parser as _;
        let all = Args::try_parse_from(["lesson"]).unwrap();
        assert_eq!(all.parts.selected(), [Part::First, Part::Second]);
        let one = Args::try_parse_from(["lesson", "--part", "second"]).unwrap();
        assert_eq!(one.parts.selected(), [Part::Second]);
        assert!(Args::try_parse_from(["lesson", "--part", "third"]).is_err());
    }

    #[test]
    fn accepts_zero_and_the_maximum() {
        assert_eq!(parse_millis("0"), Ok(Duration::ZERO));
        assert_eq!(
            parse_millis(&MAX_MILLIS.to_string()),
            Ok(Duration::from_millis(MAX_MILLIS))
        );
    }

    #[test]
    fn a_number_too_big_for_u64_is_too_long_not_malformed() {
        assert!(
            parse_millis("99999999999999999999")
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn rejects_one_past_the_maximum_and_fractions() {
        assert!(parse_millis(&(MAX_MILLIS + 1).to_string()).is_err());
        assert!(parse_millis("1.5").is_err());
        assert!(parse_millis("").is_err());
    }
}
