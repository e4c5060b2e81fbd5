//! What the checks of lesson 06 share: running the learner's function on a thread of its own, so
//! that a check can let the jobs finish first and then wait for the function to return, for a
//! bounded time, with its panic caught and told.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

/// How a run ended, when it did not return its results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// It panicked, with this message.
    Panicked(String),
    /// It had not returned when the patience ran out.
    TimedOut,
}

/// The learner's function, running on a thread of its own (see [`run_on_its_own_thread`]).
#[derive(Debug)]
pub struct Running<R> {
    returned: Receiver<Result<R, String>>,
}

/// Starts `run` on a thread of its own, its panic caught.
pub fn run_on_its_own_thread<R: Send + 'static>(
    run: impl FnOnce() -> R + Send + 'static,
) -> Running<R> {
    let (done, returned) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(run));
        let _ = done.send(result.map_err(|payload| panic_message(&*payload)));
    });
    Running { returned }
}

impl<R> Running<R> {
    /// What it returned, waiting for it `patience` at most.
    pub fn wait(self, patience: Duration) -> Result<R, Stopped> {
        match self.returned.recv_timeout(patience) {
            Ok(Ok(results)) => Ok(results),
            Ok(Err(message)) => Err(Stopped::Panicked(message)),
            Err(_) => Err(Stopped::TimedOut),
        }
    }
}

/// The message of a panic, from its payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_returns_panics_or_runs_out_of_patience() {
        assert_eq!(
            run_on_its_own_thread(|| 7).wait(Duration::from_secs(5)),
            Ok(7)
        );
        let panicked = run_on_its_own_thread(|| -> u8 { panic!("no") });
        assert_eq!(
            panicked.wait(Duration::from_secs(5)),
            Err(Stopped::Panicked("no".to_string()))
        );
        let slow = run_on_its_own_thread(|| thread::sleep(Duration::from_millis(500)));
        assert_eq!(slow.wait(Duration::from_millis(10)), Err(Stopped::TimedOut));
    }
}
