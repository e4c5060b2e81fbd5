//! Lesson 02: threads for I/O — real HTTP downloads. Run it with `cargo run -p lesson-02`;
//! `--help` lists the flags.
mod cli;
mod download;
mod plan;

use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use cli::{Args, Part};
use download::{FileToGet, Outcome, Screen, download_file, report};
use plan::Plan;
use ureq::Agent;

// ANCHOR: sequential
fn download_one_after_another(
    agent: &Agent,
    files: &[FileToGet],
    out: &Path,
    screen: &Screen,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for file in files {
        screen.println(format!("Starting download of {}...", file.name));
        let outcome = download_file(agent, file, out, screen); // main waits for the whole file
        report(file, &outcome, screen); // "Finished downloading …"
        outcomes.push(outcome);
    }
    outcomes
}
// ANCHOR_END: sequential

// ANCHOR: threads
fn download_with_one_thread_per_file(
    agent: &Agent,
    files: &[FileToGet],
    out: &Path,
    screen: &Screen,
) -> Vec<Outcome> {
    let mut handles = Vec::new();
    for file in files {
        screen.println(format!("Starting download of {}...", file.name));
        // `thread::spawn` may outlive this function, so each thread gets owned copies.
        let (agent, file, out, screen) = (
            agent.clone(), // cheap: clones of an Agent share one connection pool
            file.clone(),
            out.to_path_buf(),
            screen.clone(),
        );
        handles.push(thread::spawn(move || {
            download_file(&agent, &file, &out, &screen)
        }));
    }
    // Joined in the order they were spawned: "Finished" lines come in that order,
    // whichever download really ended first.
    let mut outcomes = Vec::new();
    for (handle, file) in handles.into_iter().zip(files) {
        let outcome = handle.join().expect("a download thread panicked");
        report(file, &outcome, screen);
        outcomes.push(outcome);
    }
    outcomes
}
// ANCHOR_END: threads

// ANCHOR: scoped
fn download_in_scoped_threads(
    agent: &Agent,
    files: &[FileToGet],
    out: &Path,
    screen: &Screen,
) -> Vec<Outcome> {
    thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|file| {
                screen.println(format!("Starting download of {}...", file.name));
                // The scope outlives its threads, so they may borrow: no clones.
                scope.spawn(move || download_file(agent, file, out, screen))
            })
            .collect();
        handles
            .into_iter()
            .zip(files)
            .map(|(handle, file)| {
                let outcome = handle.join().expect("a download thread panicked");
                report(file, &outcome, screen);
                outcome
            })
            .collect()
    })
}
// ANCHOR_END: scoped

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = course_support::parse_args();
    let plan = match Plan::from_args(&args) {
        Ok(plan) => plan,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let screen = Screen::new();
    plan.describe(&screen);
    let (agent, files, out) = (&plan.agent, plan.files.as_slice(), plan.out());

    let mut one_after_another = None;
    let mut failed = 0;
    for part in args.parts.selected() {
        screen.announce_part(&course_support::heading(&part));
        let started = Instant::now();
        let outcomes = match part {
            Part::Sequential => download_one_after_another(agent, files, out, &screen),
            Part::Threads => download_with_one_thread_per_file(agent, files, out, &screen),
            Part::Scoped => download_in_scoped_threads(agent, files, out, &screen),
        };
        let wall = started.elapsed();
        failed += summarise(&outcomes, &screen);
        if part == Part::Sequential {
            one_after_another = Some(wall);
        }
        print_wall_time(part, wall, one_after_another, &screen);
    }
    if failed > 0 {
        eprintln!("error: {failed} download(s) failed; see the lines above");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main

/// Prints the article's closing line, or how many downloads failed, then with `--timeline` the
/// part's timeline; returns how many failed.
fn summarise(outcomes: &[Outcome], screen: &Screen) -> usize {
    let failed = outcomes.iter().filter(|outcome| outcome.is_err()).count();
    if failed == 0 {
        screen.println("All files have been downloaded.");
    } else {
        screen.println(format!(
            "{} of {} files downloaded; {failed} failed.",
            outcomes.len() - failed,
            outcomes.len()
        ));
    }
    screen.show_timeline();
    failed
}

// ANCHOR: wall_time
fn print_wall_time(
    part: Part,
    wall: Duration,
    one_after_another: Option<Duration>,
    screen: &Screen,
) {
    match one_after_another {
        Some(sequential) if part != Part::Sequential => screen.println(format!(
            "Wall time, {}: {wall:.1?} (speedup over one after another: ×{:.2})",
            part.label(),
            sequential.as_secs_f64() / wall.as_secs_f64()
        )),
        _ => screen.println(format!("Wall time, {}: {wall:.1?}", part.label())),
    }
}
// ANCHOR_END: wall_time
