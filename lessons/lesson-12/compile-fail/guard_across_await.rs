// A std `MutexGuard` held across an `.await`, in a future that must be `Send` (as every future
// handed to `tokio::spawn` on a multi-threaded runtime must). Rust refuses to compile this.
// `cargo test --workspace --test lessons lesson_12::` checks that it still fails, and why.
use std::sync::{Arc, Mutex};

/// Asks of its future what `tokio::spawn` asks: it may move to another thread.
fn spawn<F: Future<Output = ()> + Send + 'static>(future: F) {
    drop(future);
}

async fn save(count: u64) {
    println!("saving {count}");
}

fn main() {
    let counter = Arc::new(Mutex::new(0_u64));
    spawn(async move {
        let mut count = counter.lock().unwrap();
        *count += 1;
        save(*count).await; // the guard is still alive here
    });
}
