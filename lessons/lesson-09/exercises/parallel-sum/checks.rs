//! The checks of `parallel-sum`. `cargo xtask verify parallel-sum` runs them; they are ignored by a
//! plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Your function runs in a rayon pool of four threads, with a `leaf` of the checks' own: it sums
//! the piece it gets and notes where in the slice the piece lies, how long it is and the thread
//! that sums it. The lengths and the numbers (zeros and large ones among them) are drawn afresh
//! on every run; the seed is in every failure message, and `COURSE_SEED=<seed>` replays one.
//!
//! To see that the work is really divided, the checks hold up the thread that sums the first
//! piece (for at most two seconds) until another thread sums a piece of the rest of the first
//! quarter of the numbers. When the halves are halved again down to the cut-off, the rest of that
//! quarter waits in the pool for any idle thread to take, and it is taken at once; when the
//! numbers were cut once into big parts, each summed piece after piece by one thread, nobody
//! else can take it.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use course_checks::lesson_09::in_a_pool_of_four;
use course_checks::seeded::Seeded;

use super::{CUTOFF, sum_in_parallel};

/// How long the held-up thread waits for another one to sum a piece of its quarter. Generous:
/// a rayon worker steals waiting work within microseconds.
const PATIENCE: Duration = Duration::from_secs(2);

/// One call of `leaf`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Where the piece starts in the slice; `None` if it is not part of the slice.
    start: Option<usize>,
    len: usize,
    thread: ThreadId,
}

/// Holds up two threads, each for at most [`PATIENCE`]. The first thread to sum a piece waits
/// until another thread sums one too, so that work which could be shared is shared, however
/// slowly the pool's threads wake up. The thread that sums the first piece (the one at
/// `numbers[0]`) waits until another thread sums a piece of the rest of the first quarter,
/// unless that part was summed already.
#[derive(Debug)]
struct HoldUp {
    /// How many numbers the slice holds.
    length: usize,
    state: Mutex<HoldUpState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct HoldUpState {
    /// The first thread to sum a piece, and whether another one has since.
    first: Option<ThreadId>,
    met: bool,
    /// Whether the first thread waited in vain: then no thread is held up again.
    alone: bool,
    /// The thread that sums the first piece, and where that piece ends.
    held: Option<(ThreadId, usize)>,
    /// Whether another thread summed a piece of the rest of the first quarter meanwhile (or
    /// it was summed before); `None` while the thread is held up.
    helped: Option<bool>,
    /// Where each piece summed so far starts.
    starts: Vec<usize>,
}

impl HoldUp {
    fn new(length: usize) -> Self {
        Self {
            length,
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    /// Whether a piece that starts at `start` lies in the first quarter, after the first piece.
    fn in_the_rest_of_the_first_quarter(&self, first_piece_end: usize, start: usize) -> bool {
        start >= first_piece_end && start * 4 < self.length
    }

    fn arrive(&self, start: usize, len: usize) {
        let me = thread::current().id();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let first_arrival = state.first.is_none();
        match state.first {
            None => state.first = Some(me),
            Some(first) if first != me => state.met = true,
            Some(_) => {}
        }
        if let Some((held, end)) = state.held
            && held != me
            && self.in_the_rest_of_the_first_quarter(end, start)
        {
            state.helped = Some(true);
        }
        self.changed.notify_all();
        if first_arrival {
            let (waited, met) = self.wait(state, |state| state.met);
            state = waited;
            state.alone = !met;
        }
        if start == 0 && len > 0 && state.held.is_none() && !state.alone {
            state.held = Some((me, len));
            let before = state
                .starts
                .iter()
                .any(|&start| self.in_the_rest_of_the_first_quarter(len, start));
            if before {
                state.helped = Some(true);
            }
            let (mut state, in_time) = self.wait(state, |state| state.helped == Some(true));
            state.helped = Some(in_time);
            state.starts.push(start);
        } else {
            state.starts.push(start);
        }
    }

    /// Waits until `done` holds, at most [`PATIENCE`]; `false` if it never did.
    fn wait<'a>(
        &self,
        mut state: MutexGuard<'a, HoldUpState>,
        done: impl Fn(&HoldUpState) -> bool,
    ) -> (MutexGuard<'a, HoldUpState>, bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(&state) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return (state, false);
            };
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        (state, true)
    }

    /// Where the first piece ended, if nobody else summed the rest of the first quarter while
    /// its thread was held up.
    fn waited_in_vain(&self) -> Option<usize> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .held
            .filter(|_| state.helped == Some(false))
            .map(|(_, end)| end)
    }
}

/// The sum, and every call of `leaf`; with `hold_up`, `leaf` also holds up the first thread.
fn sum_noting_pieces(numbers: &[u64], hold_up: Option<&HoldUp>) -> (u64, Vec<Piece>) {
    let pieces = Mutex::new(Vec::new());
    let base = numbers.as_ptr() as usize;
    let size = size_of::<u64>();
    let leaf = |piece: &[u64]| {
        let address = piece.as_ptr() as usize;
        let start = address
            .checked_sub(base)
            .filter(|offset| offset % size == 0)
            .map(|offset| offset / size)
            .filter(|start| start + piece.len() <= numbers.len());
        if let (Some(hold_up), Some(start)) = (hold_up, start) {
            hold_up.arrive(start, piece.len());
        }
        pieces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Piece {
                start,
                len: piece.len(),
                thread: thread::current().id(),
            });
        piece.iter().sum()
    };
    let sum = in_a_pool_of_four(|| sum_in_parallel(numbers, &leaf));
    (
        sum,
        pieces.into_inner().unwrap_or_else(PoisonError::into_inner),
    )
}

/// `length` numbers: runs of zeros, small ones and large ones (their sum still fits a `u64`).
fn numbers(length: usize, random: &mut Seeded) -> Vec<u64> {
    let largest = u64::MAX / (length as u64 + 1) / 2;
    let zeros_only = random.between(0, 5) == 0;
    (0..length)
        .map(|_| match random.between(0, 3) {
            _ if zeros_only => 0,
            0 => 0,
            1 => random.between(1, 1000),
            _ => random.between(0, largest),
        })
        .collect()
}

/// What `leaf` was given that it should not have been: a number twice, a number never, or
/// numbers from outside the slice.
fn coverage_problem(length: usize, pieces: &[Piece]) -> Option<String> {
    if pieces.iter().any(|piece| piece.start.is_none()) {
        return Some(
            "leaf was given numbers that are not part of `numbers` (a copy of them?): hand \
             leaf pieces of the slice itself, as `split_at` makes them"
                .to_string(),
        );
    }
    let mut spans: Vec<(usize, usize)> = pieces
        .iter()
        .filter(|piece| piece.len > 0)
        .filter_map(|piece| piece.start.map(|start| (start, start + piece.len)))
        .collect();
    spans.sort_unstable();
    let mut covered = 0;
    for (start, end) in spans {
        if start < covered {
            return Some(format!(
                "numbers[{start}..{}] were given to leaf twice: every number must be in exactly \
                 one piece (split with `numbers.split_at(mid)` and sum `left` and `right`)",
                covered.min(end)
            ));
        }
        if start > covered {
            return Some(format!(
                "numbers[{covered}..{start}] were in no piece: every number must be in exactly \
                 one piece (split with `numbers.split_at(mid)` and sum `left` and `right`)"
            ));
        }
        covered = end;
    }
    (covered < length).then(|| {
        format!(
            "numbers[{covered}..{length}] were in no piece: every number must be in exactly one \
             piece (split with `numbers.split_at(mid)` and sum `left` and `right`)"
        )
    })
}

fn replay(random: &Seeded) -> String {
    format!(
        "seed {}: COURSE_SEED={} replays it",
        random.seed(),
        random.seed()
    )
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn every_number_is_in_exactly_one_piece_and_the_sum_is_right() {
    let mut random = Seeded::new();
    let mut lengths = vec![
        0,
        1,
        2,
        CUTOFF - 1,
        CUTOFF,
        CUTOFF + 1,
        2 * CUTOFF,
        2 * CUTOFF + 1,
    ];
    for _ in 0..4 {
        lengths.push(random.size(1, 50 * CUTOFF));
    }
    for length in lengths {
        let numbers = numbers(length, &mut random);
        let (sum, pieces) = sum_noting_pieces(&numbers, None);
        if let Some(problem) = coverage_problem(length, &pieces) {
            panic!("for {length} numbers, {problem} ({})", replay(&random));
        }
        let right: u64 = numbers.iter().sum();
        assert_eq!(
            sum,
            right,
            "the sum of {length} numbers is {sum}, but they add up to {right}: leaf's pieces \
             were right, so the sums of the halves are put together wrongly (`left + right`) \
             ({})",
            replay(&random)
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn no_piece_is_longer_than_the_cutoff_and_none_is_needlessly_small() {
    let mut random = Seeded::new();
    for length in [1, CUTOFF, random.size(2, CUTOFF - 1)] {
        let (_, pieces) = sum_noting_pieces(&numbers(length, &mut random), None);
        assert!(
            pieces.len() == 1,
            "a slice of {length} numbers, no more than CUTOFF ({CUTOFF}), was cut into {} \
             pieces: a piece of at most CUTOFF numbers goes to leaf whole \
             (`if numbers.len() <= CUTOFF {{ return leaf(numbers); }}`) ({})",
            pieces.len(),
            replay(&random)
        );
    }
    // One length well above 32 pieces' worth: a split to a fixed depth leaves pieces too long.
    let mut lengths = vec![20_000, random.size(40 * CUTOFF, 64 * CUTOFF)];
    for _ in 0..2 {
        lengths.push(random.size(CUTOFF + 1, 64 * CUTOFF));
    }
    let cut: Vec<(usize, Vec<Piece>)> = lengths
        .into_iter()
        .map(|length| {
            (
                length,
                sum_noting_pieces(&numbers(length, &mut random), None).1,
            )
        })
        .collect();
    for (length, pieces) in &cut {
        let longest = pieces.iter().map(|piece| piece.len).max().unwrap_or(0);
        assert!(
            longest <= CUTOFF,
            "for {length} numbers, leaf was given a piece of {longest} numbers, longer than \
             CUTOFF ({CUTOFF}): split until a piece has at most CUTOFF numbers, whatever the \
             length ({})",
            replay(&random)
        );
    }
    for (length, pieces) in &cut {
        // Halving 20 000 numbers down to CUTOFF makes 32 pieces; a task for every few numbers
        // makes thousands, and each costs more than the additions it saves.
        let most = 2 * length / CUTOFF + 2;
        assert!(
            pieces.len() <= most,
            "leaf was called {} times for {length} numbers: the pieces are far smaller than \
             they need to be. Stop splitting as soon as a piece has at most CUTOFF ({CUTOFF}) \
             numbers ({})",
            pieces.len(),
            replay(&random)
        );
    }
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn the_pieces_are_summed_on_several_threads_and_every_part_is_shared() {
    let mut random = Seeded::new();
    let length = random.size(16 * CUTOFF, 48 * CUTOFF);
    let numbers = numbers(length, &mut random);
    let hold_up = HoldUp::new(length);
    let (sum, pieces) = sum_noting_pieces(&numbers, Some(&hold_up));
    if let Some(problem) = coverage_problem(length, &pieces) {
        panic!("for {length} numbers, {problem} ({})", replay(&random));
    }
    assert_eq!(
        sum,
        numbers.iter().sum::<u64>(),
        "the sum of {length} numbers is wrong ({})",
        replay(&random)
    );
    let threads: HashSet<ThreadId> = pieces.iter().map(|piece| piece.thread).collect();
    assert!(
        threads.len() >= 2,
        "every piece was summed by one thread, though four were there to share the work: sum \
         the two halves with `rayon::join(|| sum_in_parallel(left, leaf), || \
         sum_in_parallel(right, leaf))`, not one after the other"
    );
    if let Some(end) = hold_up.waited_in_vain() {
        let quarter = length.div_ceil(4);
        panic!(
            "the numbers were cut once into a few big parts, each summed piece after piece by \
             one thread. The checks held up the thread that summed the first piece, \
             numbers[0..{end}], for two seconds, and meanwhile no other thread summed any piece \
             of the rest of the first quarter, numbers[{end}..{quarter}], though {} other \
             thread(s) summed pieces elsewhere: it was all one thread's part, and when that \
             thread is slow nobody can help. Halve every part again with `rayon::join`, down to \
             CUTOFF, so that an idle thread can take half of any part ({length} numbers; {})",
            threads.len() - 1,
            replay(&random)
        );
    }
}
