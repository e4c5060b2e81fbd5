//! What the book's chapters include, read as text: no mdBook needed. `cargo xtask book` (with
//! mdBook, behind the feature `book`) uses these helpers, and the tests below check every include,
//! anchor and snapshot of `book/src` in the README's `cargo test --workspace`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// The body of an insta snapshot file: what follows its `---` … `---` header.
pub fn snapshot_body(path: &Path) -> Result<String> {
    let text =
        fs::read_to_string(path).with_context(|| format!("reading snapshot {}", path.display()))?;
    let rest = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body.to_string());
    rest.with_context(|| format!("{} has no insta header", path.display()))
}

/// The course's lessons, part by part, for `{{#lessons}}` (the introduction): each part of
/// `book/src/SUMMARY.md` in bold, then a line for each of its lessons, linked, with what it
/// covers: the `description` of its `Cargo.toml` (`Lesson 06: channels — …`). A new lesson needs
/// only its chapter's line in `SUMMARY.md`.
pub fn lesson_list(root: &Path) -> Result<String> {
    let summary = fs::read_to_string(root.join("book/src/SUMMARY.md"))
        .context("reading book/src/SUMMARY.md")?;
    let mut list = String::new();
    let mut part = None;
    for line in summary.lines() {
        if let Some(heading) = line.strip_prefix("# Part ") {
            part = Some(format!("**Part {heading}**"));
            continue;
        }
        let Some(file) = line
            .strip_prefix("- [Lesson ")
            .and_then(|rest| rest.split_once("]("))
            .and_then(|(_, rest)| rest.strip_suffix(".md)"))
        else {
            continue;
        };
        let manifest = root.join("lessons").join(file).join("Cargo.toml");
        let manifest: toml::Table = fs::read_to_string(&manifest)
            .with_context(|| format!("reading {}", manifest.display()))?
            .parse()
            .with_context(|| format!("parsing {}", manifest.display()))?;
        let description = manifest["package"]
            .get("description")
            .and_then(toml::Value::as_str)
            .and_then(|text| text.split_once(": "))
            .with_context(|| {
                format!("lessons/{file}/Cargo.toml: `description` must read \"Lesson NN: …\"")
            })?;
        if let Some(part) = part.take() {
            if !list.is_empty() {
                list.push('\n');
            }
            list.push_str(&part);
            list.push_str("\n\n");
        }
        writeln!(list, "- [{}]({file}.md): {}", description.0, description.1)?;
    }
    Ok(list)
}

/// The `(file, anchor)` of every `{{#include file}}` and `{{#include file:anchor}}` in `markdown`,
/// and of every `{{#rustdoc_include …}}` (the same, with the rest of the file hidden in the page
/// behind mdBook's eye button). Line ranges (`file:3:9`) count as no anchor.
pub fn includes(markdown: &str) -> Vec<(&str, Option<&str>)> {
    included_by(markdown, &["{{#include ", "{{#rustdoc_include "])
}

/// The `(file, anchor)` of every `{{#rustdoc_include …}}` in `markdown`: the listings whose whole
/// program is one click away.
#[cfg(test)]
pub fn rustdoc_includes(markdown: &str) -> Vec<(&str, Option<&str>)> {
    included_by(markdown, &["{{#rustdoc_include "])
}

fn included_by<'a>(markdown: &'a str, directives: &[&str]) -> Vec<(&'a str, Option<&'a str>)> {
    let mut found: Vec<(usize, &str)> = directives
        .iter()
        .flat_map(|directive| markdown.match_indices(directive))
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .filter_map(|(start, directive)| {
            let rest = &markdown[start + directive.len()..];
            let inner = rest[..rest.find("}}")?].trim();
            Some(match inner.split_once(':') {
                Some((file, anchor)) if !anchor.starts_with(|c: char| c.is_ascii_digit()) => {
                    (file, Some(anchor))
                }
                Some((file, _)) => (file, None),
                None => (inner, None),
            })
        })
        .collect()
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, if both are there and enclose code.
pub fn anchored_region<'a>(text: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let mut lines = text.lines();
    lines
        .by_ref()
        .find(|line| line.trim_end().ends_with(&format!("ANCHOR: {name}")))?;
    let region: Vec<&str> = lines
        .take_while(|line| !line.trim_end().ends_with(&format!("ANCHOR_END: {name}")))
        .filter(|line| !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:"))
        .collect();
    (!region.is_empty()).then_some(region)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn root() -> PathBuf {
        crate::workspace_root()
    }

    /// The lesson packages of the workspace: every `lessons/lesson-*` directory with a Cargo.toml.
    fn lesson_packages() -> Vec<String> {
        let mut lessons: Vec<String> = fs::read_dir(root().join("lessons"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.join("Cargo.toml").is_file())
            .filter_map(|path| Some(path.file_name()?.to_str()?.to_string()))
            .filter(|name| name.starts_with("lesson-"))
            .collect();
        lessons.sort();
        lessons
    }

    /// The introduction lists every lesson, from `SUMMARY.md` and the lessons' descriptions.
    #[test]
    fn the_introduction_lists_every_lesson_by_part() {
        let introduction = fs::read_to_string(root().join("book/src/introduction.md")).unwrap();
        assert!(
            introduction.contains("{{#lessons}}"),
            "introduction.md lists the lessons with {{{{#lessons}}}}"
        );
        let list = lesson_list(&root()).unwrap();
        assert!(list.starts_with("**Part I"), "{list}");
        for lesson in lesson_packages() {
            let number = lesson.trim_start_matches("lesson-");
            assert!(
                list.contains(&format!("- [Lesson {number}]({lesson}.md): ")),
                "{lesson} is not in the introduction's list: its chapter needs a line \
                 `- [Lesson {number}: …]({lesson}.md)` in book/src/SUMMARY.md\n{list}"
            );
        }
    }

    /// Every `{{#include file:ANCHOR}}` names a file and an anchor that exist, and every
    /// `{{#snapshot NAME}}` a committed snapshot: what mdBook would otherwise include as nothing.
    #[test]
    fn every_include_and_every_snapshot_of_the_book_exists() {
        let src = root().join("book/src");
        let mut checked = 0;
        for entry in fs::read_dir(&src).unwrap() {
            let chapter = entry.unwrap().path();
            if chapter.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let markdown = fs::read_to_string(&chapter).unwrap();
            let name = chapter.file_name().unwrap().to_string_lossy().to_string();
            for (file, anchor) in includes(&markdown) {
                let mut text = fs::read_to_string(src.join(file))
                    .unwrap_or_else(|_| panic!("{name}: cannot read included file {file}"));
                // A learner's file is checked as shipped, so that no edit of theirs fails this.
                if let Some(exercise) = crate::exercises::load(&root())
                    .unwrap()
                    .into_iter()
                    .find(|e| src.join(file).ends_with(e.learner_path()))
                {
                    text = exercise.starter(&root()).unwrap();
                }
                if let Some(anchor) = anchor {
                    assert!(
                        anchored_region(&text, anchor).is_some(),
                        "{name}: no ANCHOR: {anchor} in {file}"
                    );
                }
                checked += 1;
            }
            for (start, _) in markdown.match_indices("{{#snapshot ") {
                let rest = &markdown[start + "{{#snapshot ".len()..];
                let snapshot = rest[..rest.find("}}").unwrap()].trim();
                snapshot_body(&course_support::snapshot_file(&root(), snapshot))
                    .unwrap_or_else(|error| panic!("{name}: {error:#}"));
                checked += 1;
            }
        }
        assert!(checked > 0, "the book includes nothing");
    }

    #[test]
    fn every_lesson_has_a_chapter_with_its_listing_and_its_output() {
        let summary = fs::read_to_string(root().join("book/src/SUMMARY.md")).unwrap();
        let lessons = lesson_packages();
        assert!(!lessons.is_empty(), "no lesson found under lessons/");
        for lesson in &lessons {
            let chapter = format!("{lesson}.md");
            assert!(
                summary.contains(&format!("]({chapter})")),
                "SUMMARY.md does not list {chapter}"
            );
            let markdown = fs::read_to_string(root().join("book/src").join(&chapter))
                .unwrap_or_else(|_| panic!("book/src/{chapter} is missing"));
            assert!(
                markdown.contains(&format!(
                    "{{{{#rustdoc_include ../../lessons/{lesson}/src/main.rs:"
                )),
                "{chapter} does not include the listing lessons/{lesson}/src/main.rs"
            );
            assert!(
                markdown.contains(&format!("{{{{#snapshot {lesson}}}}}")),
                "{chapter} does not show the output {{{{#snapshot {lesson}}}}}"
            );
        }
    }

    /// Every Rust file the book lists comes in by `{{#rustdoc_include}}`: the part the chapter
    /// talks about is shown, and the whole program that ran is one click away (mdBook's eye
    /// button). A plain `{{#include}}` of Rust would hide the rest of the program for good.
    #[test]
    fn every_rust_listing_has_its_whole_program_one_click_away() {
        let mut listed = 0;
        for entry in fs::read_dir(root().join("book/src")).unwrap() {
            let path = entry.unwrap().path();
            let markdown = fs::read_to_string(&path).unwrap_or_default();
            let whole = rustdoc_includes(&markdown);
            for (file, _) in includes(&markdown) {
                if Path::new(file).extension().is_some_and(|ext| ext == "rs") {
                    assert!(
                        whole.iter().any(|(listed, _)| *listed == file),
                        "{}: {file} is included with {{{{#include}}}}; use \
                         {{{{#rustdoc_include}}}} so that the whole program is one click away",
                        path.display()
                    );
                    listed += 1;
                }
            }
        }
        assert!(listed > 0, "the book lists no Rust file");
    }

    /// A Rust listing without `ignore` (or `noplayground`) gets mdBook's play button, which asks
    /// play.rust-lang.org for its crates as the page loads: an error in the browser offline, and
    /// a button that cannot run a lesson's program (it needs the course's crates) anywhere.
    #[test]
    fn no_rust_listing_offers_the_playground() {
        for entry in fs::read_dir(root().join("book/src")).unwrap() {
            let path = entry.unwrap().path();
            let markdown = fs::read_to_string(&path).unwrap_or_default();
            for (number, line) in markdown.lines().enumerate() {
                let Some(info) = line.trim_start().strip_prefix("```rust") else {
                    continue;
                };
                assert!(
                    info.split(',')
                        .any(|word| word == "ignore" || word == "noplayground"),
                    "{}:{}: write ```rust,ignore, as the other listings do",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}
