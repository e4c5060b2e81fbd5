//! A stage for replaying one interleaving on purpose (lesson 03's replays, and the `--play` games of
//! lessons 03 and 04): each thread runs only when main says "go",
//! and reports what it did over its own channel, which only main reads. So the order of steps, and
//! the order of the printed lines, is decided by main's script, never by the scheduler.

use std::io::{self, BufRead, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long main waits for a thread's next report before it calls the replay stuck.
const WATCHDOG: Duration = Duration::from_secs(10);

/// What a thread on the stage tells main.
#[derive(Debug)]
enum Report {
    Line(String),
    Paused,
    Finished,
}

/// The thread's side: say what happened, pause until main says go.
#[derive(Debug)]
pub struct Turn {
    go: Receiver<()>,
    reports: Sender<Report>,
}

impl Turn {
    pub fn say(&self, line: String) {
        let _ = self.reports.send(Report::Line(line));
    }

    /// Waits until main lets this thread take its next step.
    pub fn pause(&self) {
        let _ = self.reports.send(Report::Paused);
        // An error means main has gone; then there is nobody left to wait for.
        let _ = self.go.recv();
    }
}

#[derive(Debug)]
struct Actor {
    name: &'static str,
    go: Sender<()>,
    reports: Receiver<Report>,
    handle: JoinHandle<()>,
}

/// Main's side: starts the threads, lets them step, prints their reports.
#[derive(Debug)]
pub struct Stage {
    actors: Vec<Actor>,
    step_pause: Duration,
}

impl Stage {
    /// `step_pause` is how long main waits after each printed step, so that a reader can follow.
    pub fn new(step_pause: Duration) -> Self {
        Stage {
            actors: Vec::new(),
            step_pause,
        }
    }

    /// Starts a thread called `name` that waits for its first "go" before it runs `script`.
    pub fn enter(&mut self, name: &'static str, script: impl FnOnce(&Turn) + Send + 'static) {
        let (go, go_rx) = mpsc::channel();
        let (reports_tx, reports) = mpsc::channel();
        let handle = thread::spawn(move || {
            let turn = Turn {
                go: go_rx,
                reports: reports_tx,
            };
            if turn.go.recv().is_ok() {
                script(&turn);
                let _ = turn.reports.send(Report::Finished);
            }
        });
        self.actors.push(Actor {
            name,
            go,
            reports,
            handle,
        });
    }

    fn actor(&self, name: &str) -> &Actor {
        self.actors
            .iter()
            .find(|actor| actor.name == name)
            .unwrap_or_else(|| panic!("no thread called {name} on the stage"))
    }

    /// Lets `name` take its next step, without waiting for it.
    pub fn let_go(&self, name: &str) {
        self.actor(name)
            .go
            .send(())
            .unwrap_or_else(|_| panic!("{name} has already finished"));
    }

    /// Prints what `name` reports until it pauses or finishes; returns `true` if it finished.
    pub fn print_until_it_stops(&self, name: &str) -> bool {
        let actor = self.actor(name);
        loop {
            match actor.reports.recv_timeout(WATCHDOG) {
                Ok(Report::Line(line)) => {
                    println!("  {line}");
                    thread::sleep(self.step_pause);
                }
                Ok(Report::Paused) => return false,
                Ok(Report::Finished) => return true,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("{name} reported nothing for {WATCHDOG:?}: the replay is stuck")
                }
                Err(RecvTimeoutError::Disconnected) => panic!("{name} stopped without finishing"),
            }
        }
    }

    /// Lets `name` take its next step and prints what it reports until it pauses or finishes;
    /// returns `true` if it finished.
    pub fn step(&self, name: &str) -> bool {
        self.let_go(name);
        self.print_until_it_stops(name)
    }

    /// Waits for every thread on the stage to end.
    pub fn close(self) {
        for actor in self.actors {
            drop(actor.go); // a thread still waiting for "go" now stops waiting
            actor.handle.join().unwrap();
        }
    }
}

/// The moves of `--moves`: letters A and B, in any case; anything else is a usage error.
pub fn parse_moves(arg: &str) -> Result<String, String> {
    let moves = arg.trim().to_ascii_uppercase();
    match moves.chars().find(|c| !matches!(c, 'A' | 'B')) {
        Some(other) => Err(format!(
            "{other:?} is not a move: a move is A or B, the thread that takes its next step"
        )),
        None if moves.is_empty() => Err("give at least one move, such as ABAB".to_string()),
        None => Ok(moves),
    }
}

/// Where the moves of a `--play` game come from: `--moves`, or standard input, one per line.
#[derive(Debug)]
pub enum Moves {
    Given(std::vec::IntoIter<char>),
    Typed(io::StdinLock<'static>),
}

/// What the player asked for.
#[derive(Debug)]
pub enum Move {
    /// Thread A (0) or B (1) takes its next step.
    Step(usize),
    /// `?`: the player asks for help.
    Help,
    /// `q`: the player stops the game.
    Quit,
    /// Anything else typed, in upper case.
    Unknown(String),
    /// No move left: the end of `--moves`, or of standard input.
    NoMore,
}

impl Moves {
    /// The moves of `--moves`, or, without it, the lines typed on standard input.
    pub fn new(given: Option<&str>) -> Self {
        match given {
            Some(given) => Moves::Given(given.chars().collect::<Vec<_>>().into_iter()),
            None => Moves::Typed(io::stdin().lock()),
        }
    }

    /// The next thread to move (0 for A, 1 for B), after answering `?` with `help` and a word
    /// that is no move with how to move; `None` when the player quits or the moves run out, after
    /// saying that the game stops.
    pub fn next_step(&mut self, help: impl Fn()) -> Option<usize> {
        loop {
            match self.next_move() {
                Move::Step(thread) => return Some(thread),
                Move::Help => help(),
                Move::Unknown(text) => println!(
                    "{text:?} is not a move: type A or B, then Enter (? for help, q to quit)."
                ),
                Move::Quit | Move::NoMore => {
                    println!("The game stops here, with the goal not reached.");
                    return None;
                }
            }
        }
    }

    /// The next move; a given move is echoed as `> A`, a typed one is asked for.
    pub fn next_move(&mut self) -> Move {
        match self {
            Moves::Given(moves) => match moves.next() {
                Some(letter) => {
                    println!("> {letter}");
                    Move::Step(usize::from(letter == 'B'))
                }
                None => Move::NoMore,
            },
            Moves::Typed(input) => {
                print!("Your move (A or B; ? for help, q to quit): ");
                let _ = io::stdout().flush();
                let mut line = String::new();
                match input.read_line(&mut line) {
                    Ok(0) | Err(_) => {
                        println!();
                        Move::NoMore
                    }
                    Ok(_) => match line.trim().to_ascii_uppercase().as_str() {
                        "A" => Move::Step(0),
                        "B" => Move::Step(1),
                        "?" | "H" | "HELP" => Move::Help,
                        "Q" | "QUIT" => Move::Quit,
                        other => Move::Unknown(other.to_string()),
                    },
                }
            }
        }
    }
}
