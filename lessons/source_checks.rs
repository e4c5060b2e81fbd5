//! Checks that read the file under check instead of running it: one file, included with
//! `#[path]` by the checks that need it (and by `loom_checks.rs`).
//!
//! Most mistakes of the exercises are forced by the checks: the loopback server holds answers
//! back, loom tries every interleaving. A few happen in a moment that no test can hold open,
//! because no code of the course runs there: a worker that adds one to a shared counter and
//! then, in a second step, reads it. Another worker can add its own one in between, but the gap
//! lasts a few nanoseconds, and such code passes almost every run. Those are found here, by
//! reading the code, and the message says which lines.

use std::path::Path;

/// The file this test program was built from, as a path under the exercise and its text: the
/// learner's `src/lib.rs`, or the starter, the solution or an answer of the catalogue
/// (`wrong/<case>.rs`, whose target `wrong-<case>` cargo calls `wrong_<case>`) when
/// `cargo xtask verify --solutions` builds those targets.
pub fn file_under_check() -> (String, String) {
    let crate_name = env!("CARGO_CRATE_NAME");
    let path = match crate_name.split_once('_') {
        _ if crate_name == "starter" || crate_name == "solution" => format!("{crate_name}/lib.rs"),
        Some((folder @ ("wrong" | "right"), case)) => {
            format!("{folder}/{}.rs", case.replace('_', "-"))
        }
        _ => "src/lib.rs".to_string(),
    };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
    (path, text)
}

/// Two steps on one atomic counter where a single one is needed (see
/// [`counter_read_apart_from_its_update`]).
#[derive(Debug, PartialEq, Eq)]
pub struct TwoSteps {
    /// The counter's name, the last one before the method (`next` in `self.next.load(…)`).
    pub counter: String,
    /// The first step, as `(line numbered from 1, method)`, such as `(12, "fetch_add")`.
    pub first: (usize, &'static str),
    /// The second step.
    pub second: (usize, &'static str),
}

impl TwoSteps {
    /// What went wrong and how to do it in one step, for a learner who wrote it in `path`, in
    /// the words of a pool of workers that share URLs (at-most-k-downloads).
    pub fn explain(&self, path: &str) -> String {
        let TwoSteps {
            counter,
            first: (first_line, first),
            second: (second_line, second),
        } = self;
        let lines = if first_line == second_line {
            format!("line {first_line}")
        } else {
            format!("lines {first_line} and {second_line}")
        };
        format!(
            "{lines} of {path} use `{counter}` in two steps, `{counter}.{first}(…)` and then \
             `{counter}.{second}(…)`. Another worker can take a step of its own between your \
             two, and then two workers see the same number: if it picks a URL, one URL is \
             downloaded twice and another one never. Take your number in one step, \
             `let index = {counter}.fetch_add(1, Ordering::Relaxed);`: it adds one and gives \
             the value from before, which no other worker gets (add one to it for the count \
             after your step). (This check reads your file: the gap between the two steps \
             lasts a few nanoseconds, too short for a run to fall into it every time.)"
        )
    }
}

/// The first place in `text` where an atomic counter is updated in one step and read in
/// another, both in the same block (`{ … }`), so that other threads can come in between:
///
/// - a `fetch_add` or `fetch_sub` whose result is thrown away, with a `load` of the same
///   counter in that block (before or after it);
/// - a `load` and a `store` of the same counter in that block, or a `swap`, `compare_exchange`
///   or `compare_exchange_weak` whose result is thrown away (a compare-exchange tried once,
///   not in a retry loop), unless the counter is an `AtomicBool` (a flag is not a counter).
///
/// A `load` in another block is left alone: after the threads are joined, reading a total is
/// right, and a `load` that feeds a `compare_exchange` retry loop is the way to update a
/// value in one step. Comments and strings are skipped.
pub fn counter_read_apart_from_its_update(text: &str) -> Option<TwoSteps> {
    let code = code_only(text);
    let blocks = innermost_blocks(&code);
    let steps = atomic_steps(&code);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let flags: Vec<&str> = steps
        .iter()
        .map(|step| step.counter.as_str())
        .filter(|counter| declared_as_atomic_bool(&code, counter))
        .collect();
    let mut found: Vec<(usize, TwoSteps)> = Vec::new();
    for update in &steps {
        let pairs_with: &[&str] = match update.method {
            "fetch_add" | "fetch_sub" if update.result_thrown_away => &["load"],
            _ if flags.contains(&update.counter.as_str()) => continue,
            "store" => &["load"],
            "swap" | "compare_exchange" | "compare_exchange_weak" if update.result_thrown_away => {
                &["load"]
            }
            _ => continue,
        };
        let block = blocks[update.at];
        let read = steps.iter().find(|read| {
            read.counter == update.counter
                && pairs_with.contains(&read.method)
                && blocks[read.at] == block
        });
        if let Some(read) = read {
            let (first, second) = if read.at < update.at {
                (read, update)
            } else {
                (update, read)
            };
            found.push((
                first.at,
                TwoSteps {
                    counter: update.counter.clone(),
                    first: (line_of(first.at), first.method),
                    second: (line_of(second.at), second.method),
                },
            ));
        }
    }
    found
        .into_iter()
        .min_by_key(|(at, _)| *at)
        .map(|(_, two)| two)
}

/// A call of one of [`METHODS`] on a named receiver.
struct Step {
    at: usize,
    counter: String,
    method: &'static str,
    /// The call is a statement of its own (or `let _ = …;`, or `….ok();`): nobody looks at
    /// the value it gives.
    result_thrown_away: bool,
}

/// The methods of the atomic types that read or change a counter.
const METHODS: [&str; 7] = [
    "load",
    "store",
    "fetch_add",
    "fetch_sub",
    "swap",
    "compare_exchange",
    "compare_exchange_weak",
];

fn atomic_steps(code: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for method in METHODS {
        for (dot, _) in code.match_indices(&format!(".{method}(")) {
            let before = code[..dot].trim_end();
            let counter: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if counter.is_empty() || counter.starts_with(|c: char| c.is_ascii_digit()) {
                continue; // `urls().load(…)`, `(a + b).load(…)`: not a counter by name.
            }
            // What comes before the receiver's whole path (`self.state.next`, over line
            // breaks) in its statement.
            let mut statement = before;
            loop {
                statement = statement
                    .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_')
                    .trim_end();
                match statement.strip_suffix('.') {
                    Some(rest) => statement = rest.trim_end(),
                    None => break,
                }
            }
            let nothing_before = |s: &str| s.is_empty() || s.ends_with([';', '{', '}']);
            let start_of_statement = nothing_before(statement)
                || statement.strip_suffix('=').is_some_and(|binding| {
                    // `_ = …`, `let _ = …`, `let _unused = …`.
                    let binding = binding.trim_end();
                    let name = binding.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
                    let rest = name.trim_end();
                    binding[name.len()..].starts_with('_')
                        && (nothing_before(rest)
                            || rest
                                .strip_suffix("let")
                                .is_some_and(|rest| nothing_before(rest.trim_end())))
                });
            let open = dot + method.len() + 1;
            let ends_statement =
                matching_close(code, open).is_some_and(|close| ends_with_calls(&code[close + 1..]));
            steps.push(Step {
                at: dot,
                counter,
                method,
                result_thrown_away: start_of_statement && ends_statement,
            });
        }
    }
    steps.sort_by_key(|step| step.at);
    steps
}

/// Whether `code` starts with nothing but method calls (`.ok()`, `.unwrap()`) and then a `;`:
/// the value of the call before it is looked at by nobody.
fn ends_with_calls(mut code: &str) -> bool {
    loop {
        code = code.trim_start();
        let Some(rest) = code.strip_prefix('.') else {
            return code.starts_with(';');
        };
        let rest = rest.trim_start();
        let name = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .len();
        let after = rest[name..].trim_start();
        if name == 0 || !after.starts_with('(') {
            return false;
        }
        let open = code.len() - after.len();
        let Some(close) = matching_close(code, open) else {
            return false;
        };
        code = &code[close + 1..];
    }
}

/// The position of the `)` that closes the `(` at `open`.
fn matching_close(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in code[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + at);
                }
            }
            _ => {}
        }
    }
    None
}

/// For each byte of `code`, where the innermost `{` around it is (0 outside any).
fn innermost_blocks(code: &str) -> Vec<usize> {
    let mut blocks = vec![0; code.len() + 1];
    let mut open = vec![0];
    for (at, c) in code.char_indices() {
        match c {
            '{' => open.push(at + 1),
            '}' if open.len() > 1 => {
                open.pop();
            }
            _ => {}
        }
        let innermost = *open.last().unwrap_or(&0);
        blocks[at..at + c.len_utf8()].fill(innermost);
    }
    blocks
}

/// Whether `counter` is declared as an `AtomicBool` (`let stop = AtomicBool::new(…)`, a field
/// `stop: AtomicBool`, or behind an `Arc`).
fn declared_as_atomic_bool(code: &str, counter: &str) -> bool {
    code.lines().any(|line| {
        line.contains("AtomicBool")
            && (line.contains(&format!("let {counter} "))
                || line.contains(&format!("let {counter}:"))
                || line.contains(&format!("let mut {counter} "))
                || line.trim_start().starts_with(&format!("{counter}:")))
    })
}

/// `text` with its comments and the insides of its string and character literals blanked out
/// (line breaks kept, so that lines keep their numbers): a `{` in `"{}"` opens no block, and a
/// `.load(` in a comment is no call.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let blank = |code: &mut String, c: char| code.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut code, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                let pair = (chars[i], chars.get(i + 1).copied());
                if pair == ('/', Some('*')) || pair == ('*', Some('/')) {
                    depth += if pair.0 == '/' { 1 } else { -1 };
                    blank(&mut code, chars[i]);
                    blank(&mut code, chars[i + 1]);
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut code, chars[i]);
                    i += 1;
                }
            }
        } else if c == '"'
            || (c == 'r'
                && matches!(next, Some('"' | '#'))
                && (i == 0 || !chars[i - 1].is_alphanumeric() || chars[i - 1] == 'b'))
        {
            // A string, or a raw string `r"…"`, `r#"…"#`.
            let raw = c == 'r';
            let hashes = if raw {
                chars[i + 1..].iter().take_while(|&&c| c == '#').count()
            } else {
                0
            };
            if raw && chars.get(i + 1 + hashes) != Some(&'"') {
                code.push(c); // `r#ident`, or an `r` ending a name.
                i += 1;
                continue;
            }
            let opening = if raw { 2 + hashes } else { 1 };
            code.extend(&chars[i..i + opening]);
            i += opening;
            while i < chars.len() {
                if !raw && chars[i] == '\\' {
                    blank(&mut code, chars[i]);
                    if let Some(&escaped) = chars.get(i + 1) {
                        blank(&mut code, escaped);
                    }
                    i += 2;
                } else if chars[i] == '"'
                    && chars[i + 1..].iter().take_while(|&&c| c == '#').count() >= hashes
                {
                    code.extend(&chars[i..=i + hashes]);
                    i += 1 + hashes;
                    break;
                } else {
                    blank(&mut code, chars[i]);
                    i += 1;
                }
            }
        } else if c == '\'' {
            // A character literal (`'{'`, `'\''`), or the start of a lifetime (`'a`).
            let length = match (next, chars.get(i + 2), chars.get(i + 3)) {
                (Some('\\'), Some(_), Some('\'')) => 4,
                (Some(_), Some('\''), _) => 3,
                _ => 1,
            };
            code.push(c);
            for &inside in &chars[i + 1..i + length] {
                blank(&mut code, inside);
            }
            i += length;
        } else {
            code.push(c);
            i += 1;
        }
    }
    code
}
