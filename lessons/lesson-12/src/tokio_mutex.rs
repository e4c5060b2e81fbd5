//! Part 2: tokio's `Mutex`, for a lock that must stay held across an `.await`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

const TASKS: u32 = 4;

// ANCHOR: lock_across_await
/// One connection shared by several tasks: a request and its reply must not be split by
/// another task's request, so the lock is held while the reply is awaited.
async fn ask_over_the_shared_connection(wire: Arc<Mutex<Vec<String>>>, task: u32, pause: Duration) {
    let mut wire = wire.lock().await; // waits as a task, without blocking its thread
    wire.push(format!("task {task}: request"));
    tokio::time::sleep(pause).await; // the reply takes a while; the lock stays held
    wire.push(format!("task {task}: reply"));
}
// ANCHOR_END: lock_across_await

pub async fn lock_held_across_an_await(pause: Duration) {
    let wire = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            tokio::spawn(ask_over_the_shared_connection(
                Arc::clone(&wire),
                task,
                pause,
            ))
        })
        .collect();
    for task in tasks {
        task.await.expect("a task panicked");
    }
    let wall = started.elapsed();
    let wire = wire.lock().await;
    // Which task went first varies; that each reply follows its own request does not.
    let paired = wire
        .chunks(2)
        .filter(|pair| pair.len() == 2 && pair[0].replace("request", "reply") == pair[1])
        .count();
    println!(
        "{TASKS} tasks asked over one connection: {} lines,",
        wire.len()
    );
    println!("  each request followed by its own reply: {paired} of {TASKS}");
    println!("They took turns: wall {wall:.1?} for {TASKS} replies of {pause:?} each.");
}
