//! What the checks of lesson 09's exercises share: a pool of four threads to run your code in,
//! and a meeting point that tells whether your code really hands work to more than one thread.
//! Included by each exercise's `checks.rs` with `#[path]`.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// How long the first thread that arrives waits for a second one. Generous: a rayon worker
/// steals waiting work within microseconds.
const PATIENCE: Duration = Duration::from_secs(2);

/// Runs `work` in a rayon pool of four threads, so that `par_iter`, `join` and `scope` inside it
/// have threads to spread over, whatever this machine's core count.
pub fn in_a_pool_of_four<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("a pool of four threads starts")
        .install(work)
}

/// Records the threads that arrive. The first one waits (at most [`PATIENCE`]) until a second
/// thread arrives too, so a piece of work that could be stolen by another thread is stolen: code
/// that spreads its work is seen on two threads on every run, code that does not on one.
#[derive(Debug, Default)]
pub struct Meeting {
    seen: Mutex<(HashSet<ThreadId>, bool)>,
    second_arrived: Condvar,
}

impl Meeting {
    /// Called from your code's work (reading a line, summing a piece).
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
