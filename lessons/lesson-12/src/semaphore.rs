//! Part 8: a `Semaphore` keeps at most k jobs in flight, starting the next one as soon as any one
//! ends; waves of k (start k, join them, start the next k) wait for the slowest of each wave.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::gauge::Gauge;

const K: usize = 3;
const JOBS: u32 = 12;

/// Job `id` takes 1, 2 or 3 pauses, in turn, and answers its own number.
async fn job(id: u32, pause: Duration, gauge: Arc<Gauge>) -> u32 {
    let _in_flight = gauge.enter();
    tokio::time::sleep(pause * (id % 3 + 1)).await;
    id
}

// ANCHOR: waves
async fn in_waves_of_k(pause: Duration, gauge: Arc<Gauge>) -> Vec<u32> {
    let mut answers = Vec::new();
    let ids: Vec<u32> = (0..JOBS).collect();
    for wave in ids.chunks(K) {
        let tasks: Vec<_> = wave
            .iter()
            .map(|&id| tokio::spawn(job(id, pause, Arc::clone(&gauge))))
            .collect();
        for task in tasks {
            answers.push(task.await.expect("a job panicked")); // the wave waits for its slowest
        }
    }
    answers
}
// ANCHOR_END: waves

// ANCHOR: semaphore
async fn with_a_semaphore(pause: Duration, gauge: Arc<Gauge>) -> Vec<u32> {
    let permits = Arc::new(Semaphore::new(K));
    let tasks: Vec<_> = (0..JOBS)
        .map(|id| {
            let (permits, gauge) = (Arc::clone(&permits), Arc::clone(&gauge));
            tokio::spawn(async move {
                let _permit = permits.acquire().await.expect("never closed");
                job(id, pause, gauge).await
            }) // the permit is dropped when the job ends: the next task may start
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a job panicked")); // in the order of the requests
    }
    answers
}
// ANCHOR_END: semaphore

pub async fn waves_against_a_semaphore(pause: Duration) {
    println!("{JOBS} jobs of 1, 2 or 3 pauses of {pause:?}, at most {K} at a time:");
    for how in ["waves of 3", "Semaphore(3)"] {
        let gauge = Arc::new(Gauge::default());
        let started = Instant::now();
        let answers = if how == "waves of 3" {
            in_waves_of_k(pause, Arc::clone(&gauge)).await
        } else {
            with_a_semaphore(pause, Arc::clone(&gauge)).await
        };
        let wall = started.elapsed();
        let limit = if gauge.most() <= K {
            format!("never more than {K} in flight")
        } else {
            format!("{} in flight at once: too many", gauge.most())
        };
        let in_order = answers == (0..JOBS).collect::<Vec<_>>();
        println!("  {how:<13} {limit}, answers in request order: {in_order}, wall {wall:.1?}");
    }
}
