//! Part 6: what `async fn` becomes: a state machine whose size is what it keeps across an
//! `.await`, and which must not move once polled, since it may borrow from itself.

use std::future::Future;
use std::mem::size_of_val;
use std::pin::pin;
use std::task::{Context, Waker};

use crate::executor::YieldNow;

// ANCHOR: async_fns
async fn nothing_kept() {
    YieldNow::default().await;
}

async fn buffer_kept_across_await() -> usize {
    let buffer = [1u8; 1024];
    YieldNow::default().await; // paused here: the buffer must be kept inside the future
    buffer.iter().map(|&b| usize::from(b)).sum()
}

async fn buffer_dropped_before_await() -> usize {
    let sum = {
        let buffer = [1u8; 1024];
        buffer.iter().map(|&b| usize::from(b)).sum()
    }; // the buffer is gone before the pause: only `sum` is kept
    YieldNow::default().await;
    sum
}

async fn borrow_kept_across_await() -> usize {
    let buffer = [1u8; 16];
    let first_half = &buffer[..8]; // a borrow of the future's own local...
    YieldNow::default().await; // ...kept across the pause: the future borrows from itself
    first_half.len()
}
// ANCHOR_END: async_fns

// ANCHOR: what_async_fn_becomes
pub fn what_async_fn_becomes() {
    let kept = size_of_val(&buffer_kept_across_await());
    let dropped = size_of_val(&buffer_dropped_before_await());
    println!(
        "nothing_kept(): {} bytes in memory",
        size_of_val(&nothing_kept())
    );
    println!("buffer_kept_across_await(): {kept} bytes in memory");
    println!("buffer_dropped_before_await(): {dropped} bytes in memory");
    println!("holds its 1024-byte buffer: {}", kept > 1024);
    println!("holds no buffer: {}", dropped < 1024);

    // Polled by hand: first pinned, so that it cannot move while it borrows from itself.
    let mut future = pin!(borrow_kept_across_await());
    let mut cx = Context::from_waker(Waker::noop());
    println!(
        "borrow_kept_across_await(), poll 1: {:?}",
        future.as_mut().poll(&mut cx)
    );
    println!(
        "borrow_kept_across_await(), poll 2: {:?}",
        future.as_mut().poll(&mut cx)
    );
}
// ANCHOR_END: what_async_fn_becomes
