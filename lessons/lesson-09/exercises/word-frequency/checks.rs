//! The checks of `word-frequency`. `cargo xtask verify word-frequency` runs them; they are ignored
//! by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your function runs in a rayon pool of four threads. The lines it gets are of a type of the
//! checks' own, which notes the thread that reads each one: the first thread to read a line waits
//! (at most two seconds) for another thread to read one too, so work that could be shared is
//! shared, and a function that reads every line on one thread is seen to.

use std::collections::HashMap;

#[path = "../two_threads.rs"]
mod two_threads;
use two_threads::{Meeting, in_a_pool_of_four};

use super::word_counts;

/// A line that notes which thread reads it.
struct Line<'a> {
    text: String,
    meeting: &'a Meeting,
}

impl AsRef<str> for Line<'_> {
    fn as_ref(&self) -> &str {
        self.meeting.arrive();
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

/// A text of `count` lines with a few words repeated across them.
fn text(count: usize) -> Vec<String> {
    let words = [
        "the", "Thread", "joins", "THE", "pool", "steals", "work", "the",
    ];
    (0..count)
        .map(|i| {
            (0..=(i % 5))
                .map(|j| words[(i * 3 + j) % words.len()])
                .collect::<Vec<_>>()
                .join(if i % 2 == 0 { " " } else { "  \t" })
        })
        .collect()
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_word_is_counted_in_lower_case() {
    let lines = text(300);
    let counts = in_a_pool_of_four(|| word_counts(&lines));
    assert_eq!(
        counts,
        expected(&lines),
        "the counts differ from what the text holds"
    );
    assert_eq!(
        counts["the"],
        expected(&lines)["the"],
        "`The`, `the` and `THE` are one word"
    );
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_lines_or_one_line() {
    let none: Vec<String> = Vec::new();
    assert!(
        in_a_pool_of_four(|| word_counts(&none)).is_empty(),
        "no lines, no words"
    );
    let one = vec!["a b a".to_string()];
    let counts = in_a_pool_of_four(|| word_counts(&one));
    assert_eq!(counts, HashMap::from([("a".into(), 2), ("b".into(), 1)]));
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_lines_are_read_on_more_than_one_thread() {
    let meeting = Meeting::default();
    let text = text(200);
    let lines: Vec<Line<'_>> = text
        .iter()
        .map(|line| Line {
            text: line.clone(),
            meeting: &meeting,
        })
        .collect();
    let counts = in_a_pool_of_four(|| word_counts(&lines));
    assert_eq!(
        counts,
        expected(&text),
        "the counts differ from what the text holds"
    );
    assert!(
        meeting.threads() >= 2,
        "every line was read by one thread, though four were there to share the work: go \
         through the lines with `lines.par_iter()` (rayon's `use rayon::prelude::*;`), not a \
         plain `for` loop or `.iter()`"
    );
}
