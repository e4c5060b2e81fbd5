//! The checks of `word-frequency`. `cargo xtask verify word-frequency` runs them; they are ignored
//! by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your function runs in a rayon pool of four threads, on texts drawn afresh on every run (the
//! seed is in every failure message; `COURSE_SEED=<seed>` replays one). The lines it gets are of
//! a type of the checks' own, which notes the thread that reads each one: the first thread to
//! read a line waits (at most two seconds) for another thread to read one too, so work that could
//! be shared is shared. The checks also see on which thread each map of counts is made (their
//! allocator notes where a map's storage comes from): counting into a map of one's own is seen on
//! every thread that counts, counting on one thread after a parallel read, or into one shared
//! map, is seen as one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::panic;
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use course_checks::lesson_09::{
    Event, NotingAllocator, in_a_pool_of_four, learn, mark, noting_allocator, watch,
};
use course_checks::seeded::Seeded;

use super::word_counts;

#[global_allocator]
static ALLOCATOR: NotingAllocator = noting_allocator();

/// How long the first thread that arrives waits for a second one. Generous: a rayon worker
/// steals waiting work within microseconds.
const PATIENCE: Duration = Duration::from_secs(2);

/// Records the threads that arrive. The first one waits (at most [`PATIENCE`]) until a second
/// thread arrives too, so a piece of work that could be stolen by another thread is stolen: code
/// that spreads its work is seen on two threads on every run, code that does not on one.
#[derive(Debug, Default)]
pub struct Meeting {
    seen: Mutex<(HashSet<ThreadId>, bool)>,
    second_arrived: Condvar,
}

impl Meeting {
    /// Called when a line is read.
    pub fn arrive(&self) {
        let mut state = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        state.0.insert(thread::current().id());
        if state.0.len() >= 2 {
            self.second_arrived.notify_all();
            return;
        }
        // `true` once a thread has waited in vain: nobody waits a second time.
        if state.1 {
            return;
        }
        let deadline = Instant::now() + PATIENCE;
        while state.0.len() < 2 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                state.1 = true;
                return;
            };
            state = self
                .second_arrived
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// How many different threads arrived.
    pub fn threads(&self) -> usize {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .len()
    }
}

/// The mark a [`Line`] leaves on the checks' timeline when it is read.
const READ: u8 = 1;

/// A line that notes which thread reads it.
struct Line<'a> {
    text: String,
    meeting: &'a Meeting,
}

impl AsRef<str> for Line<'_> {
    fn as_ref(&self) -> &str {
        self.meeting.arrive();
        mark(READ);
        &self.text
    }
}

fn expected(lines: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        for word in line.split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    counts
}

/// Words with capitals that `to_ascii_lowercase` does not lower (É, Œ, Ä).
const WORDS: [&str; 10] = [
    "the", "thread", "joins", "pool", "steals", "work", "été", "œuvre", "ärger", "a",
];
const SPACES: [&str; 5] = [" ", " ", "  ", "\t", " \t "];

/// A word of [`WORDS`] in lower case, with a capital, or in capitals.
fn spelled(word: &str, random: &mut Seeded) -> String {
    match random.between(0, 2) {
        0 => word.to_string(),
        1 => {
            let mut letters = word.chars();
            letters.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(letters).collect()
            })
        }
        _ => word.to_uppercase(),
    }
}

/// A text of a few hundred lines: some empty, some only spaces, words separated by spaces and
/// tabs, in every case.
fn random_text(random: &mut Seeded) -> Vec<String> {
    let count = random.between(200, 600);
    (0..count)
        .map(|_| {
            let mut line = String::new();
            if random.between(0, 5) == 0 {
                line.push_str(random.pick(&SPACES));
            }
            for i in 0..random.between(0, 7) {
                if i > 0 {
                    line.push_str(random.pick(&SPACES));
                }
                line.push_str(&spelled(random.pick(&WORDS), random));
            }
            if random.between(0, 5) == 0 {
                line.push_str(random.pick(&SPACES));
            }
            line
        })
        .collect()
}

/// What is wrong with `counts`, said so that it points at the mistake; `None` if nothing.
fn difference(counts: &HashMap<String, usize>, lines: &[String]) -> Option<String> {
    let expected = expected(lines);
    if *counts == expected {
        return None;
    }
    let sorted: BTreeMap<&String, &usize> = counts.iter().collect();
    if let Some(word) = sorted
        .keys()
        .find(|word| word.is_empty() || word.contains(char::is_whitespace))
    {
        return Some(format!(
            "{word:?} was counted as a word: words are separated by any whitespace (tabs and \
             runs of spaces too), and an empty string is no word. Split a line with \
             `split_whitespace()`"
        ));
    }
    if let Some(word) = sorted.keys().find(|word| word.to_lowercase() != ***word) {
        return Some(format!(
            "{word:?} was counted with capitals: count every word as `word.to_lowercase()`, \
             which lowers every letter (`to_ascii_lowercase` leaves É, Œ and Ä as they are)"
        ));
    }
    let expected_sorted: BTreeMap<&String, &usize> = expected.iter().collect();
    if let Some((word, times)) = expected_sorted
        .iter()
        .find(|(word, _)| !counts.contains_key(**word))
    {
        return Some(format!(
            "{word:?} is missing from the counts, though the text holds it {times} times"
        ));
    }
    if let Some((word, times)) = sorted
        .iter()
        .find(|(word, _)| !expected.contains_key(**word))
    {
        return Some(format!(
            "{word:?} was counted {times} times, but the text does not hold it"
        ));
    }
    let mut fewer = Vec::new();
    let mut more = Vec::new();
    for (word, &&times) in &expected_sorted {
        let got = counts[*word];
        if got < times {
            fewer.push(format!(
                "{word:?} was counted {got} times (the text holds it {times} times)"
            ));
        } else if got > times {
            more.push(format!(
                "{word:?} was counted {got} times (the text holds it {times} times)"
            ));
        }
    }
    fewer.truncate(3);
    more.truncate(3);
    if more.is_empty() {
        return Some(format!(
            "counts were lost: {}. When two maps are merged, add their counts \
             (`*total.entry(word).or_insert(0) += count`) rather than keep one of them",
            fewer.join(", ")
        ));
    }
    Some(format!(
        "some words were counted too often: {}. Is a line counted twice?",
        more.join(", ")
    ))
}

/// Runs `word_counts` in the pool; a panic becomes its message.
fn counts_of<L: AsRef<str> + Sync>(lines: &[L]) -> Result<HashMap<String, usize>, String> {
    // The panic's own report would come before the checks' message: keep it quiet.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(panic::AssertUnwindSafe(|| {
        in_a_pool_of_four(|| word_counts(lines))
    }));
    panic::set_hook(hook);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_word_is_counted_in_lower_case() {
    let mut random = Seeded::new();
    for _ in 0..3 {
        let lines = random_text(&mut random);
        let counts = match counts_of(&lines) {
            Ok(counts) => counts,
            Err(panic) => panic!(
                "word_counts panicked on a text of {} lines: {panic} (seed {}: \
                 COURSE_SEED={} replays it)",
                lines.len(),
                random.seed(),
                random.seed()
            ),
        };
        if let Some(wrong) = difference(&counts, &lines) {
            panic!(
                "{wrong}. (A text of {} lines drawn with seed {}: COURSE_SEED={} replays it.)",
                lines.len(),
                random.seed(),
                random.seed()
            );
        }
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_lines_blank_lines_or_one_line() {
    let texts: [(&str, Vec<&str>); 5] = [
        ("no lines at all", vec![]),
        ("only empty and blank lines", vec!["", "   ", "\t", ""]),
        ("one line", vec!["a b a"]),
        ("one line of one word", vec!["Word"]),
        ("one line among blank ones", vec!["", " The  the\tTHE ", ""]),
    ];
    for (what, text) in texts {
        let lines: Vec<String> = text.iter().map(ToString::to_string).collect();
        let counts = counts_of(&lines).unwrap_or_else(|panic| {
            let empty = if expected(&lines).is_empty() {
                " With no words there is nothing to merge and nothing to unwrap: the answer \
                 is an empty map (`reduce(HashMap::new, …)` gives one, `reduce_with` gives \
                 `None`)."
            } else {
                ""
            };
            panic!("word_counts panicked on {what} ({text:?}): {panic}.{empty}")
        });
        if let Some(wrong) = difference(&counts, &lines) {
            panic!("on {what} ({text:?}): {wrong}");
        }
    }
}

/// Teaches the checks' allocator what a map of counts allocates: the storage of a
/// `HashMap<String, usize>` of every size up to 32 768 words, and the nodes of a `BTreeMap`.
fn learn_the_storage_of_maps() {
    let keys: Vec<String> = (0..1 << 15).map(|i| format!("w{i}")).collect();
    let sorted_keys: Vec<String> = keys[..300].to_vec();
    let maps = learn(|| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for key in keys {
            counts.insert(key, 1);
        }
        let mut sorted: BTreeMap<String, usize> = BTreeMap::new();
        for key in sorted_keys {
            sorted.insert(key, 1);
        }
        (counts, sorted)
    });
    drop(maps);
}

/// Lines of one to four words, from three words only: one map holds them all, so a map shared
/// by every thread is made once, and a map of each piece's own once per piece.
fn text_of_three_words(random: &mut Seeded) -> Vec<String> {
    let mut words: Vec<&str> = Vec::new();
    while words.len() < 3 {
        let word = random.pick(&WORDS);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    (0..2000)
        .map(|_| {
            (0..random.between(1, 4))
                .map(|_| spelled(random.pick(&words), random))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_lines_are_read_and_counted_on_more_than_one_thread() {
    learn_the_storage_of_maps();
    let mut random = Seeded::new();
    let text = text_of_three_words(&mut random);
    let meeting = Meeting::default();
    let lines: Vec<Line<'_>> = text
        .iter()
        .map(|line| Line {
            text: line.clone(),
            meeting: &meeting,
        })
        .collect();
    let (counts, events) = in_a_pool_of_four(|| watch(|| word_counts(&lines)));
    if let Some(wrong) = difference(&counts, &text) {
        panic!(
            "{wrong}. (A text of {} lines drawn with seed {}: COURSE_SEED={} replays it.)",
            text.len(),
            random.seed(),
            random.seed()
        );
    }
    assert!(
        meeting.threads() >= 2,
        "every line was read by one thread, though four were there to share the work: go \
         through the lines with `lines.par_iter()` (rayon's `use rayon::prelude::*;`), not a \
         plain `for` loop or `.iter()`"
    );
    let read_by = |event: &Event| match *event {
        Event::Mark { mark: READ, thread } => Some(thread),
        _ => None,
    };
    let readers: BTreeSet<usize> = events.iter().filter_map(read_by).collect();
    let last_read = events
        .iter()
        .rposition(|event| read_by(event).is_some())
        .unwrap_or(0);
    // The threads that made a map of counts while the lines were still being read.
    let mut counters: Vec<(usize, usize)> = Vec::new();
    for (at, event) in events[..last_read].iter().enumerate() {
        if let Event::Made { thread } = *event
            && !counters.iter().any(|&(t, _)| t == thread)
        {
            counters.push((thread, at));
        }
    }
    if counters.len() >= 2 {
        return;
    }
    let others_read_after = counters.first().is_some_and(|&(thread, made)| {
        events[made..]
            .iter()
            .filter_map(read_by)
            .any(|reader| reader != thread)
    });
    let mut message = String::new();
    if others_read_after {
        let _ = write!(
            message,
            "the lines were read on {} threads, but they all counted into one map: one map \
             was made, and the other threads added their words to it. Threads that share a \
             map need a lock around it and take turns at it, so the counting is no faster \
             than on one thread. Give each piece of work a map of its own \
             (`fold(HashMap::new, |mut counts, line| …)`) and merge the maps at the end \
             (`reduce`)",
            readers.len()
        );
    } else {
        let _ = write!(
            message,
            "the lines were read on {} threads, but every word was counted on one thread, \
             after the lines had been read: the parallel part only read (or copied, or split) \
             the lines, and the counting, the real work, ran in sequence. Count inside the \
             parallel iterator: each piece of work counts its lines into a map of its own \
             (`fold(HashMap::new, |mut counts, line| …)`), and `reduce` merges the maps",
            readers.len()
        );
    }
    panic!("{message}");
}
