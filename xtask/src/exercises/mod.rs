//! `cargo xtask verify`, `hint`, `list`, `watch` and `reset`: the exercises of the course.
//!
//! An exercise is a folder, `lessons/<lesson>/exercises/<name>/`: a crate (package
//! `<lesson>-<name>`) whose `Cargo.toml` says under `[package.metadata.course]` its place among
//! the lesson's exercises (`order`), its hint, and a piece of the message its starter fails with;
//! no list elsewhere names it. It holds:
//!
//! - `src/lib.rs`, the learner's file, shipped as the starter;
//! - `solution/lib.rs`, the reference solution, a `[[test]]` target named `solution`, which also
//!   holds the starter's own lines (see [`starter`]): `reset` puts the starter back from it;
//! - `checks.rs`, the tests, declared by `#[cfg(test)] #[path = "../checks.rs"] mod checks;`,
//!   each `#[ignore = "checked by cargo xtask verify"]` so that `cargo test --workspace` passes
//!   with every exercise unsolved (verify runs them with `--include-ignored`, one at a time);
//! - its catalogue, `wrong/<case>.rs` and `right/<case>.rs` (see [`catalogue`]).
//!
//! An exercise is *done* when every check of its `checks.rs` passes against the learner's file
//! `src/lib.rs` within the timeout, and the checks leave no process running.

mod catalogue;
mod check;
mod run;
pub mod starter;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

pub use check::{Variant, Verdict, check};

/// One exercise, as its folder and its `Cargo.toml` describe it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Exercise {
    /// The folder's name.
    #[serde(skip)]
    pub name: String,
    /// The lesson's folder: `lesson-01`.
    #[serde(skip)]
    pub lesson: String,
    /// Its place among the lesson's exercises, from 1.
    pub order: u32,
    pub hint: String,
    /// A piece of the message the starter must fail with, so that it fails for the intended
    /// reason (`cargo xtask verify --solutions` checks it).
    pub starter_fails_with: String,
}

impl Exercise {
    pub fn dir(&self, root: &Path) -> PathBuf {
        root.join("lessons")
            .join(&self.lesson)
            .join("exercises")
            .join(&self.name)
    }

    pub fn package(&self) -> String {
        format!("{}-{}", self.lesson, self.name)
    }

    /// The file the learner edits.
    pub fn learner_file(&self, root: &Path) -> PathBuf {
        self.dir(root).join("src/lib.rs")
    }

    pub fn solution_file(&self, root: &Path) -> PathBuf {
        self.dir(root).join("solution/lib.rs")
    }

    /// The learner's file as shipped, from the solution's `//~ starter:` regions.
    pub fn starter(&self, root: &Path) -> Result<String> {
        let path = self.solution_file(root);
        let solution =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        starter::starter_of(&solution).with_context(|| format!("in {}", path.display()))
    }

    /// Whether the crate has a `[[bin]]` (a worker program the checks start).
    pub fn has_worker(&self, root: &Path) -> bool {
        fs::read_to_string(self.dir(root).join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.contains("[[bin]]"))
    }

    /// The path of the learner's file relative to the workspace root, for messages.
    pub fn learner_path(&self) -> String {
        format!("lessons/{}/exercises/{}/src/lib.rs", self.lesson, self.name)
    }
}

/// Every exercise of the course, in course order: each folder `lessons/lesson-*/exercises/*`,
/// by lesson and then by its `order`. A folder that is not a complete exercise is an error that
/// names it and what it lacks.
pub fn load(root: &Path) -> Result<Vec<Exercise>> {
    let mut exercises = Vec::new();
    for lesson in sorted_folders(&root.join("lessons"))? {
        if !lesson.starts_with("lesson-") {
            continue;
        }
        let dir = root.join("lessons").join(&lesson).join("exercises");
        if !dir.is_dir() {
            continue;
        }
        let mut of_lesson: Vec<Exercise> = Vec::new();
        for name in sorted_folders(&dir)? {
            let exercise = read_exercise(&dir.join(&name), &lesson, &name)?;
            if let Some(same) = of_lesson.iter().find(|e| e.order == exercise.order) {
                bail!(
                    "lessons/{lesson}/exercises: {} and {} both have order = {}; give each \
                     exercise its own place in the lesson",
                    same.name,
                    exercise.name,
                    exercise.order
                );
            }
            of_lesson.push(exercise);
        }
        of_lesson.sort_by_key(|exercise| exercise.order);
        exercises.extend(of_lesson);
    }
    Ok(exercises)
}

/// The names of the folders in `dir`, sorted.
fn sorted_folders(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir()
            && let Ok(name) = entry.file_name().into_string()
        {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The exercise in folder `dir`: its `Cargo.toml`'s `[package.metadata.course]`.
fn read_exercise(dir: &Path, lesson: &str, name: &str) -> Result<Exercise> {
    let shown = format!("lessons/{lesson}/exercises/{name}");
    // `src/lib.rs` may be missing: a learner may have deleted it, and every command puts it back.
    for file in ["Cargo.toml", "checks.rs", "solution/lib.rs"] {
        if !dir.join(file).is_file() {
            bail!(
                "{shown} has no {file}: every folder under exercises/ is an exercise (see the \
                 README, \"Adding an exercise\")"
            );
        }
    }
    let text = fs::read_to_string(dir.join("Cargo.toml"))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {shown}/Cargo.toml"))?;
    let package = manifest.get("package");
    let expected = format!("{lesson}-{name}");
    if package
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str)
        != Some(&expected)
    {
        bail!("{shown}/Cargo.toml: the package must be called {expected}");
    }
    let course = package
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("course"))
        .with_context(|| {
            format!(
                "{shown}/Cargo.toml has no [package.metadata.course] with `order`, `hint` and \
                 `starter-fails-with`"
            )
        })?;
    let mut exercise: Exercise = course.clone().try_into().map_err(|error| {
        anyhow::anyhow!("{shown}/Cargo.toml: [package.metadata.course]: {error}")
    })?;
    if exercise.hint.trim().is_empty() || exercise.starter_fails_with.trim().is_empty() {
        bail!("{shown}/Cargo.toml: `hint` and `starter-fails-with` must say something");
    }
    exercise.name = name.to_string();
    exercise.lesson = lesson.to_string();
    Ok(exercise)
}

/// The exercise called `name`, or a message listing the valid names (exit code 2).
fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise, ExitCode> {
    exercises.iter().find(|e| e.name == name).ok_or_else(|| {
        eprintln!("error: there is no exercise called '{name}'. The exercises are:");
        for exercise in exercises {
            eprintln!("  {:<24} ({})", exercise.name, exercise.lesson);
        }
        ExitCode::from(2)
    })
}

/// Remembers which exercises passed, keyed by the content of the learner's file and checks, so
/// that `verify` can show progress and `list` need not re-run what has not changed. Kept in
/// `target/`, never next to the learner's files.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    done: HashMap<String, u64>,
}

impl Progress {
    fn path(root: &Path) -> PathBuf {
        root.join("target/xtask/exercise-progress.json")
    }

    fn load(root: &Path) -> Self {
        fs::read_to_string(Self::path(root))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Applies `change` to the progress on disk and returns the result. Several verify may run
    /// at once: each takes a lock, re-reads the file, changes it and replaces it whole (a
    /// rename), so that none loses another's result and a reader never sees half a file.
    fn update(root: &Path, change: impl FnOnce(&mut Self)) -> Self {
        let path = Self::path(root);
        if let Some(dir) = path.parent() {
            let _ = fs::create_dir_all(dir);
        }
        let lock = fs::File::create(path.with_extension("lock"));
        if let Ok(lock) = &lock {
            let _ = lock.lock();
        }
        let mut progress = Self::load(root);
        change(&mut progress);
        if let Ok(text) = serde_json::to_string_pretty(&progress) {
            let temporary = path.with_extension(format!("json.{}", std::process::id()));
            if fs::write(&temporary, text).is_ok() {
                let _ = fs::rename(&temporary, &path);
            }
        }
        // Dropping the file releases the lock.
        drop(lock);
        progress
    }

    fn fingerprint(root: &Path, exercise: &Exercise) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut hasher = DefaultHasher::new();
        for file in [
            exercise.learner_file(root),
            exercise.dir(root).join("checks.rs"),
        ] {
            fs::read(file).unwrap_or_default().hash(&mut hasher);
        }
        hasher.finish()
    }

    fn is_done(&self, root: &Path, exercise: &Exercise) -> bool {
        self.done.get(&exercise.name) == Some(&Self::fingerprint(root, exercise))
    }

    fn record(&mut self, root: &Path, exercise: &Exercise, done: bool) {
        if done {
            self.done
                .insert(exercise.name.clone(), Self::fingerprint(root, exercise));
        } else {
            self.done.remove(&exercise.name);
        }
    }
}

/// `cargo xtask verify [NAME]`: checks the exercises in course order and stops at the first one
/// that is not done (or checks only NAME).
pub fn verify(root: &Path, name: Option<&str>, timeout: Duration) -> Result<ExitCode> {
    let exercises = load(root)?;
    let selected: Vec<&Exercise> = match name {
        Some(name) => match find(&exercises, name) {
            Ok(exercise) => vec![exercise],
            Err(code) => return Ok(code),
        },
        None => exercises.iter().collect(),
    };
    let mut progress = Progress::load(root);
    for exercise in selected {
        restore_if_missing(root, exercise)?;
        let started = Instant::now();
        // Built before the line is printed: a first build shows cargo's progress lines.
        let built = check::build(root, exercise, Variant::Learner)?;
        print!("Checking {} ({}) ... ", exercise.name, exercise.lesson);
        let _ = io::stdout().flush();
        let verdict = check::run_built(root, exercise, built, timeout)?;
        progress = Progress::update(root, |p| p.record(root, exercise, verdict.is_done()));
        println!(
            "{} ({:.1} s)",
            verdict.headline(),
            started.elapsed().as_secs_f64()
        );
        if !verdict.is_done() {
            println!();
            println!("{}", verdict.explain(true));
            println!();
            println!("Edit:     {}", exercise.learner_path());
            println!("Hint:     cargo xtask hint {}", exercise.name);
            println!("Again:    cargo xtask verify {}", exercise.name);
            print_progress(root, &exercises, &progress);
            return Ok(ExitCode::FAILURE);
        }
    }
    print_progress(root, &exercises, &progress);
    if name.is_none() {
        println!("Every exercise is done. Well done!");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_progress(root: &Path, exercises: &[Exercise], progress: &Progress) {
    let done = exercises
        .iter()
        .filter(|e| progress.is_done(root, e))
        .count();
    println!("Progress: {done}/{} done", exercises.len());
}

/// `cargo xtask hint NAME`.
pub fn hint(root: &Path, name: &str) -> Result<ExitCode> {
    let exercises = load(root)?;
    let exercise = match find(&exercises, name) {
        Ok(exercise) => exercise,
        Err(code) => return Ok(code),
    };
    println!("Hint for {} ({}):\n", exercise.name, exercise.lesson);
    println!("{}", exercise.hint.trim_end());
    println!("\nYour file: {}", exercise.learner_path());
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask list`: a table of every exercise and whether it is done. Exercises whose file
/// changed since they were last checked are checked again.
pub fn list(root: &Path, timeout: Duration) -> Result<ExitCode> {
    let exercises = load(root)?;
    for exercise in &exercises {
        restore_if_missing(root, exercise)?;
    }
    let mut progress = Progress::load(root);
    // Every exercise whose file changed is built in one cargo call (both cores at work), then
    // checked one by one. A file still as shipped needs no check: `verify --solutions` proves
    // that every starter fails.
    let to_check: Vec<&Exercise> = exercises
        .iter()
        .filter(|exercise| !progress.is_done(root, exercise) && !untouched(root, exercise))
        .collect();
    let mut built: HashMap<String, Result<PathBuf, String>> = HashMap::new();
    if !to_check.is_empty() {
        for (exercise, program) in
            to_check
                .iter()
                .zip(check::build_all(root, &to_check, Variant::Learner)?)
        {
            built.insert(exercise.name.clone(), program);
        }
    }
    println!(
        "{:<4}{:<24}{:<11}{:<13}File",
        "", "Exercise", "Lesson", "State"
    );
    for (number, exercise) in exercises.iter().enumerate() {
        if let Some(program) = built.remove(&exercise.name) {
            let verdict = check::run_built(root, exercise, program, timeout)?;
            progress = Progress::update(root, |p| p.record(root, exercise, verdict.is_done()));
        }
        let state = if progress.is_done(root, exercise) {
            "done"
        } else if untouched(root, exercise) {
            "not started"
        } else {
            "not done"
        };
        println!(
            "{:<4}{:<24}{:<11}{:<13}{}",
            number + 1,
            exercise.name,
            exercise.lesson,
            state,
            exercise.learner_path()
        );
    }
    print_progress(root, &exercises, &progress);
    Ok(ExitCode::SUCCESS)
}

/// Whether the learner's file is still the starter, byte for byte.
fn untouched(root: &Path, exercise: &Exercise) -> bool {
    match (
        fs::read_to_string(exercise.learner_file(root)),
        exercise.starter(root),
    ) {
        (Ok(learner), Ok(starter)) => learner == starter,
        _ => false,
    }
}

/// A learner's file that is gone (deleted, or moved away) is put back as shipped, and said so:
/// there is nothing of the learner's to lose, and every command can go on.
fn restore_if_missing(root: &Path, exercise: &Exercise) -> Result<bool> {
    let learner = exercise.learner_file(root);
    if learner.exists() {
        return Ok(false);
    }
    if let Some(dir) = learner.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    fs::write(&learner, exercise.starter(root)?)
        .with_context(|| format!("restoring {}", learner.display()))?;
    println!(
        "{} was missing: it is back as shipped (the starter).",
        exercise.learner_path()
    );
    Ok(true)
}

/// `cargo xtask reset NAME --yes`: restores the starter, keeping the learner's file as a backup.
pub fn reset(root: &Path, name: &str, confirmed: bool) -> Result<ExitCode> {
    let exercises = load(root)?;
    let exercise = match find(&exercises, name) {
        Ok(exercise) => exercise,
        Err(code) => return Ok(code),
    };
    let learner = exercise.learner_file(root);
    if !confirmed {
        eprintln!(
            "This replaces {} with the exercise as shipped.\nYour file would be kept next to \
             it, as lib.rs.<time>.bak.\nTo do it, run: cargo xtask reset {} --yes",
            exercise.learner_path(),
            exercise.name
        );
        return Ok(ExitCode::from(2));
    }
    if restore_if_missing(root, exercise)? {
        return Ok(ExitCode::SUCCESS);
    }
    let starter = exercise.starter(root)?;
    let backup = back_up(&learner)?;
    fs::write(&learner, starter).with_context(|| format!("restoring {}", learner.display()))?;
    let backup_name = backup.file_name().unwrap_or_default().to_string_lossy();
    println!("{} is back to the starter.", exercise.learner_path());
    println!(
        "Your previous file is kept as {}",
        exercise.learner_path().replace("lib.rs", &backup_name)
    );
    Ok(ExitCode::SUCCESS)
}

/// Copies `file` to a backup beside it whose name no other file has (`lib.rs.<seconds>.bak`,
/// then `…-2.bak`, …): it is created new, so no backup is ever overwritten, even by two resets
/// in the same second. Returns its path.
fn back_up(file: &Path) -> Result<PathBuf> {
    let text = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    for attempt in 1.. {
        let suffix = if attempt == 1 {
            String::new()
        } else {
            format!("-{attempt}")
        };
        let backup = file.with_file_name(format!("{name}.{seconds}{suffix}.bak"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(mut created) => {
                created
                    .write_all(&text)
                    .and_then(|()| created.sync_all())
                    .with_context(|| format!("writing {}", backup.display()))?;
                return Ok(backup);
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
            Err(error) => {
                return Err(error).with_context(|| format!("creating {}", backup.display()));
            }
        }
    }
    unreachable!("some backup name is free")
}

/// `cargo xtask watch`: runs `verify` now and again whenever a file of an exercise is saved.
pub fn watch(root: &Path, timeout: Duration) -> Result<ExitCode> {
    use notify::{RecursiveMode, Watcher};
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && event.kind.is_modify()
            && event
                .paths
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "rs"))
        {
            let _ = sender.send(());
        }
    })?;
    for exercise in load(root)? {
        watcher.watch(&exercise.dir(root).join("src"), RecursiveMode::Recursive)?;
    }
    loop {
        verify(root, None, timeout)?;
        println!("\nWatching the exercises: save a file to check again, Ctrl-C to stop.");
        if events.recv().is_err() {
            return Ok(ExitCode::SUCCESS);
        }
        // An editor may write a file in several steps: let them settle, then drain.
        std::thread::sleep(Duration::from_millis(200));
        while events.try_recv().is_ok() {}
        println!("\n----------------------------------------------------------------------\n");
    }
}

/// `cargo xtask verify --solutions`: the invariants of the exercise set, for maintainers and CI.
/// Every reference solution passes; every starter fails, for its intended reason; every wrong
/// answer of the catalogue fails with the words it names and every right one passes (see
/// [`catalogue`]); the learner's files are as shipped (a fresh checkout). Nothing is modified.
/// `only`: check that exercise alone.
pub fn verify_solutions(root: &Path, only: Option<&str>, timeout: Duration) -> Result<ExitCode> {
    let exercises = load(root)?;
    let selected: Vec<&Exercise> = match only {
        Some(name) => match find(&exercises, name) {
            Ok(exercise) => vec![exercise],
            Err(code) => return Ok(code),
        },
        None => exercises.iter().collect(),
    };
    let all_started = Instant::now();
    let mut problems = Vec::new();
    let mut proven = 0;
    for exercise in selected {
        println!("{} ({})", exercise.name, exercise.lesson);
        let mut notes = Vec::new();
        let (entries, layout) = catalogue::of(root, exercise)?;
        notes.extend(layout);
        let one = Instant::now();
        let solution = check(root, exercise, Variant::Solution, timeout)?;
        println!("  {:<32} {}", "solution/lib.rs", seconds(&solution, one));
        if !solution.is_done() {
            notes.push(format!(
                "the solution does not pass ({}):\n{}",
                solution.headline(),
                solution.explain(false)
            ));
        }
        // The starter is the learner's file as shipped: in a fresh checkout, `src/lib.rs`.
        let learner = fs::read_to_string(exercise.learner_file(root)).unwrap_or_default();
        if learner == exercise.starter(root)? {
            let one = Instant::now();
            let starter = check(root, exercise, Variant::Learner, timeout)?;
            println!(
                "  {:<32} {}",
                "src/lib.rs (the starter)",
                seconds(&starter, one)
            );
            match &starter {
                Verdict::Failed { report } if report.contains(&exercise.starter_fails_with) => {}
                other => notes.push(format!(
                    "the starter must fail its checks with a message containing {:?}, but it \
                     {}:\n{}",
                    exercise.starter_fails_with,
                    other.headline(),
                    other.explain(false)
                )),
            }
        } else {
            notes.push(format!(
                "{} is not the starter that solution/lib.rs holds in its `//~ starter:` regions: \
                 a learner must start from the starter (`cargo xtask reset {} --yes` puts it \
                 back; or change the regions)",
                exercise.learner_path(),
                exercise.name
            ));
        }
        let targets: Vec<String> = entries.iter().map(catalogue::Entry::target).collect();
        let built = check::build_targets(root, exercise, &targets)?;
        for (entry, program) in entries.iter().zip(built) {
            let one = Instant::now();
            let verdict = check::run_built(root, exercise, program, timeout)?;
            println!("  {:<32} {}", entry.relative_path(), seconds(&verdict, one));
            if let Some(note) = catalogue_problem(entry, &verdict) {
                notes.push(note);
            }
        }
        proven += 2 + entries.len();
        if !notes.is_empty() {
            println!("  PROBLEM");
        }
        for note in notes {
            problems.push(format!("{}: {note}", exercise.name));
        }
    }
    println!(
        "Checked {proven} answers (solutions, starters and catalogues) in {:.1} s.",
        all_started.elapsed().as_secs_f64()
    );
    if problems.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        println!("\n{problem}");
    }
    bail!("{} problem(s) in the exercises", problems.len())
}

/// "checks fail (1.2 s)".
fn seconds(verdict: &Verdict, started: Instant) -> String {
    format!(
        "{} ({:.1} s)",
        verdict.headline(),
        started.elapsed().as_secs_f64()
    )
}

/// What is wrong with how a catalogue entry fared, if anything.
fn catalogue_problem(entry: &catalogue::Entry, verdict: &Verdict) -> Option<String> {
    let path = entry.relative_path();
    match entry.kind {
        catalogue::Kind::Right if verdict.is_done() => None,
        catalogue::Kind::Right => Some(format!(
            "{path} is right ({}), but it {}:\n{}",
            entry.what,
            verdict.headline(),
            verdict.explain(false)
        )),
        catalogue::Kind::Wrong if verdict.is_done() => Some(format!(
            "{path} is wrong ({}), but verify says it is done",
            entry.what
        )),
        catalogue::Kind::Wrong => {
            let message = verdict.explain(false);
            let missing: Vec<&String> = entry
                .says
                .iter()
                .filter(|piece| !message.contains(piece.as_str()))
                .collect();
            (!missing.is_empty()).then(|| {
                format!(
                    "{path} is wrong ({}) and {}, but its message lacks {missing:?}:\n{message}",
                    entry.what,
                    verdict.headline()
                )
            })
        }
    }
}

/// The exercise subcommands of `cargo xtask`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check your exercises in course order and stop at the first one not done (or check NAME).
    Verify {
        /// Check only this exercise.
        name: Option<String>,
        /// For maintainers: every reference solution and every right answer of the catalogues
        /// pass, every starter and every wrong answer fail as intended (or only NAME's).
        #[arg(long)]
        solutions: bool,
        #[command(flatten)]
        timeout: Timeout,
    },
    /// Print the hint of an exercise.
    Hint {
        /// The exercise, e.g. `join-and-collect` (`cargo xtask list` shows them all).
        name: String,
    },
    /// Show every exercise and whether it is done.
    List {
        #[command(flatten)]
        timeout: Timeout,
    },
    /// Run `verify` again every time you save an exercise file (Ctrl-C stops it).
    Watch {
        #[command(flatten)]
        timeout: Timeout,
    },
    /// Put an exercise back as it was shipped; your file is kept as a backup next to it.
    Reset {
        /// The exercise to reset.
        name: String,
        /// Really do it (without this flag, reset only says what it would do).
        #[arg(long)]
        yes: bool,
    },
}

/// The `--timeout` flag every command that runs your code takes.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Timeout {
    /// Stop a check whose program runs longer than this many seconds (it probably deadlocked
    /// or loops forever) and kill every process it started.
    #[arg(long = "timeout", value_name = "SECONDS", default_value = "20", value_parser = parse_seconds)]
    seconds: Duration,
}

fn parse_seconds(arg: &str) -> Result<Duration, String> {
    match arg.trim().parse::<u64>() {
        Ok(seconds @ 1..=3600) => Ok(Duration::from_secs(seconds)),
        _ => Err("expected a whole number of seconds from 1 to 3600, such as 20".to_string()),
    }
}

/// Runs one exercise subcommand in the workspace at `root`.
pub fn run(root: &Path, command: Command) -> Result<ExitCode> {
    if !matches!(command, Command::Hint { .. } | Command::Reset { .. })
        && let Some(note) = run::Containment::of_this_system().what_is_missing()
    {
        eprintln!("{note}\n");
    }
    match command {
        Command::Verify {
            name,
            solutions: true,
            timeout,
        } => verify_solutions(root, name.as_deref(), timeout.seconds),
        Command::Verify { name, timeout, .. } => verify(root, name.as_deref(), timeout.seconds),
        Command::Hint { name } => hint(root, &name),
        Command::List { timeout } => list(root, timeout.seconds),
        Command::Watch { timeout } => watch(root, timeout.seconds),
        Command::Reset { name, yes } => reset(root, &name, yes),
    }
}
