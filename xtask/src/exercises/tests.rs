//! Tests of verify itself, with hostile solutions: one that deadlocks, one that loops forever,
//! one that panics, one that does not compile, one that leaves a child process running. Each
//! must get the right verdict within the timeout plus a few seconds, and nothing it started may
//! survive. Each hostile solution is a tiny crate of its own, written under
//! `target/verify-fixtures/` and built there (only when its text changed, so warm runs are quick).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

/// Short, so that the suite stays quick; the hostile programs need no time to show what they do.
const TIMEOUT: Duration = Duration::from_secs(3);
/// What verify may take beyond the timeout: killing the group and collecting the output.
const SLACK: Duration = Duration::from_secs(5);

/// Writes a workspace holding one exercise crate whose lib is `code` (its tests included), and
/// returns the workspace root and the exercise.
fn fixture(case: &str, code: &str) -> (PathBuf, Exercise) {
    let root = crate::workspace_root()
        .join("target/verify-fixtures")
        .join(case);
    let dir = root.join("lessons/hostile/exercises").join(case);
    fs::create_dir_all(dir.join("src")).unwrap();
    write_if_changed(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [\"lessons/hostile/exercises/{case}\"]\nresolver = \"3\"\n"
        ),
    );
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"hostile-{case}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
    );
    write_if_changed(&dir.join("src/lib.rs"), code);
    let _ = fs::remove_file(dir.join("pids"));
    let exercise = Exercise {
        name: case.to_string(),
        lesson: "hostile".to_string(),
        hint: String::new(),
        starter_fails_with: String::new(),
    };
    (root, exercise)
}

/// Rewriting an unchanged file would make cargo rebuild it.
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

/// Runs verify on the fixture, checks it took at most the timeout plus [`SLACK`], and checks
/// that every process the hostile program recorded in its `pids` file is gone.
fn verify_fixture(root: &Path, exercise: &Exercise) -> Verdict {
    // Build first (untimed: a cold build is not the program's fault), then time the check.
    let _ = check::build(root, exercise, Variant::Learner).unwrap();
    let _ = fs::remove_file(exercise.dir(root).join("pids"));
    let started = Instant::now();
    let verdict = check(root, exercise, Variant::Learner, TIMEOUT).unwrap();
    let took = started.elapsed();
    assert!(
        took < TIMEOUT + SLACK,
        "verify took {took:?} with a timeout of {TIMEOUT:?}"
    );
    let pids = fs::read_to_string(exercise.dir(root).join("pids")).unwrap_or_default();
    for pid in pids.split_whitespace() {
        assert!(
            !is_alive(pid),
            "process {pid} of the hostile program survived verify"
        );
    }
    if let Some(group) = pids.split_whitespace().next() {
        assert!(
            run::live_members(group.parse().unwrap()).is_empty(),
            "a process of group {group} survived verify"
        );
    }
    verdict
}

/// A process is gone when its `/proc` entry is, or when only its zombie is left.
fn is_alive(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        let state = stat.rsplit(')').next().unwrap_or("").trim_start();
        !state.starts_with('Z') && !state.starts_with('X')
    })
}

/// Test code that records a pid in the fixture's `pids` file.
const RECORD_PID: &str = r#"
fn record_pid(pid: u32) {
    use std::io::Write;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pids");
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(file, "{pid}").unwrap();
}

/// A child process that would run for five minutes if nobody killed it.
fn start_sleeper() {
    let child = std::process::Command::new("sleep").arg("300").spawn().unwrap();
    record_pid(child.id());
}
"#;

#[test]
fn a_deadlock_times_out_shows_the_waiting_threads_and_leaves_nothing_running() {
    let code = format!(
        "{RECORD_PID}\n{}",
        r#"
#[test]
fn deadlocks() {
    use std::sync::{Arc, Barrier, Mutex};
    record_pid(std::process::id());
    start_sleeper();
    let locks = Arc::new((Mutex::new(()), Mutex::new(())));
    let both_hold_one = Arc::new(Barrier::new(2));
    let other = {
        let (locks, both_hold_one) = (Arc::clone(&locks), Arc::clone(&both_hold_one));
        std::thread::Builder::new().name(String::from("second-locker")).spawn(move || {
            let _b = locks.1.lock().unwrap();
            both_hold_one.wait();
            let _a = locks.0.lock().unwrap();
        }).unwrap()
    };
    let _a = locks.0.lock().unwrap();
    both_hold_one.wait();
    let _b = locks.1.lock().unwrap();
    other.join().unwrap();
}
"#
    );
    let (root, exercise) = fixture("deadlock", &code);
    let verdict = verify_fixture(&root, &exercise);
    let Verdict::TimedOut { stuck, .. } = &verdict else {
        panic!("expected a timeout, got {verdict:?}");
    };
    let report = stuck.join("\n");
    assert!(report.contains("second-locker"), "{report}");
    assert!(report.contains("waiting"), "{report}");
    assert!(
        verdict
            .explain(true)
            .contains("deadlocked or loops forever")
    );
}

#[test]
fn an_endless_loop_times_out_and_is_shown_running() {
    let code = format!(
        "{RECORD_PID}\n{}",
        r"
#[test]
fn loops() {
    record_pid(std::process::id());
    loop {
        std::hint::spin_loop();
    }
}
"
    );
    let (root, exercise) = fixture("endless-loop", &code);
    let verdict = verify_fixture(&root, &exercise);
    let Verdict::TimedOut { stuck, .. } = &verdict else {
        panic!("expected a timeout, got {verdict:?}");
    };
    let report = stuck.join("\n");
    assert!(report.contains("running"), "{report}");
}

#[test]
fn a_panic_fails_with_its_message() {
    let code = format!(
        "{RECORD_PID}\n{}",
        r#"
#[test]
fn panics() {
    record_pid(std::process::id());
    panic!("the hostile solution gives up");
}
"#
    );
    let (root, exercise) = fixture("panic", &code);
    let verdict = verify_fixture(&root, &exercise);
    let Verdict::Failed { report } = &verdict else {
        panic!("expected a failure, got {verdict:?}");
    };
    assert!(report.contains("the hostile solution gives up"), "{report}");
    assert!(report.contains("panics"), "{report}");
}

#[test]
fn code_that_does_not_compile_shows_the_compiler_error() {
    let code = r#"
pub fn answer() -> u32 {
    "forty-two"
}
"#;
    let (root, exercise) = fixture("compile-error", code);
    let verdict = verify_fixture(&root, &exercise);
    let Verdict::CompileError { messages } = &verdict else {
        panic!("expected a compile error, got {verdict:?}");
    };
    assert!(messages.contains("E0308"), "{messages}");
    assert!(messages.contains("src/lib.rs"), "{messages}");
}

#[test]
fn a_child_left_running_is_reported_and_killed() {
    let code = format!(
        "{RECORD_PID}\n{}",
        r"
#[test]
fn leaves_a_child() {
    record_pid(std::process::id());
    start_sleeper();
}
"
    );
    let (root, exercise) = fixture("child-left-running", &code);
    let verdict = verify_fixture(&root, &exercise);
    let Verdict::LeftRunning { processes } = &verdict else {
        panic!("expected a process left running, got {verdict:?}");
    };
    assert!(
        processes.iter().any(|p| p.contains("sleep 300")),
        "{processes:?}"
    );
}

#[test]
fn every_listed_exercise_is_a_crate_with_its_files_and_every_crate_is_listed() {
    let root = crate::workspace_root();
    let exercises = load(&root).unwrap();
    assert!(exercises.len() >= 8);
    for exercise in &exercises {
        let dir = exercise.dir(&root);
        for file in [
            "Cargo.toml",
            "checks.rs",
            "src/lib.rs",
            "starter/lib.rs",
            "solution/lib.rs",
        ] {
            assert!(dir.join(file).exists(), "{} has no {file}", dir.display());
        }
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("name = \"{}\"", exercise.package())),
            "{}: the package must be called {}",
            dir.display(),
            exercise.package()
        );
        assert!(
            !exercise.hint.trim().is_empty(),
            "{} has no hint",
            exercise.name
        );
        let checks = fs::read_to_string(dir.join("checks.rs")).unwrap();
        assert_eq!(
            checks.matches("#[test]").count(),
            checks
                .matches("#[ignore = \"checked by cargo xtask verify\"]")
                .count(),
            "{}: every check is ignored by a plain cargo test",
            exercise.name
        );
    }
    for lesson in fs::read_dir(root.join("lessons")).unwrap() {
        let Ok(crates) = fs::read_dir(lesson.unwrap().path().join("exercises")) else {
            continue;
        };
        for krate in crates {
            let path = krate.unwrap().path();
            if path.join("Cargo.toml").exists() {
                assert!(
                    exercises.iter().any(|e| e.dir(&root) == path),
                    "{} is not listed in lessons/exercises.toml",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn an_unknown_name_lists_the_valid_ones_with_exit_code_2() {
    let root = crate::workspace_root();
    assert_eq!(hint(&root, "no-such-exercise").unwrap(), ExitCode::from(2));
    assert_eq!(
        verify(&root, Some("no-such-exercise"), TIMEOUT).unwrap(),
        ExitCode::from(2)
    );
}

#[test]
fn reset_without_yes_changes_nothing() {
    let root = crate::workspace_root();
    let exercise = &load(&root).unwrap()[0];
    let before = fs::read(exercise.learner_file(&root)).unwrap();
    assert_eq!(
        reset(&root, &exercise.name, false).unwrap(),
        ExitCode::from(2)
    );
    assert_eq!(fs::read(exercise.learner_file(&root)).unwrap(), before);
}

#[test]
fn checking_never_modifies_the_learners_file() {
    let root = crate::workspace_root();
    let exercise = &load(&root).unwrap()[0];
    let file = exercise.learner_file(&root);
    let before = (
        fs::read(&file).unwrap(),
        fs::metadata(&file).unwrap().modified().unwrap(),
    );
    for variant in [Variant::Learner, Variant::Starter, Variant::Solution] {
        check(&root, exercise, variant, TIMEOUT).unwrap();
    }
    let after = (
        fs::read(&file).unwrap(),
        fs::metadata(&file).unwrap().modified().unwrap(),
    );
    assert!(before == after, "{} was modified", exercise.learner_path());
}

/// A learner's file put back from a backup with `mv` keeps the backup's old modification time,
/// older than the last build; cargo alone would then run the checks compiled from the text it
/// replaced.
#[test]
fn a_file_put_back_with_an_old_date_is_checked_as_it_is_now() {
    // As in a real exercise, the learner's file declares the course's `checks.rs`.
    let uses_checks = "#[cfg(test)]\n#[path = \"../checks.rs\"]\nmod checks;\n";
    let (root, exercise) = fixture(
        "old-date",
        &format!("{uses_checks}#[test]\nfn passes() {{}}\n"),
    );
    write_if_changed(
        &exercise.dir(&root).join("checks.rs"),
        "// the course's checks\n",
    );
    let verdict = check(&root, &exercise, Variant::Learner, TIMEOUT).unwrap();
    assert!(verdict.is_done(), "{verdict:?}");

    let file = exercise.learner_file(&root);
    let backup = file.with_file_name("lib.rs.1.bak");
    fs::write(
        &backup,
        format!(
            "{uses_checks}#[test]\nfn fails() {{\n    panic!(\"the text that was put back\");\n}}\n"
        ),
    )
    .unwrap();
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .append(true)
        .open(&backup)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    fs::rename(&backup, &file).unwrap();

    let verdict = check(&root, &exercise, Variant::Learner, TIMEOUT).unwrap();
    let Verdict::Failed { report } = &verdict else {
        panic!("the checks of the old text ran: {verdict:?}");
    };
    assert!(report.contains("the text that was put back"), "{report}");
}
