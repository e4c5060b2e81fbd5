//! Part 3: a counter shared by many tasks, three ways, measured: std's `Mutex`, tokio's `Mutex`,
//! and an actor that owns the count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

// ANCHOR: three_counters
async fn count_with_std_mutex(tasks: u32, increments: u32) -> u64 {
    let counter = Arc::new(std::sync::Mutex::new(0_u64));
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                for _ in 0..increments {
                    *counter.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a task panicked");
    }
    *counter.lock().unwrap()
}

async fn count_with_tokio_mutex(tasks: u32, increments: u32) -> u64 {
    let counter = Arc::new(tokio::sync::Mutex::new(0_u64));
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                for _ in 0..increments {
                    *counter.lock().await += 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a task panicked");
    }
    *counter.lock().await
}

enum Command {
    Add(u64),
    Get(oneshot::Sender<u64>),
}

async fn count_with_an_actor(tasks: u32, increments: u32) -> u64 {
    let (commands, mut inbox) = mpsc::channel(1024);
    // The actor: the only task that can reach the count, so it needs no lock.
    tokio::spawn(async move {
        let mut count = 0;
        while let Some(command) = inbox.recv().await {
            match command {
                Command::Add(n) => count += n,
                Command::Get(reply) => reply.send(count).unwrap_or(()),
            }
        }
    });
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let commands = commands.clone();
            tokio::spawn(async move {
                for _ in 0..increments {
                    commands
                        .send(Command::Add(1))
                        .await
                        .expect("the actor runs");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a task panicked");
    }
    let (reply, answer) = oneshot::channel();
    commands
        .send(Command::Get(reply))
        .await
        .expect("the actor runs");
    answer.await.expect("the actor answers")
}
// ANCHOR_END: three_counters

pub async fn compare_three_counters(tasks: u32, increments: u32) {
    println!("{tasks} tasks each add one {increments} times to a shared counter:");
    let started = Instant::now();
    let count = count_with_std_mutex(tasks, increments).await;
    print_cost("std Mutex", tasks, increments, count, started.elapsed());
    let started = Instant::now();
    let count = count_with_tokio_mutex(tasks, increments).await;
    print_cost("tokio Mutex", tasks, increments, count, started.elapsed());
    let started = Instant::now();
    let count = count_with_an_actor(tasks, increments).await;
    print_cost("actor", tasks, increments, count, started.elapsed());
}

/// One line of the measurement; the bench reads these lines.
fn print_cost(how: &str, tasks: u32, increments: u32, count: u64, wall: Duration) {
    let total = u64::from(tasks) * u64::from(increments);
    #[allow(clippy::cast_precision_loss, reason = "at most ten million increments")]
    let each = wall.div_f64(total as f64);
    let lost = if count == total {
        String::new()
    } else {
        format!(" (counted {count}: wrong)")
    };
    let (how, work) = (
        format!("{how}:"),
        format!("{tasks} tasks × {increments} increments = {total}{lost}"),
    );
    println!("  {how:<12} {work} in {wall:.1?}, {each:.1?} per increment");
}
