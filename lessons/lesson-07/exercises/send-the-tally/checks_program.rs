//! Compiled by `checks.rs` against the exercise's program (as the crate `tally`) and run with a
//! seed and a token: `checks SEED TOKEN`. It calls `count_words` several times, on texts made from
//! the seed (so that no fixed answer fits them all), and exits with an error message at the first
//! thing wrong. Only when every check has held does it print the token, which `checks.rs` asks
//! for: an exit code of 0 alone could come from a `process::exit(0)` in the program.
//!
//! What it sees of the work: `read_text` notes which thread reads each text, holds every read
//! until all the texts are being read at once (only one thread per text gets past it quickly),
//! and notes when each reading thread ends. Texts counted on the threads that read them are done
//! by the time those threads end; texts handed back to be counted elsewhere are counted after.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// How long a read waits for the other texts to be read too.
const GATHER: Duration = Duration::from_secs(3);

/// A small generator (xorshift), so that a failure can be replayed from its seed.
struct Generator(u64);

impl Generator {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }

    /// A text of `words` words, with spaces, double spaces and line ends between them.
    fn text(&mut self, words: usize) -> String {
        const WORDS: [&str; 12] = [
            "the", "cat", "sat", "on", "a", "mat", "dog", "ran", "up", "down", "red", "end",
        ];
        let mut text = String::new();
        for n in 0..words {
            if n > 0 {
                text.push_str(["  ", "\n", " ", " ", " "][self.next(5)]);
            }
            text.push_str(WORDS[self.next(WORDS.len())]);
        }
        text
    }
}

/// Locks that a panic elsewhere must not turn into a second, confusing panic here.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the reads of one call of `count_words` saw.
#[derive(Default)]
struct Reads {
    /// The thread that read each text, by index.
    readers: BTreeMap<usize, ThreadId>,
    /// Indexes asked for that are not texts, and texts read twice.
    misuse: Option<String>,
    /// A read found the others not being read at the same time.
    waited_in_vain: bool,
    /// When the last read returned its text.
    last_returned: Option<Instant>,
    /// When each reading thread ended.
    ended: Vec<Instant>,
}

/// The reads of the call under way; one call at a time.
static READS: Mutex<Option<Reads>> = Mutex::new(None);
static ARRIVED: Condvar = Condvar::new();
static ENDED: Condvar = Condvar::new();

/// Notes the end of a thread that read a text: dropped when the thread ends.
struct EndNote;

impl Drop for EndNote {
    fn drop(&mut self) {
        if let Some(reads) = lock(&READS).as_mut() {
            reads.ended.push(Instant::now());
        }
        ENDED.notify_all();
    }
}

thread_local! {
    static END_NOTE: EndNote = const { EndNote };
}

/// `read_text` for `texts`: notes the read, then waits until every text is being read.
fn read_text(texts: &[String], i: usize) -> String {
    let mut guard = lock(&READS);
    let reads = guard.as_mut().expect("a call is under way");
    let Some(text) = texts.get(i) else {
        reads.misuse.get_or_insert(format!(
            "read_text was asked for text {i}, but there are {} texts, numbered 0 to {}: \
             read each of `0..texts` once",
            texts.len(),
            texts.len().saturating_sub(1)
        ));
        return String::new();
    };
    if reads.readers.insert(i, thread::current().id()).is_some() {
        reads
            .misuse
            .get_or_insert(format!("text {i} was read twice: read each text once"));
    }
    END_NOTE.with(|_| {});
    ARRIVED.notify_all();
    let deadline = Instant::now() + GATHER;
    while !guard.as_ref().is_some_and(|r| r.waited_in_vain)
        && guard.as_ref().map_or(0, |r| r.readers.len()) < texts.len()
    {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            guard.as_mut().expect("a call is under way").waited_in_vain = true;
            ARRIVED.notify_all();
            break;
        }
        guard = ARRIVED
            .wait_timeout(guard, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    guard.as_mut().expect("a call is under way").last_returned = Some(Instant::now());
    text.clone()
}

/// The threads that read the texts, each once.
fn distinct(readers: &BTreeMap<usize, ThreadId>) -> Vec<ThreadId> {
    let mut threads: Vec<ThreadId> = Vec::new();
    for thread in readers.values() {
        if !threads.contains(thread) {
            threads.push(*thread);
        }
    }
    threads
}

/// How often each word appears in `texts`, the right answer.
fn expected(texts: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}

/// The words whose counts differ, one a line.
fn differences(counted: &BTreeMap<String, usize>, expected: &BTreeMap<String, usize>) -> String {
    let mut words: Vec<&String> = counted.keys().chain(expected.keys()).collect();
    words.sort();
    words.dedup();
    words
        .into_iter()
        .filter(|w| counted.get(*w) != expected.get(*w))
        .map(|w| {
            format!(
                "  {w:?}: counted {}, expected {}",
                counted.get(w).copied().unwrap_or(0),
                expected.get(w).copied().unwrap_or(0)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One call of `count_words` on `texts`, checked. `who_counted`: also check that each text was
/// counted on the thread that read it (the texts are then long enough for that to take a while).
fn check_call(what: &str, texts: &[String], who_counted: bool) -> Result<(), String> {
    *lock(&READS) = Some(Reads::default());
    let started = Instant::now();
    let counted = tally::count_words(texts.len(), |i| read_text(texts, i));
    let returned = Instant::now();
    let counted: BTreeMap<String, usize> = counted.into_iter().collect();
    // Every reading thread has ended, or ends soon: its end note comes as it ends.
    let mut guard = lock(&READS);
    let still_running = |guard: &MutexGuard<'_, Option<Reads>>| {
        let reads = guard.as_ref().expect("a call is under way");
        reads.ended.len() < distinct(&reads.readers).len()
    };
    let wait_for_ends = Instant::now() + Duration::from_secs(5);
    while still_running(&guard) && Instant::now() < wait_for_ends {
        guard = ENDED
            .wait_timeout(guard, Duration::from_millis(50))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    let reads = guard.take().expect("a call is under way");
    drop(guard);
    let expected = expected(texts);
    if let Some(misuse) = reads.misuse {
        return Err(format!("{what}: {misuse}"));
    }
    let caller = thread::current().id();
    if let Some((i, _)) = reads.readers.iter().find(|(_, t)| **t == caller) {
        return Err(format!(
            "{what}: text {i} was read on the calling thread: read each text on a thread of its \
             own, as the starter does"
        ));
    }
    if reads.readers.len() < texts.len() {
        let missing: Vec<usize> = (0..texts.len())
            .filter(|i| !reads.readers.contains_key(i))
            .collect();
        return Err(format!(
            "{what}: texts {missing:?} were never read: read each of `0..texts` once"
        ));
    }
    if counted != expected {
        let earlier = counted
            .iter()
            .all(|(w, n)| *n >= expected.get(w).copied().unwrap_or(0))
            && counted.values().sum::<usize>() > expected.values().sum::<usize>();
        let why = if earlier && what != FIRST {
            "\nMore words than the texts hold: does the tally outlive one call (a `static`, a \
             tally made once)? Make a new tally in each call of `count_words`."
        } else {
            ""
        };
        return Err(format!(
            "{what}: the count is wrong. The words whose counts differ:\n{}{why}",
            differences(&counted, &expected)
        ));
    }
    let threads = distinct(&reads.readers);
    if reads.waited_in_vain || threads.len() < texts.len() {
        return Err(format!(
            "{what}: the count is right, but the texts were not read at the same time: read \
             each text on a thread of its own, as the starter does, and before taking the lock \
             (a thread that holds the lock while it reads makes the others wait; a thread joined \
             before the next one starts makes them take turns)"
        ));
    }
    if reads.ended.len() < threads.len() {
        return Err(format!(
            "{what}: count_words returned while a thread that read a text was still running: \
             wait for every thread you start (`thread::scope` does)"
        ));
    }
    if who_counted {
        let (Some(last_read), Some(last_end)) = (reads.last_returned, reads.ended.iter().max())
        else {
            return Ok(());
        };
        // On the reading threads, the counting happens between the reads and the ends of
        // those threads; elsewhere, after the threads have ended.
        let on_the_threads = last_end.saturating_duration_since(last_read);
        let after_the_threads = returned.saturating_duration_since(*last_end);
        if after_the_threads > on_the_threads {
            return Err(format!(
                "{what}: the texts were read on threads of their own, but counted after those \
                 threads had ended ({:.0} ms after, against {:.0} ms on the threads), by the \
                 calling thread or by one thread alone: count each text on the thread that read \
                 it, into the shared tally (count_words took {:.0} ms in all)",
                after_the_threads.as_secs_f64() * 1e3,
                on_the_threads.as_secs_f64() * 1e3,
                returned.duration_since(started).as_secs_f64() * 1e3
            ));
        }
    }
    Ok(())
}

const FIRST: &str = "3 short texts";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(seed), Some(token)) = (args.next(), args.next()) else {
        eprintln!("usage: checks SEED TOKEN");
        return ExitCode::FAILURE;
    };
    let seed: u64 = seed.parse().expect("a number");
    let mut generator = Generator(seed | 1);
    let mut text = |words| generator.text(words);
    let calls: Vec<(&str, Vec<String>, bool)> = vec![
        (FIRST, vec![text(3), text(4), text(2)], false),
        ("no text at all", vec![], false),
        ("1 text", vec![text(5)], false),
        (
            "6 texts, one empty and one of spaces only",
            vec![
                text(6),
                String::new(),
                text(1),
                " \n  ".to_string(),
                text(9),
                text(4),
            ],
            false,
        ),
        (
            "4 long texts",
            vec![text(150_000), text(150_000), text(150_000), text(150_000)],
            true,
        ),
    ];
    for (what, texts, who_counted) in &calls {
        if let Err(message) = check_call(what, texts, *who_counted) {
            eprintln!("{message}\n(the texts came from seed {seed})");
            return ExitCode::FAILURE;
        }
    }
    println!("{token}");
    ExitCode::SUCCESS
}
