//! Lesson 07: shared state. Run it with `cargo run -p lesson-07`; `--help` lists the flags.
//!
//! Each part of the lesson is a module of its own, named by what it teaches; `main` runs them in
//! order.
mod barrier;
mod bounded_queue;
mod cli;
mod condvar;
mod lock_scope;
mod mutex_vs_rwlock;
mod once;
mod poisoning;
mod rounds;
mod send_sync;
mod thread_local;

use cli::{Args, Part};

// ANCHOR: parts
fn main() {
    let args: Args = course_support::parse_args();
    for part in args.parts.announced() {
        match part {
            Part::SendAndSync => send_sync::send_and_sync(),
            Part::MutexOrRwlock => {
                mutex_vs_rwlock::compare_mutex_and_rwlock(args.readers, args.lookups);
            }
            Part::LockScope => lock_scope::show_lock_scope(args.pause_ms),
            Part::Poisoning => poisoning::poison_then_recover(),
            Part::Condvar => {
                condvar::queue_with_a_slow_consumer(args.pause_ms);
                condvar::sync_channel_with_a_slow_consumer(args.pause_ms);
            }
            Part::Barrier => barrier::two_phases(args.pause_ms),
            Part::Once => once::set_up_once(),
            Part::ThreadLocal => thread_local::one_counter_per_thread(),
        }
    }
}
// ANCHOR_END: parts
