//! The CPU-time measure in a test program of its own: the process's CPU time counts every thread,
//! so the other unit tests of course-checks (which parse every solution with syn) must not run
//! beside these, as no other check runs beside an exercise's under verify.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use course_checks::cpu::{SLEEPING_WAIT, measure};

const WAIT: Duration = Duration::from_millis(200);

/// The process's CPU time is shared by its threads: these tests take turns, as verify runs
/// an exercise's checks.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_blocking_wait_burns_almost_nothing() {
    let _turn = ONE_AT_A_TIME.lock();
    let (sender, receiver) = mpsc::channel();
    // The sleeper starts inside the measure: started before it, its sleep could begin before
    // the measure's clock did, and the wait would measure a few microseconds under WAIT.
    let ((), cost) = measure(|| {
        let sleeper = thread::spawn(move || {
            thread::sleep(WAIT);
            sender.send(()).unwrap();
        });
        receiver.recv().unwrap();
        sleeper.join().unwrap();
    });
    assert!(cost.wall >= WAIT, "{cost:?}");
    assert!(cost.cores_busy() < SLEEPING_WAIT, "{cost:?}");
}

#[test]
fn a_polling_wait_burns_a_core() {
    let _turn = ONE_AT_A_TIME.lock();
    let (sender, receiver) = mpsc::channel();
    let sleeper = thread::spawn(move || {
        thread::sleep(WAIT);
        sender.send(()).unwrap();
    });
    // A spin, not `yield_now`: on a core shared with a busy program, a loop that yields gives
    // almost all its time away and burns next to nothing, which is not what this measures.
    let ((), cost) = measure(|| {
        while receiver.try_recv().is_err() {
            std::hint::spin_loop();
        }
    });
    sleeper.join().unwrap();
    assert!(cost.cores_busy() > SLEEPING_WAIT, "{cost:?}");
}
