// A `RefCell` shared by two threads through an `Arc`. Rust refuses to compile this: `RefCell` is
// not `Sync`. `cargo test --workspace --test lessons lesson_07::` checks that it still fails, and why.
use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

fn main() {
    let visits = Arc::new(RefCell::new(Vec::new()));
    let for_the_thread = Arc::clone(&visits);
    let handle = thread::spawn(move || {
        for_the_thread.borrow_mut().push("from the thread");
    });
    visits.borrow_mut().push("from main");
    handle.join().unwrap();
    println!("{:?}", visits.borrow());
}
