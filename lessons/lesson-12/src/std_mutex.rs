//! Part 1: std's `Mutex` is fine in async code, as long as its guard never crosses an `.await`.

use std::sync::{Arc, Mutex};

const TASKS: u32 = 8;
const INCREMENTS: u32 = 1_000;

// ANCHOR: guard_dropped
async fn add_one_at_a_time(counter: Arc<Mutex<u64>>) {
    for _ in 0..INCREMENTS {
        {
            let mut count = counter.lock().unwrap();
            *count += 1;
        } // the guard is dropped here, before the task can be suspended
        tokio::task::yield_now().await; // another task may run on this thread now
    }
}

pub async fn guard_dropped_before_each_await() {
    let counter = Arc::new(Mutex::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| tokio::spawn(add_one_at_a_time(Arc::clone(&counter))))
        .collect();
    for task in tasks {
        task.await.expect("a task panicked");
    }
    let count = *counter.lock().unwrap();
    println!("{TASKS} tasks × {INCREMENTS} increments,");
    println!("  each guard dropped before the next .await: counter = {count}");
    println!("Held across an .await, the guard would make the task's future not Send:");
    println!("  lessons/lesson-12/compile-fail/guard_across_await.rs does not compile.");
}
// ANCHOR_END: guard_dropped
