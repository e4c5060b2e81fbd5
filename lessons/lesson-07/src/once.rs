//! Part 7: `OnceLock` and `LazyLock` set a value up once, however many threads ask for it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, LazyLock, OnceLock};
use std::thread;

// ANCHOR: once
static LOADS: AtomicU32 = AtomicU32::new(0);
static SETTINGS: OnceLock<String> = OnceLock::new();
static SQUARES: LazyLock<Vec<u32>> = LazyLock::new(|| (1..=5).map(|n| n * n).collect());

fn settings() -> &'static str {
    SETTINGS.get_or_init(|| {
        LOADS.fetch_add(1, Ordering::Relaxed); // counts how often this closure ran
        String::from("queue capacity 2")
    })
}

pub fn set_up_once() {
    let start_together = Barrier::new(4);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                start_together.wait();
                settings() // all four ask at once; one runs the closure, the others wait for it
            });
        }
    });
    let loads = LOADS.load(Ordering::Relaxed);
    println!(
        "OnceLock: 4 threads asked for {:?}; it was loaded {loads} time",
        settings()
    );
    println!("LazyLock: SQUARES computed on first use: {:?}", *SQUARES);
}
// ANCHOR_END: once
