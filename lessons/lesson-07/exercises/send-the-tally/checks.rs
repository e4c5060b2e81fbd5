//! The checks of `send-the-tally`. `cargo xtask verify send-the-tally` runs them; they are ignored
//! by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! The program is compiled here with rustc, as a library named `tally`, because as shipped it
//! does not compile; then `checks_program.rs` is compiled against it and run, with a seed for its
//! texts and a token that it prints only once every check has held.

use std::path::PathBuf;
use std::process::{Command, Output};

use super::PROGRAM;

fn rustc(args: &[&str]) -> Output {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(["--edition", "2024", "--color", "never"])
        .args(args)
        .output()
        .expect("rustc runs")
}

/// A folder of this test run's own for what rustc builds.
fn build_dir() -> PathBuf {
    let name = format!("send-the-tally-{}", std::process::id());
    let dir = std::env::temp_dir()
        .join(name)
        .join(PROGRAM.replace('/', "-"));
    std::fs::create_dir_all(&dir).expect("the temporary folder can be created");
    dir
}

/// The compiler's messages, indented and without blank lines, so that verify shows them whole
/// as part of the failure message.
fn indented(messages: &[u8]) -> String {
    String::from_utf8_lossy(messages)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn it_compiles_and_counts_every_word_on_threads() {
    let dir = build_dir();
    let library = dir.join("libtally.rlib");
    let library_path = library.to_str().expect("a UTF-8 path");
    let compiled = rustc(&[
        "--crate-type",
        "rlib",
        "--crate-name",
        "tally",
        "-o",
        library_path,
        PROGRAM,
    ]);
    assert!(
        compiled.status.success(),
        "{PROGRAM} does not compile yet. The compiler says:\n{}",
        indented(&compiled.stderr)
    );
    let checks = dir.join("checks");
    let checks_path = checks.to_str().expect("a UTF-8 path");
    let extern_tally = format!("tally={library_path}");
    let built = rustc(&[
        "--extern",
        &extern_tally,
        "-o",
        checks_path,
        "checks_program.rs",
    ]);
    assert!(
        built.status.success(),
        "{PROGRAM} compiles, but the checks cannot call it: keep `pub fn count_words(texts: \
         usize, read_text: impl Fn(usize) -> String + Sync) -> HashMap<String, usize>` as it \
         is.\n{}",
        indented(&built.stderr)
    );
    let (seed, token) = seed_and_token();
    let ran = Command::new(&checks)
        .args([seed.to_string(), token.clone()])
        .output()
        .expect("the checks run");
    let _ = std::fs::remove_dir_all(&dir);
    let said = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "{}", said.trim());
    assert!(
        String::from_utf8_lossy(&ran.stdout)
            .lines()
            .any(|line| line == token),
        "the checks program ended with exit code 0 before its checks had finished (the texts \
         came from seed {seed}). Does {PROGRAM} call `std::process::exit`? `count_words` \
         returns its tally to its caller instead.{}",
        if said.trim().is_empty() {
            String::new()
        } else {
            format!("\nIt printed:\n{}", indented(said.as_bytes()))
        }
    );
}

/// A seed for the texts, different on every run, and the token the checks program prints when
/// every check has held, which the program under check cannot guess.
fn seed_and_token() -> (u64, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let seed = u64::from(nanos) ^ (u64::from(std::process::id()) << 32);
    (
        seed,
        format!("all checks held {seed:x}-{:x}", seed.rotate_left(17)),
    )
}
