//! Part 7: `watch` keeps only the latest value; a receiver that looks late sees that one, not the
//! ones before it.

use tokio::sync::watch;

// ANCHOR: latest
pub async fn only_the_latest_value() {
    let (temperature, mut reader) = watch::channel(20);
    for degrees in [21, 22, 23, 24] {
        temperature.send(degrees).expect("a receiver is alive");
    }
    reader.changed().await.expect("the sender is alive");
    println!(
        "the receiver looks once and sees {} (21, 22 and 23 were replaced)",
        *reader.borrow_and_update()
    );
    let waiter = tokio::spawn(async move {
        reader.changed().await.expect("the sender is alive"); // waits for the next value
        *reader.borrow_and_update()
    });
    temperature.send(25).expect("a receiver is alive");
    println!(
        "a task waiting in changed() wakes with {}",
        waiter.await.expect("the task panicked")
    );
}
// ANCHOR_END: latest
