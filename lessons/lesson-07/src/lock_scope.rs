//! Part 3: a lock is held as long as its guard lives.

use std::sync::{Mutex, TryLockError, mpsc};
use std::thread;
use std::time::Duration;

// ANCHOR: lock_scope
/// A thread locks `prices`, copies them, then does slow work with the copy. Main tries the lock
/// while that work runs: is it free?
fn is_the_lock_free_during_slow_work(drop_guard_early: bool, pause: Duration) -> bool {
    let prices = &Mutex::new(vec![3, 1, 2]);
    let (says_working, hears_working) = mpsc::channel();
    let (says_tried, hears_tried) = mpsc::channel();
    thread::scope(|s| {
        s.spawn(move || {
            let guard = prices.lock().unwrap();
            let mut sorted = guard.clone();
            if drop_guard_early {
                drop(guard); // from here on, other threads may lock `prices`
            }
            says_working.send(()).unwrap();
            sorted.sort_unstable(); // the slow work, on the copy
            thread::sleep(pause);
            hears_tried.recv().unwrap(); // stay until main has tried
        }); // a guard not dropped yet is dropped here, at the end of its scope
        hears_working.recv().unwrap();
        let free = !matches!(prices.try_lock(), Err(TryLockError::WouldBlock));
        says_tried.send(()).unwrap();
        free
    })
}

pub fn show_lock_scope(pause: Duration) {
    let held = is_the_lock_free_during_slow_work(false, pause);
    println!("guard kept through the slow work: try_lock finds the lock free? {held}");
    let free = is_the_lock_free_during_slow_work(true, pause);
    println!("drop(guard) before the slow work: try_lock finds the lock free? {free}");
}
// ANCHOR_END: lock_scope
