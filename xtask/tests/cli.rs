//! `cargo xtask` as a learner types it: the commands it offers and its answer to a typo.
//!
//! Being an integration test, this also makes `cargo test --workspace` build the xtask program
//! itself, with the workspace's features, so that a learner's first `cargo xtask verify` after the
//! tests starts at once instead of compiling xtask.

use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

#[test]
fn help_lists_every_command() {
    let output = xtask(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["book", "verify", "hint", "list", "watch", "reset", "bench"] {
        assert!(
            help.contains(command),
            "--help does not list {command}:\n{help}"
        );
    }
}

#[test]
fn an_unknown_exercise_is_a_usage_error_that_lists_the_exercises() {
    let output = xtask(&["hint", "no-such-exercise"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no exercise called 'no-such-exercise'"),
        "{stderr}"
    );
    assert!(stderr.contains("join-and-collect"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let output = xtask(&["verfiy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}
