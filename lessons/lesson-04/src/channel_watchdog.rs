//! The watchdog of part 3, kept out of the listing. `collect_squares` is the plain loop a learner
//! writes, `for square in inbox`; run on main while main still holds a `Sender`, it would wait
//! forever. The watchdog runs it on a thread of its own, so that main stays free to watch, and
//! steps in when the loop can never end.

use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};
use std::time::Instant;

/// Runs `collect` (a loop over the channel's receiving end) on a thread of its own and returns
/// what it collected. `own_sender` is main's own `Sender`, if main has not dropped it.
///
/// No timeout is guessed. Once every worker has finished, each has sent its square and dropped
/// its `Sender`: if main still holds one, the channel cannot close, so the loop cannot end until
/// main drops it. The watchdog says so, then drops it for main, and the loop ends.
pub fn collect<T: Send + 'static>(
    workers: Vec<JoinHandle<()>>,
    own_sender: Option<Sender<T>>,
    collect: impl FnOnce() -> Vec<T> + Send + 'static,
) -> Vec<T> {
    let started = Instant::now();
    let collector = thread::spawn(collect);
    let Some(own_sender) = own_sender else {
        let collected = collector.join().unwrap();
        println!("the channel closed once every Sender was dropped");
        return collected;
    };
    for worker in workers {
        worker.join().unwrap();
    }
    println!("watchdog: every worker has finished, yet the channel is still open;");
    println!(
        "  main waits for a Sender that main itself holds (seen after {:.1?})",
        started.elapsed()
    );
    drop(own_sender); // the channel closes: the loop ends with every square in it
    collector.join().unwrap()
}
