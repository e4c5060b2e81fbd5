//! Lesson 01: a basic thread. Run it with `cargo run -p lesson-01`; `--help` lists the flags.
mod cli;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use cli::{Args, Part};

// ANCHOR: basic
fn print_numbers(pause: Duration) {
    for i in 0..5 {
        println!("Number: {i}");
        thread::sleep(pause);
    }
}

fn start_and_join(pause: Duration) {
    let started = Instant::now();
    let handle = thread::spawn(move || print_numbers(pause));
    handle.join().unwrap(); // main waits here until the thread returns
    println!("Thread has finished executing");
    println!("main waited {:.1?} for it", started.elapsed());
}
// ANCHOR_END: basic

// ANCHOR: return_value
fn sum_on_a_thread(pause: Duration) {
    let handle = thread::spawn(move || {
        let mut sum = 0;
        for i in 0..5 {
            sum += i;
            thread::sleep(pause);
        }
        sum // the closure's result travels back through the JoinHandle
    });
    let sum: u32 = handle.join().unwrap();
    println!("The thread returned {sum}");
}
// ANCHOR_END: return_value

// ANCHOR: move_closure
fn move_data_into_thread(pause: Duration) {
    let files = vec!["file1.zip".to_string(), "file2.zip".to_string()];
    // `move` hands `files` to the thread: the thread may outlive this function.
    let handle = thread::spawn(move || {
        for name in &files {
            println!("The thread owns {name}");
            thread::sleep(pause);
        }
        files.len()
    });
    // `files` belongs to the thread now; using it here would not compile (E0382).
    let count = handle.join().unwrap();
    println!("The thread handled {count} files");
}
// ANCHOR_END: move_closure

// ANCHOR: scope
fn sum_halves_in_a_scope(pause: Duration) {
    let numbers = vec![1, 2, 3, 4, 5, 6];
    let (left, right) = numbers.split_at(numbers.len() / 2);
    // Scoped threads may borrow `left` and `right`: the scope joins them before it returns.
    let (left_sum, right_sum) = thread::scope(|s| {
        let left_handle = s.spawn(|| {
            thread::sleep(pause);
            left.iter().sum::<i32>()
        });
        let right_handle = s.spawn(|| right.iter().sum::<i32>());
        (left_handle.join().unwrap(), right_handle.join().unwrap())
    });
    println!("Left half sums to {left_sum}, right half to {right_sum}");
    println!("numbers is still usable here: {numbers:?}");
}
// ANCHOR_END: scope

// ANCHOR: names
fn named_threads(pause: Duration) {
    let handles: Vec<_> = ["downloader", "unzipper"]
        .into_iter()
        .map(|name| {
            thread::Builder::new()
                .name(name.to_string())
                .spawn(move || {
                    thread::sleep(pause);
                    let me = thread::current();
                    format!("Hello from {:?}, id {:?}", me.name().unwrap(), me.id())
                })
                .unwrap()
        })
        .collect();
    for handle in handles {
        println!("{}", handle.join().unwrap()); // joined in spawn order, so lines never swap
    }
    println!(
        "main itself runs on {:?}",
        thread::current().name().unwrap()
    );
}
// ANCHOR_END: names

// ANCHOR: no_join
fn end_main_without_join(pause: Duration) {
    let (lines, printed_by_main) = mpsc::channel();
    thread::spawn(move || {
        for i in 0..5 {
            let _ = lines.send(format!("Number: {i}"));
            thread::sleep(pause);
        }
        let _ = lines.send("Thread has finished executing".to_string());
    });
    // main prints the thread's first two lines, then returns without join.
    for line in printed_by_main.iter().take(2) {
        println!("{line}");
    }
    println!("main returns without join: the process ends, the thread with it");
}
// ANCHOR_END: no_join

fn main() {
    let args: Args = course_support::parse_args();
    for part in args.parts.announced() {
        match part {
            Part::Basic => start_and_join(args.pause_ms),
            Part::ReturnValue => sum_on_a_thread(args.pause_ms),
            Part::Move => move_data_into_thread(args.pause_ms),
            Part::Scope => sum_halves_in_a_scope(args.pause_ms),
            Part::Names => named_threads(args.pause_ms),
            Part::NoJoin => end_main_without_join(args.pause_ms),
        }
    }
}
