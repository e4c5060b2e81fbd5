// An `Rc` moved to another thread. Rust refuses to compile this: `Rc` is not `Send`.
// `cargo test --workspace --test lessons lesson_07::` checks that it still fails, and why.
use std::rc::Rc;
use std::thread;

fn main() {
    let name = Rc::new(String::from("report.txt"));
    let for_the_thread = Rc::clone(&name);
    let handle = thread::spawn(move || {
        println!("the thread has {for_the_thread}");
    });
    handle.join().unwrap();
    println!("main has {name}");
}
