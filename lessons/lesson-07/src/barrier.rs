//! Part 6: a `Barrier` lets no worker into phase two before all have finished phase one.

use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

// ANCHOR: barrier
pub fn two_phases(pause: Duration) {
    const WORKERS: u32 = 3;
    let barrier = Barrier::new(WORKERS as usize);
    let parts = Mutex::new(Vec::new());
    let seen: Vec<(usize, bool)> = thread::scope(|s| {
        let workers: Vec<_> = (1..=WORKERS)
            .map(|worker| {
                let (barrier, parts) = (&barrier, &parts);
                s.spawn(move || {
                    thread::sleep(pause * worker); // phase one takes each its own time
                    parts.lock().unwrap().push(worker * 10);
                    let leader = barrier.wait().is_leader(); // exactly one waiter is told so
                    (parts.lock().unwrap().len(), leader) // phase two: every part is there
                })
            })
            .collect(); // all spawned before any join: joining inside the map would deadlock
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let complete = seen
        .iter()
        .filter(|(parts, _)| *parts == WORKERS as usize)
        .count();
    let leaders = seen.iter().filter(|(_, leader)| *leader).count();
    println!("{complete} of {WORKERS} workers saw all {WORKERS} parts after the barrier");
    println!("{leaders} of them was told it is the leader (which one varies)");
}
// ANCHOR_END: barrier
