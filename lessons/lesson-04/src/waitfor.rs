//! A wait-for table and the watchdog that reads it (part 1).
//!
//! Each thread writes down which lock it holds and which lock it is about to wait for. A thread
//! waits for the holder of the lock it wants; when following "waits for … held by …" leads back
//! to where it started, no thread in that cycle can ever go on: that is a deadlock.
//!
//! The table is the simplest one that shows the cycle: threads only add to it, they never clean
//! up. That is enough for part 1, whose threads never get their second lock; a general detector
//! (`parking_lot`'s `deadlock_detection`, a database's lock manager) records every lock and unlock.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// How often the watchdog looks at the table. This is its resolution, not a pause of the lesson.
const POLL: Duration = Duration::from_millis(5);

/// What one thread holds and wants. Threads are kept by name in a `BTreeMap`, so the watchdog
/// walks them in the same order on every run, whatever order they wrote in.
#[derive(Debug, Default)]
struct Row {
    holds: Vec<u32>,
    waits_for: Option<(u32, Instant)>,
}

#[derive(Debug, Default)]
pub struct WaitFor {
    rows: Mutex<BTreeMap<&'static str, Row>>,
}

/// One thread in a deadlock cycle: the lock it holds that the previous thread wants, and the
/// lock it waits for, which the next thread holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Edge {
    pub thread: &'static str,
    pub holds: u32,
    pub waits_for: u32,
}

/// A deadlock the watchdog found.
#[derive(Debug)]
pub struct Cycle {
    /// Starting with the thread whose name sorts first.
    pub edges: Vec<Edge>,
    /// From the moment the last thread of the cycle started waiting to the moment the watchdog
    /// saw the cycle.
    pub detected_after: Duration,
}

impl WaitFor {
    pub fn holds(&self, thread: &'static str, lock: u32) {
        let mut rows = self.rows.lock().unwrap();
        rows.entry(thread).or_default().holds.push(lock);
    }

    pub fn waits_for(&self, thread: &'static str, lock: u32) {
        let mut rows = self.rows.lock().unwrap();
        rows.entry(thread).or_default().waits_for = Some((lock, Instant::now()));
    }

    /// The first cycle of "waits for a lock held by", if there is one.
    fn find_cycle(&self) -> Option<Cycle> {
        let rows = self.rows.lock().unwrap();
        let holder_of = |lock: u32| {
            rows.iter()
                .find(|(_, row)| row.holds.contains(&lock))
                .map(|(name, _)| *name)
        };
        for &start in rows.keys() {
            // Walk from `start`: which lock does it want, who holds that, what does that one want…
            let mut path: Vec<(&'static str, u32, Instant)> = Vec::new();
            let mut current = start;
            while let Some((wanted, since)) = rows[current].waits_for {
                if path.iter().any(|(name, _, _)| *name == current) {
                    break; // a cycle that does not pass through `start`; found from its own start
                }
                path.push((current, wanted, since));
                let Some(holder) = holder_of(wanted) else {
                    break;
                };
                if holder == start {
                    let formed = path.iter().map(|(_, _, since)| *since).max()?;
                    let edges = (0..path.len())
                        .map(|i| Edge {
                            thread: path[i].0,
                            // The lock this thread holds is the one the previous thread wants.
                            holds: path[(i + path.len() - 1) % path.len()].1,
                            waits_for: path[i].1,
                        })
                        .collect();
                    return Some(Cycle {
                        edges,
                        detected_after: formed.elapsed(),
                    });
                }
                current = holder;
            }
        }
        None
    }
}

/// Looks at the table every few milliseconds until it shows a cycle, or gives up after `limit`.
pub fn watch(table: &WaitFor, limit: Duration) -> Option<Cycle> {
    let started = Instant::now();
    loop {
        if let Some(cycle) = table.find_cycle() {
            return Some(cycle);
        }
        if started.elapsed() > limit {
            return None;
        }
        thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_threads_waiting_for_each_other_form_a_cycle() {
        let table = WaitFor::default();
        table.holds("B", 2);
        table.holds("A", 1);
        table.waits_for("B", 1);
        assert!(table.find_cycle().is_none(), "A does not wait yet");
        table.waits_for("A", 2);
        let cycle = table.find_cycle().expect("a cycle");
        assert_eq!(
            cycle.edges,
            [
                Edge {
                    thread: "A",
                    holds: 1,
                    waits_for: 2
                },
                Edge {
                    thread: "B",
                    holds: 2,
                    waits_for: 1
                },
            ]
        );
    }

    #[test]
    fn a_chain_that_ends_at_a_free_lock_is_no_cycle() {
        let table = WaitFor::default();
        table.holds("A", 1);
        table.holds("B", 2);
        table.waits_for("A", 2);
        table.waits_for("B", 3);
        assert!(table.find_cycle().is_none());
        assert!(watch(&table, Duration::from_millis(20)).is_none());
    }

    #[test]
    fn a_cycle_of_three_starts_with_the_first_name() {
        let table = WaitFor::default();
        table.holds("C", 3);
        table.holds("B", 2);
        table.holds("A", 1);
        table.waits_for("C", 1);
        table.waits_for("B", 3);
        table.waits_for("A", 2);
        let edges = watch(&table, Duration::from_secs(1)).unwrap().edges;
        let threads: Vec<_> = edges.iter().map(|edge| edge.thread).collect();
        assert_eq!(threads, ["A", "B", "C"]);
        assert_eq!((edges[2].holds, edges[2].waits_for), (3, 1));
    }
}
