// A future that borrows from itself, polled by hand without pinning it first. Rust refuses to
// compile this: the future is not `Unpin`, so `Pin::new` will not take it.
// `cargo test --workspace --test lessons lesson_11::` checks that it still fails, and why.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

async fn borrow_kept_across_await() -> usize {
    let buffer = [1u8; 16];
    let first_half = &buffer[..8]; // a borrow of the future's own local...
    std::future::ready(()).await; // ...kept across the pause
    first_half.len()
}

fn main() {
    let mut future = borrow_kept_across_await();
    let mut cx = Context::from_waker(Waker::noop());
    let _ = Pin::new(&mut future).poll(&mut cx); // would let it move between two polls
}
