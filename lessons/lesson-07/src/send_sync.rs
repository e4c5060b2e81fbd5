//! Part 1: `Rc` and `RefCell` cannot cross threads; `Arc`, `Mutex` and atomics can.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

pub fn send_and_sync() {
    println!("Two programs that do not compile; see the compiler's words yourself:");
    println!("  rustc --edition 2024 lessons/lesson-07/compile-fail/rc_to_thread.rs");
    println!("  error E0277: `Rc<String>` cannot be sent between threads safely");
    println!("  rustc --edition 2024 lessons/lesson-07/compile-fail/refcell_in_arc.rs");
    println!("  error E0277: `RefCell<Vec<&str>>` cannot be shared between threads safely");
    println!("The tests check that both still fail, and why. The same programs, fixed:");
    arc_instead_of_rc();
    mutex_instead_of_refcell();
    atomic_instead_of_a_plain_counter();
}

// ANCHOR: fixes
fn arc_instead_of_rc() {
    let name = Arc::new(String::from("report.txt"));
    let for_the_thread = Arc::clone(&name); // Arc counts its owners with an atomic: Send
    let handle = thread::spawn(move || format!("the thread had {for_the_thread}"));
    let said = handle.join().unwrap();
    let owners = Arc::strong_count(&name); // the thread's clone is gone with the thread
    println!("  Arc:       {said}; main has {name}, owners now {owners}");
}

fn mutex_instead_of_refcell() {
    let visits = Arc::new(Mutex::new(Vec::new())); // Mutex<T> is Sync: one borrower at a time
    let for_the_thread = Arc::clone(&visits);
    let handle = thread::spawn(move || for_the_thread.lock().unwrap().push("from the thread"));
    visits.lock().unwrap().push("from main");
    handle.join().unwrap();
    let mut visits = visits.lock().unwrap().clone();
    visits.sort_unstable(); // which push came first is the scheduler's choice
    println!("  Mutex:     {visits:?}");
}

fn atomic_instead_of_a_plain_counter() {
    let hits = AtomicU32::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| hits.fetch_add(1, Ordering::Relaxed));
        }
    });
    println!(
        "  AtomicU32: 4 threads added one each: {}",
        hits.into_inner()
    );
}
// ANCHOR_END: fixes
