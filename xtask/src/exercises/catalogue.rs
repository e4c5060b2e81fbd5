//! An exercise's catalogue: the wrong answers it must reject and the correct answers, other than
//! the reference solution, it must accept. Each is a learner's file kept beside the exercise,
//!
//! ```text
//! wrong/<case>.rs   a wrong answer; it begins with what is wrong and what verify must say:
//!                       //! Wrong: counts every word on the calling thread.
//!                       //! verify says: "counted on one thread"
//!                   (several `verify says:` lines: the message holds every one)
//! right/<case>.rs   a correct answer in another style:
//!                       //! Right: per-thread maps, merged at the end.
//! ```
//!
//! Each ends, as the learner's file does, with `#[cfg(test)] #[path = "../checks.rs"] mod checks;`,
//! and is a `[[test]]` target of the exercise's crate, named `wrong-<case>` or `right-<case>`,
//! with `test = false` (so that `cargo test --workspace` never builds it). `cargo xtask verify
//! --solutions` proves every wrong answer fails with its words and every right one passes; a file
//! without its target, or a target without its file, is a problem it reports.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Exercise;

/// Whether an entry must fail or pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Wrong,
    Right,
}

impl Kind {
    pub fn folder(self) -> &'static str {
        match self {
            Self::Wrong => "wrong",
            Self::Right => "right",
        }
    }

    /// The first word of the file's header.
    fn label(self) -> &'static str {
        match self {
            Self::Wrong => "//! Wrong:",
            Self::Right => "//! Right:",
        }
    }
}

/// One file of the catalogue.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    /// The file's name without `.rs`.
    pub case: String,
    /// What the answer does, from its header.
    pub what: String,
    /// For a wrong answer, the pieces its failure message must hold.
    pub says: Vec<String>,
}

impl Entry {
    /// The `[[test]]` target that builds it.
    pub fn target(&self) -> String {
        format!("{}-{}", self.kind.folder(), self.case)
    }

    /// Its path inside the exercise's folder, as the manifest spells it.
    pub fn relative_path(&self) -> String {
        format!("{}/{}.rs", self.kind.folder(), self.case)
    }
}

/// The catalogue of `exercise`, in file-name order, wrong answers first; and the problems found
/// in how it is laid out (a missing header, a file without a target, …), as sentences.
pub fn of(root: &Path, exercise: &Exercise) -> Result<(Vec<Entry>, Vec<String>)> {
    let dir = exercise.dir(root);
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for kind in [Kind::Wrong, Kind::Right] {
        for path in rust_files(&dir.join(kind.folder()))? {
            let text =
                fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let case = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if !case
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problems.push(format!(
                    "{}/{case}.rs: name it in lower case with hyphens, such as `one-thread.rs` \
                     (the checks find the file from its target's name)",
                    kind.folder()
                ));
                continue;
            }
            match parse(kind, &case, &text) {
                Ok(entry) => entries.push(entry),
                Err(problem) => problems.push(format!("{}/{}.rs: {problem}", kind.folder(), case)),
            }
        }
    }
    problems.extend(targets_match(&dir, &entries)?);
    Ok((entries, problems))
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(read) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for item in read {
        let path = item
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the header of one file.
fn parse(kind: Kind, case: &str, text: &str) -> Result<Entry, String> {
    let header: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|line| line.starts_with("//!"))
        .collect();
    let what = header
        .iter()
        .find_map(|line| line.strip_prefix(kind.label()))
        .map(|what| what.trim().to_string())
        .filter(|what| !what.is_empty())
        .ok_or_else(|| format!("its first lines must say `{} <what it does>`", kind.label()))?;
    let mut says = Vec::new();
    for line in &header {
        if let Some(rest) = line.strip_prefix("//! verify says:") {
            let piece = rest.trim();
            let quoted = piece
                .strip_prefix('"')
                .and_then(|p| p.strip_suffix('"'))
                .filter(|p| !p.is_empty())
                .ok_or_else(|| {
                    format!("`verify says:` takes a piece of the message in quotes, not {piece}")
                })?;
            says.push(quoted.to_string());
        }
    }
    match kind {
        Kind::Wrong if says.is_empty() => {
            return Err(
                "a wrong answer says what verify must say about it: `//! verify says: \"…\"`"
                    .to_string(),
            );
        }
        Kind::Right if !says.is_empty() => {
            return Err("a right answer passes: it has no `verify says:` line".to_string());
        }
        _ => {}
    }
    Ok(Entry {
        kind,
        case: case.to_string(),
        what,
        says,
    })
}

/// Every entry has its `[[test]]` target (with `test = false`), and every catalogue target has
/// its file.
fn targets_match(dir: &Path, entries: &[Entry]) -> Result<Vec<String>> {
    let path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let targets: Vec<&toml::Table> = manifest
        .get("test")
        .and_then(toml::Value::as_array)
        .map(|tests| tests.iter().filter_map(toml::Value::as_table).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for entry in entries {
        let target = entry.target();
        let found = targets
            .iter()
            .find(|t| t.get("name").and_then(toml::Value::as_str) == Some(&target));
        let wanted = format!(
            "[[test]]\nname = \"{target}\"\npath = \"{}\"\ntest = false",
            entry.relative_path()
        );
        match found {
            None => problems.push(format!(
                "{} has no target in Cargo.toml; add:\n{wanted}",
                entry.relative_path()
            )),
            Some(t)
                if t.get("path").and_then(toml::Value::as_str)
                    != Some(entry.relative_path().as_str())
                    || t.get("test").and_then(toml::Value::as_bool) != Some(false) =>
            {
                problems.push(format!(
                    "the target {target} in Cargo.toml must read:\n{wanted}"
                ));
            }
            Some(_) => {}
        }
    }
    for target in &targets {
        let Some(name) = target.get("name").and_then(toml::Value::as_str) else {
            continue;
        };
        if (name.starts_with("wrong-") || name.starts_with("right-"))
            && !entries.iter().any(|e| e.target() == name)
        {
            problems.push(format!(
                "Cargo.toml has a target {name} whose file is missing or unreadable"
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKS: &str = "#[cfg(test)]\n#[path = \"../checks.rs\"]\nmod checks;\n";

    #[test]
    fn a_wrong_answer_names_its_mistake_and_its_message() {
        let text = format!(
            "//! Wrong: counts on the caller.\n//! verify says: \"one thread\"\n//! verify says: \"par_iter\"\n\npub fn f() {{}}\n{CHECKS}"
        );
        let entry = parse(Kind::Wrong, "caller", &text).unwrap();
        assert_eq!(entry.what, "counts on the caller.");
        assert_eq!(entry.says, ["one thread", "par_iter"]);
        assert_eq!(entry.target(), "wrong-caller");
    }

    #[test]
    fn a_header_that_is_missing_or_misplaced_is_a_problem() {
        let no_says = format!("//! Wrong: counts on the caller.\n{CHECKS}");
        assert!(parse(Kind::Wrong, "x", &no_says).is_err());
        let unquoted = format!("//! Wrong: x\n//! verify says: one thread\n{CHECKS}");
        assert!(parse(Kind::Wrong, "x", &unquoted).is_err());
        let says_on_right = format!("//! Right: x\n//! verify says: \"y\"\n{CHECKS}");
        assert!(parse(Kind::Right, "x", &says_on_right).is_err());
        let after_code = format!("pub fn f() {{}}\n//! Right: x\n{CHECKS}");
        assert!(parse(Kind::Right, "x", &after_code).is_err());
    }

    #[test]
    fn files_and_targets_must_match() {
        let dir = tempfile::tempdir().unwrap();
        let entry = parse(Kind::Right, "fold", &format!("//! Right: fold.\n{CHECKS}")).unwrap();
        let write = |manifest: &str| {
            fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
            targets_match(dir.path(), std::slice::from_ref(&entry)).unwrap()
        };
        let good = "[package]\nname = \"x\"\n[[test]]\nname = \"right-fold\"\npath = \"right/fold.rs\"\ntest = false\n";
        assert!(write(good).is_empty(), "{:?}", write(good));
        assert_eq!(write("[package]\nname = \"x\"\n").len(), 1);
        assert_eq!(write(&good.replace("test = false", "")).len(), 1);
        let extra = format!(
            "{good}[[test]]\nname = \"wrong-gone\"\npath = \"wrong/gone.rs\"\ntest = false\n"
        );
        assert_eq!(write(&extra).len(), 1);
    }

    #[test]
    fn every_part_ii_exercise_has_its_catalogue() {
        let root = crate::workspace_root();
        for exercise in super::super::load(&root).unwrap() {
            let (entries, problems) = of(&root, &exercise).unwrap();
            assert!(problems.is_empty(), "{}: {problems:#?}", exercise.name);
            if exercise.lesson.as_str() < "lesson-06" {
                continue;
            }
            let count = |kind| entries.iter().filter(|e| e.kind == kind).count();
            assert!(
                count(Kind::Wrong) >= 4 && count(Kind::Right) >= 2,
                "{} ({}) has {} wrong and {} right answers in its catalogue; a Part II exercise \
                 has at least 4 and 2",
                exercise.name,
                exercise.lesson,
                count(Kind::Wrong),
                count(Kind::Right)
            );
        }
    }
}
