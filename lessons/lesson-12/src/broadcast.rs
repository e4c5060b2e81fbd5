//! Part 6: `broadcast` gives every receiver every message; a receiver that falls more than the
//! channel's capacity behind loses the oldest ones, and is told how many.

use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

// ANCHOR: lagged
pub async fn fan_out_with_a_slow_receiver() {
    let (news, mut fast) = broadcast::channel(4); // keeps the last 4 messages
    let mut slow = news.subscribe();
    let mut fast_got = Vec::new();
    for n in 1..=10 {
        news.send(n).expect("a receiver is alive");
        fast_got.push(fast.recv().await.expect("it was just sent"));
    }
    drop(news); // no more messages: a receiver reads what is left, then `Closed`
    println!("the fast receiver got {fast_got:?}");
    let mut slow_got = Vec::new();
    loop {
        match slow.recv().await {
            Ok(n) => slow_got.push(n),
            Err(RecvError::Lagged(missed)) => {
                println!("the slow receiver lagged: {missed} messages were dropped for it");
            }
            Err(RecvError::Closed) => break,
        }
    }
    println!("then it got {slow_got:?}");
}
// ANCHOR_END: lagged
