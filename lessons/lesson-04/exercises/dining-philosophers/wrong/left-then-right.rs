//! Wrong: every philosopher takes the left fork, then the right: loom finds the deadlock.
//! verify says: "loom found a deadlock: in one interleaving"
//! verify says: "self.forks[right].lock()"

// The checks use loom's `Mutex`, which loom can pause and interleave; everywhere else it is std's.
// Your code does not change either way.
#[cfg(test)]
use loom::sync::Mutex;
#[cfg(not(test))]
use std::sync::Mutex;

/// A fork counts how often it was used to eat.
#[derive(Debug, Default)]
pub struct Fork {
    pub times_used: u32,
}

/// A round table: seat `i` has fork `i` on its left and fork `(i + 1) % seats` on its right.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Mutex<Fork>>,
}

impl Table {
    pub fn new(seats: usize) -> Self {
        Self {
            forks: (0..seats).map(|_| Mutex::new(Fork::default())).collect(),
        }
    }

    /// The philosopher at `seat` eats once, holding both forks beside the seat.
    pub fn eat(&self, seat: usize) {
        let left = seat;
        let right = (seat + 1) % self.forks.len();
        // TODO: everybody takes the left fork first. When all philosophers sit down at once, each
        // can hold a left fork and wait for a right fork that a neighbour holds: a cycle, so a
        // deadlock. Take the two forks in one order that every philosopher agrees on.
        let mut first = self.forks[left].lock().unwrap();
        let mut second = self.forks[right].lock().unwrap();
        eat_with(&mut first, &mut second);
    }

    /// How often fork `fork` was used.
    pub fn times_used(&self, fork: usize) -> u32 {
        self.forks[fork].lock().unwrap().times_used
    }
}

/// Eating takes both forks at once.
fn eat_with(one: &mut Fork, other: &mut Fork) {
    one.times_used += 1;
    other.times_used += 1;
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
