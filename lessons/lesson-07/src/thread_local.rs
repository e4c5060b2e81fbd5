//! Part 8: `thread_local!` gives each thread its own value, which needs no lock.

use std::cell::Cell;
use std::thread;

// ANCHOR: thread_local
thread_local! {
    // Each thread has its own `CALLS`: a `Cell` needs no lock, because no other thread sees it.
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn count_a_call() -> u32 {
    CALLS.with(|calls| {
        calls.set(calls.get() + 1);
        calls.get()
    })
}

pub fn one_counter_per_thread() {
    let counted: Vec<u32> = thread::scope(|s| {
        let workers: Vec<_> = (1..=3)
            .map(|n| s.spawn(move || (0..n).fold(0, |_, _| count_a_call())))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let main_calls = CALLS.with(Cell::get);
    println!("threads calling 1, 2 and 3 times counted {counted:?}; main's CALLS is {main_calls}");
}
// ANCHOR_END: thread_local
