//! Part 4: a thread that panics holding a `Mutex` poisons it; the data can still be recovered.

use std::panic;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: poisoning
pub fn poison_then_recover() {
    let shelves = Arc::new(Mutex::new([10, 10])); // move 5 from shelf 0 to shelf 1
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {})); // this panic is on purpose: keep stderr quiet
    let for_the_thread = Arc::clone(&shelves);
    let moved = thread::spawn(move || {
        let mut shelves = for_the_thread.lock().unwrap();
        shelves[0] -= 5;
        panic!("the forklift broke down"); // before `shelves[1] += 5`
    })
    .join();
    panic::set_hook(previous_hook);
    let why = moved.unwrap_err();
    println!(
        "the mover panicked: {:?}",
        why.downcast_ref::<&str>().unwrap()
    );
    match shelves.lock() {
        Ok(_) => println!("lock() succeeded: not poisoned"),
        Err(poisoned) => {
            println!("lock() returned Err(PoisonError): a thread panicked holding it");
            let mut guard = poisoned.into_inner(); // the guard, and the data as the panic left it
            println!(
                "into_inner() gives the data anyway: {:?}, 5 items missing",
                *guard
            );
            guard[1] += 5; // finish the move: the data is whole again
        }
    }
    shelves.clear_poison(); // say so: later lock() calls succeed
    println!("repaired, clear_poison(): {:?}", *shelves.lock().unwrap());
}
// ANCHOR_END: poisoning
