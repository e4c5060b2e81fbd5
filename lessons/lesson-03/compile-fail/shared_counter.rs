// The Python way: several threads add one to the same integer. Rust refuses to compile this.
// `cargo test --workspace --test lessons lesson_03::` checks that it still fails, and why.
use std::thread;

fn main() {
    let mut counter = 0;
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100_000 {
                    counter += 1;
                }
            });
        }
    });
    println!("{counter}");
}
