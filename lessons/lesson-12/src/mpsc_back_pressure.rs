//! Part 4: a bounded `mpsc` channel pushes back: when it is full, `send` waits for room.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

// ANCHOR: back_pressure
pub async fn fast_producer_slow_consumer(pause: Duration) {
    let (jobs, mut inbox) = mpsc::channel(3); // room for 3 jobs, no more
    for job in 1..=3 {
        jobs.send(job).await.expect("the receiver is alive");
        println!("sent job {job}");
    }
    if let Err(TrySendError::Full(job)) = jobs.try_send(4) {
        println!("job {job}: the channel is full, try_send hands it back");
    }
    let producer = tokio::spawn(async move {
        for job in 4..=6 {
            jobs.send(job).await.expect("the receiver is alive"); // waits while it is full
        }
    });
    tokio::time::sleep(pause).await;
    println!(
        "after {pause:?}, is the producer still waiting to send job 4? {}",
        !producer.is_finished()
    );
    // The slow consumer: each job it takes makes room for one more.
    while let Some(job) = inbox.recv().await {
        println!("received job {job}");
        tokio::time::sleep(pause).await;
    }
    producer.await.expect("the producer panicked");
    println!("the producer sent jobs 4 to 6 as the consumer made room, and hung up");
}
// ANCHOR_END: back_pressure
