//! The reading of a learner's file that finds a counter used in two steps (a check of
//! at-most-k-downloads), and the std paths the loom checks look for.

use std::path::Path;

use super::{StdPath, counter_read_apart_from_its_update as two_steps, std_paths_under_test};

/// Asserts that in `body`, `counter` is found used with `first`, a method, and then with
/// `second`.
fn assert_found(body: &str, counter: &str, first: &'static str, second: &'static str) {
    let found = two_steps(body).unwrap_or_else(|| panic!("nothing found in {body}"));
    assert_eq!(
        (found.counter.as_str(), found.first, found.second),
        (counter, first, second),
        "{body}"
    );
}

#[test]
fn an_addition_then_a_read_is_two_steps() {
    let body = "scope.spawn(|| loop {
    next.fetch_add(1, Ordering::SeqCst);
    let index = next.load(Ordering::SeqCst) - 1;
    let Some(url) = urls.get(index) else { break };
});";
    assert_found(body, "next", "fetch_add", "load");
    let explained = two_steps(body).unwrap().explain("src/lib.rs");
    assert!(
        explained.starts_with("src/lib.rs uses `next` in two steps"),
        "{explained}"
    );
    assert!(explained.contains("next.fetch_add(1, Ordering::Relaxed)"));
}

#[test]
fn two_steps_are_found_however_they_are_written() {
    // Over several lines, through a field, thrown away with `let _`, in a block of its own.
    let body = "loop {
    self.state
        .next
        .fetch_add(1, Ordering::SeqCst);
    let index = self.state.next
        .load(Ordering::SeqCst) - 1;
}";
    assert_found(body, "next", "fetch_add", "load");
    let body = "let index = {\n    let _ = next.fetch_add(1, SeqCst);\n    next.load(SeqCst)\n};";
    assert_found(body, "next", "fetch_add", "load");
    // A read first, then the addition: the same gap.
    let body = "loop {\n    let index = next.load(SeqCst);\n    next.fetch_add(1, SeqCst);\n}";
    assert_found(body, "next", "load", "fetch_add");
    // A read, then a store of one more: a lost update.
    let body = "loop {\n    let index = next.load(SeqCst);\n    next.store(index + 1, SeqCst);\n}";
    assert_found(body, "next", "load", "store");
    // A number kept in a binding nobody reads.
    let body = "loop {
    let _old = next.fetch_add(1, SeqCst);
    let index = next.load(SeqCst) - 1;
}";
    assert_found(body, "next", "fetch_add", "load");
    // A compare-exchange tried once, whatever it answers, and a swap: both after a read.
    let body = "loop {
    let index = next.load(SeqCst);
    next.compare_exchange(index, index + 1, SeqCst, SeqCst).ok();
}";
    assert_found(body, "next", "load", "compare_exchange");
    let body = "loop {
    let index = next.load(SeqCst);
    let _ = next
        .compare_exchange_weak(index, index + 1, SeqCst, SeqCst);
}";
    assert_found(body, "next", "load", "compare_exchange_weak");
    let body = "{\n    let index = next.load(SeqCst);\n    next.swap(index + 1, SeqCst);\n}";
    assert_found(body, "next", "load", "swap");
    // A count of finished downloads, shown as it goes: two workers can show the same.
    let body = "scope.spawn(|| {
    done.fetch_add(1, Ordering::Relaxed);
    eprintln!(\"{}/{total} downloaded\", done.load(Ordering::Relaxed));
});";
    assert_found(body, "done", "fetch_add", "load");
    // Both on one line.
    let body = "{ next.fetch_sub(1, SeqCst); let left = next.load(SeqCst); }";
    assert_found(body, "next", "fetch_sub", "load");
}

#[test]
fn one_step_and_reads_elsewhere_pass() {
    // The number comes from the addition itself.
    let body = "loop {
    let index = next.fetch_add(1, Ordering::Relaxed);
    let Some(url) = urls.get(index) else { break };
    if next.load(Ordering::Relaxed) > urls.len() { break; }
}";
    assert_eq!(two_steps(body), None, "{body}");
    // A count of finished downloads, read once every worker is joined.
    let body = "thread::scope(|scope| {
    for _ in 0..k {
        scope.spawn(|| {
            done.fetch_add(1, Ordering::Relaxed);
        });
    }
});
assert_eq!(done.load(Ordering::Relaxed), urls.len());";
    assert_eq!(two_steps(body), None, "{body}");
    // A flag set once and read.
    let body = "let stop = AtomicBool::new(false);
loop {
    if stop.load(Ordering::Relaxed) { break; }
    stop.store(true, Ordering::Relaxed);
}";
    assert_eq!(two_steps(body), None, "{body}");
    // A semaphore: the read feeds a compare_exchange in a retry loop of its own.
    let body = "scope.spawn(move || {
    loop {
        let now = running.load(SeqCst);
        if now < k && running.compare_exchange(now, now + 1, SeqCst, SeqCst).is_ok() {
            break;
        }
    }
    let result = download(agent, url);
    running.fetch_sub(1, SeqCst);
    result
});";
    assert_eq!(two_steps(body), None, "{body}");
    // A compare-exchange whose answer is looked at: retried, or matched on.
    let body = "loop {
    let index = next.load(SeqCst);
    if index >= urls.len() { break; }
    while next.compare_exchange(index, index + 1, SeqCst, SeqCst).is_err() {}
    match next.compare_exchange(index, index + 1, SeqCst, SeqCst) {
        Ok(_) => break,
        Err(_) => continue,
    }
    let taken = next.compare_exchange_weak(index, index + 1, SeqCst, SeqCst).is_ok();
}";
    assert_eq!(two_steps(body), None, "{body}");
    // A flag swapped and read.
    let body = "let stop = AtomicBool::new(false);
loop {
    stop.swap(true, SeqCst);
    if stop.load(SeqCst) { break; }
}";
    assert_eq!(two_steps(body), None, "{body}");
}

#[test]
fn comments_and_strings_are_not_code() {
    let body = r#"fn worker() {
    // wrong: { next.fetch_add(1, SeqCst); next.load(SeqCst) }
    /* wrong: { next.fetch_add(1, SeqCst);
       next.load(SeqCst) } */
    let open = '{';
    let url = "http://{";
    let raw = r"{ next.fetch_add(1, SeqCst); next.load(SeqCst) }";
    let text = "{ next.fetch_add(1, SeqCst); next.load(SeqCst) }";
    let index = next.fetch_add(1, SeqCst);
}
fn report() {
    next.fetch_add(0, SeqCst);
    println!("{}", next.load(SeqCst));
}"#;
    // Only the last two lines are two steps; a brace or a call in a literal is not code.
    assert_found(body, "next", "fetch_add", "load");
    // A raw string with `#` ends at its quote followed by as many `#`.
    let body = "fn worker() {
    let raw = r#\"a \" { next.fetch_add(1, SeqCst); next.load(SeqCst) } \"#;
    let index = next.fetch_add(1, SeqCst);
}";
    assert_eq!(two_steps(body), None, "{body}");
    // A string that starts with `#` ends at its quote like any other.
    let body = "fn worker() {
    let tag = \"#{\";
    next.fetch_add(1, SeqCst);
    next.load(SeqCst);
}";
    assert_found(body, "next", "fetch_add", "load");
}

#[test]
fn a_finding_names_its_function() {
    let body = "fn download_all() {
    next.fetch_add(1, SeqCst);
    let index = next.load(SeqCst);
}";
    let found = two_steps(body).unwrap();
    assert_eq!(found.place, "fn download_all");
    assert!(
        found
            .explain("src/lib.rs")
            .starts_with("`fn download_all` in src/lib.rs uses `next` in two steps")
    );
}

#[test]
fn every_shipped_solution_passes() {
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut solutions = 0;
    for lesson in std::fs::read_dir(&lessons).unwrap() {
        let Ok(exercises) = std::fs::read_dir(lesson.unwrap().path().join("exercises")) else {
            continue;
        };
        for exercise in exercises {
            let file = exercise.unwrap().path().join("solution/lib.rs");
            if let Ok(text) = std::fs::read_to_string(&file) {
                solutions += 1;
                assert!(two_steps(&text).is_none(), "{}", file.display());
            }
        }
    }
    assert!(
        solutions > 10,
        "found only {solutions} solutions under {}",
        lessons.display()
    );
}

fn paths(text: &str) -> Vec<String> {
    std_paths_under_test(text)
        .into_iter()
        .map(|found| found.path)
        .collect()
}

#[test]
fn std_paths_are_found_in_full_and_in_use_trees() {
    assert_eq!(
        paths("use std::sync::{Arc, atomic::{AtomicU64, fence}};"),
        [
            "std::sync::Arc",
            "std::sync::atomic::AtomicU64",
            "std::sync::atomic::fence"
        ]
    );
    assert_eq!(
        std_paths_under_test("struct Account {\n    balance: std::sync::Mutex<i64>,\n}"),
        [StdPath {
            place: "struct Account".to_string(),
            path: "std::sync::Mutex".to_string()
        }]
    );
    assert_eq!(
        paths("fn f() { core::hint::spin_loop(); }"),
        ["core::hint::spin_loop"]
    );
}

#[test]
fn what_is_kept_for_std_comments_and_strings_are_left_out() {
    let text = "#[cfg(test)]
use loom::sync::Mutex;
#[cfg(not(test))]
use std::sync::Mutex;
#[cfg(not(test))]
fn only_without_tests() { std::thread::yield_now(); }
fn f() {
    #[cfg(not(test))]
    use std::thread;
    // std::sync::Mutex in a comment
    let text = \"std::sync::Mutex\";
}";
    assert_eq!(paths(text), Vec::<String>::new());
}
