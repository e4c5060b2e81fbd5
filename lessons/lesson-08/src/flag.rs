//! Publishing a value through a flag: one thread writes the data and then raises the flag; another
//! reads the data once it sees the flag. Whether it sees the *new* data depends on the orderings.
//!
//! Written once against `crate::sync`, so the loom tests check this same file.

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::{Arc, thread};

// ANCHOR: mailbox
/// One value, written once, and a flag that says it is there.
#[derive(Debug)]
pub struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Self {
        Self {
            data: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    /// Writes `value`, then raises the flag. `flag_store` is `Release` (or `Relaxed`, to break it).
    pub fn publish(&self, value: u64, flag_store: Ordering) {
        self.data.store(value, Ordering::Relaxed);
        self.ready.store(true, flag_store);
    }

    /// The value, if the flag is up. `flag_load` is `Acquire` (or `Relaxed`, to break it).
    pub fn try_read(&self, flag_load: Ordering) -> Option<u64> {
        if self.ready.load(flag_load) {
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: mailbox

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

/// The value the writer publishes; the mailbox starts at 0, so a reader that reads 0 after
/// seeing the flag read stale data.
pub const PUBLISHED: u64 = 42;

// ANCHOR: publish_and_read
/// A writer thread publishes [`PUBLISHED`]; main waits for the flag and returns what it read.
pub fn publish_and_read(flag_store: Ordering, flag_load: Ordering) -> u64 {
    let mailbox = Arc::new(Mailbox::new());
    let writer = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.publish(PUBLISHED, flag_store))
    };
    let seen = loop {
        if let Some(value) = mailbox.try_read(flag_load) {
            break value;
        }
        // Not there yet: let the writer run (it may be waiting for this very core).
        thread::yield_now();
    };
    writer.join().unwrap();
    seen
}
// ANCHOR_END: publish_and_read
