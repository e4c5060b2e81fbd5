//! Lesson 12: tasks that share and talk (`tokio::sync`). Run it with `cargo run -p lesson-12`;
//! `--help` lists the flags.
//!
//! Each part of the lesson is a module of its own, named by what it teaches; `main` runs them in
//! order on one tokio runtime.
mod actor;
mod broadcast;
mod cli;
mod counter;
mod gauge;
mod mpsc_back_pressure;
mod semaphore;
mod std_mutex;
mod tokio_mutex;
mod watch;
mod watchdog;

use std::process::ExitCode;

use cli::{Args, Part};

// ANCHOR: parts
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    args.check_total();
    // What `#[tokio::main]` writes for you: a runtime with one worker thread per core.
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start tokio's runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let (pause, tasks, increments) = (args.pause_ms, args.tasks, args.increments);
    for part in args.parts.announced() {
        let finished = runtime.block_on(watchdog::within(pause, part, async move {
            match part {
                Part::StdMutex => std_mutex::guard_dropped_before_each_await().await,
                Part::TokioMutex => tokio_mutex::lock_held_across_an_await(pause).await,
                Part::Counter => counter::compare_three_counters(tasks, increments).await,
                Part::Mpsc => mpsc_back_pressure::fast_producer_slow_consumer(pause).await,
                Part::Actor => actor::an_actor_owns_the_store().await,
                Part::Broadcast => broadcast::fan_out_with_a_slow_receiver().await,
                Part::Watch => watch::only_the_latest_value().await,
                Part::Semaphore => semaphore::waves_against_a_semaphore(pause).await,
            }
        }));
        if !finished {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: parts
