//! `cargo xtask book`: builds `book/` with mdBook used as a library.
//!
//! Two checks of our own run before mdBook's usual preprocessors, so that the book can only show
//! code and output that the tests see:
//! - every `{{#include path:ANCHOR}}` must name an existing file and an anchor that exists in it
//!   (mdBook alone would silently include nothing);
//! - `{{#snapshot NAME}}` is replaced by the body of `lessons/<lesson>/snapshots/NAME.snap`, the exact output
//!   the snapshot tests hold the lesson to, so the book's output cannot drift from the tested one.
//!
//! mdBook reports problems it can survive (an unclosed HTML tag, a bad include) as `tracing`
//! warnings and carries on; [`build`] records them and fails, so a book that builds is a clean one.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::builtin_preprocessors::{IndexPreprocessor, LinkPreprocessor};
use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::chapters::{anchored_region, includes, snapshot_body};

/// Builds the book of the workspace at `root` into `out` (default `book/build`), returning the
/// path of its `index.html`.
pub fn build(root: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let book_root = root.join("book");
    let mut config = Config::from_disk(book_root.join("book.toml"))?;
    config.build.create_missing = false;
    // Our checks must see the `{{#include}}` directives before mdBook's own preprocessors
    // replace them, so the preprocessors are added here, in order.
    config.build.use_default_preprocessors = false;
    let out = match out {
        Some(dir) => std::path::absolute(dir)?,
        None => book_root.join("build"),
    };
    config.build.build_dir.clone_from(&out);

    let mut book = MDBook::load_with_config(&book_root, config)
        .with_context(|| format!("loading the book in {}", book_root.display()))?;
    book.with_preprocessor(CheckIncludes)
        .with_preprocessor(LinkPreprocessor::new())
        .with_preprocessor(IndexPreprocessor::new())
        .with_preprocessor(SnapshotOutput {
            root: root.to_path_buf(),
        })
        .with_preprocessor(QuizHtml {
            root: root.to_path_buf(),
        })
        .with_preprocessor(LessonList {
            root: root.to_path_buf(),
        })
        .with_preprocessor(ExerciseCount {
            count: crate::exercises::load(root)
                .map(|exercises| exercises.len())
                .ok(),
        });
    let warnings = WarningLog::default();
    tracing::subscriber::with_default(warnings.subscriber(), || book.build())
        .context("building the book")?;
    let warnings = warnings.take();
    if !warnings.is_empty() {
        bail!(
            "mdBook reported {} problem(s):\n{}",
            warnings.len(),
            warnings.join("\n")
        );
    }
    Ok(out.join("index.html"))
}

/// Every WARN and ERROR event mdBook emits while the book builds (mdBook logs through `tracing`),
/// one line each.
#[derive(Debug, Clone, Default)]
struct WarningLog(Arc<Mutex<Vec<u8>>>);

impl WarningLog {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let log = self.clone();
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
            .with_writer(move || log.clone())
            .with_ansi(false)
            .without_time()
            .with_target(false)
            .finish()
    }

    fn take(&self) -> Vec<String> {
        let bytes = std::mem::take(&mut *self.0.lock().unwrap());
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(|line| line.trim().to_string())
            .collect()
    }
}

impl std::io::Write for WarningLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails the build when an `{{#include file:ANCHOR}}` names a missing file or anchor.
struct CheckIncludes;

impl Preprocessor for CheckIncludes {
    fn name(&self) -> &'static str {
        "course-check-includes"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let src = ctx.root.join(&ctx.config.book.src);
        for item in book.iter() {
            let BookItem::Chapter(chapter) = item else {
                continue;
            };
            let Some(chapter_path) = &chapter.path else {
                continue;
            };
            let dir = src
                .join(chapter_path)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for (file, anchor) in includes(&chapter.content) {
                let target = dir.join(file);
                let text = fs::read_to_string(&target).with_context(|| {
                    format!(
                        "{}: cannot read included file {file}",
                        chapter_path.display()
                    )
                })?;
                if let Some(anchor) = anchor
                    && anchored_region(&text, anchor).is_none()
                {
                    bail!("{}: no ANCHOR: {anchor} in {file}", chapter_path.display());
                }
            }
        }
        Ok(book)
    }
}

/// Replaces `{{#snapshot NAME}}` with the body of the snapshot file `NAME.snap`, in its lesson's
/// folder (`lessons/lesson-NN/snapshots/`).
struct SnapshotOutput {
    root: PathBuf,
}

impl Preprocessor for SnapshotOutput {
    fn name(&self) -> &'static str {
        "course-snapshot-output"
    }

    fn run(&self, _ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        replace_directives(book, "{{#snapshot ", |name| {
            Ok(
                snapshot_body(&course_support::snapshot_file(&self.root, name))?
                    .trim_end()
                    .to_string(),
            )
        })
    }
}

/// Replaces every `{{#NAME ARGUMENT}}` (`directive` is `{{#NAME `) in every chapter by what
/// `render` makes of its argument; the first error, with its chapter, fails the build.
fn replace_directives(
    mut book: Book,
    directive: &str,
    render: impl Fn(&str) -> Result<String>,
) -> Result<Book> {
    let mut failure = None;
    book.for_each_chapter_mut(|chapter| {
        while let Some(start) = chapter.content.find(directive) {
            let Some(len) = chapter.content[start..].find("}}") else {
                break;
            };
            let argument = chapter.content[start + directive.len()..start + len].trim();
            match render(argument) {
                Ok(text) => chapter.content.replace_range(start..start + len + 2, &text),
                Err(error) => {
                    failure.get_or_insert(error.context(format!("chapter {}", chapter.name)));
                    break;
                }
            }
        }
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(book),
    }
}

/// Replaces `{{#quiz LESSON}}` by the HTML of `lessons/LESSON/quiz.toml` (see [`crate::quiz`]).
struct QuizHtml {
    root: PathBuf,
}

impl Preprocessor for QuizHtml {
    fn name(&self) -> &'static str {
        "course-quiz"
    }

    fn run(&self, _ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        replace_directives(book, "{{#quiz ", |lesson| {
            Ok(crate::quiz::render(
                &crate::quiz::load(&self.root, lesson)?,
                lesson,
            ))
        })
    }
}

/// Replaces `{{#lessons}}` by the list of the course's lessons, part by part (see
/// [`crate::chapters::lesson_list`]).
struct LessonList {
    root: PathBuf,
}

impl Preprocessor for LessonList {
    fn name(&self) -> &'static str {
        "course-lesson-list"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let mut list = None;
        let mut error = None;
        book.for_each_chapter_mut(|chapter| {
            if !chapter.content.contains("{{#lessons}}") {
                return;
            }
            match list.get_or_insert_with(|| crate::chapters::lesson_list(&self.root)) {
                Ok(list) => chapter.content = chapter.content.replace("{{#lessons}}", list),
                Err(e) => error = Some(format!("chapter {}: {e:#}", chapter.name)),
            }
        });
        match error {
            Some(error) => bail!(error),
            None => Ok(book),
        }
    }
}

/// Replaces `{{#exercise-count}}` by the number of exercises (their folders), so that
/// no page keeps a count by hand.
struct ExerciseCount {
    /// `None` where the workspace has no exercises (a test's one-chapter book).
    count: Option<usize>,
}

impl Preprocessor for ExerciseCount {
    fn name(&self) -> &'static str {
        "course-exercise-count"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let mut missing = None;
        book.for_each_chapter_mut(|chapter| {
            if !chapter.content.contains("{{#exercise-count}}") {
                return;
            }
            match self.count {
                Some(count) => {
                    chapter.content = chapter
                        .content
                        .replace("{{#exercise-count}}", &count.to_string());
                }
                None => missing = Some(chapter.name.clone()),
            }
        });
        match missing {
            Some(chapter) => bail!(
                "chapter {chapter} counts the exercises, but they cannot be read (cargo xtask list says why)"
            ),
            None => Ok(book),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        crate::workspace_root()
    }

    /// mdBook writes `<`, `>` and `&` as entities inside code blocks (quotes stay as they are).
    fn html_escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    fn built_book() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let index = build(&root(), Some(dir.path())).expect("the book builds");
        (dir, index)
    }

    #[test]
    fn the_exercises_chapter_counts_the_exercises_of_the_list() {
        let (dir, _index) = built_book();
        let html = fs::read_to_string(dir.path().join("exercises.html")).unwrap();
        let count = crate::exercises::load(&root()).unwrap().len();
        assert!(
            html.contains(&format!("Progress: 0/{count} done")),
            "exercises.html does not show the {count} exercises of the course"
        );
    }

    #[test]
    fn every_lesson_chapter_shows_its_listing_and_its_snapshot_output() {
        let (dir, index) = built_book();
        assert!(index.exists());
        let src = root().join("book/src");
        let mut chapters = 0;
        for entry in fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            let markdown = fs::read_to_string(&path).unwrap_or_default();
            let html_path = dir
                .path()
                .join(path.file_name().unwrap())
                .with_extension("html");
            if !markdown.contains("{{#") {
                continue;
            }
            chapters += 1;
            let html = fs::read_to_string(&html_path)
                .unwrap_or_else(|_| panic!("{} was not rendered", html_path.display()));
            for (file, anchor) in includes(&markdown) {
                let code = fs::read_to_string(src.join(file)).unwrap();
                if Path::new(file).extension().is_some_and(|ext| ext == "md") {
                    // Included Markdown (the benchmark's table) is rendered, not shown verbatim;
                    // the bench tests check that it is what the measured figures give.
                    continue;
                }
                let lines = match anchor {
                    Some(anchor) => anchored_region(&code, anchor).unwrap(),
                    None => code.lines().collect(),
                };
                for line in lines.iter().filter(|line| !line.trim().is_empty()) {
                    assert!(
                        html.contains(&html_escape(line.trim())),
                        "{}: the line {line:?} of {file} is missing",
                        html_path.display()
                    );
                }
            }
            for name in snapshot_names(&markdown) {
                let body = snapshot_body(&course_support::snapshot_file(&root(), name)).unwrap();
                assert!(
                    html.contains(&html_escape(body.trim_end())),
                    "{}: output of snapshot {name} is missing or differs",
                    html_path.display()
                );
            }
        }
        assert!(chapters >= 1, "no chapter embeds code");
    }

    fn snapshot_names(markdown: &str) -> Vec<&str> {
        markdown
            .match_indices("{{#snapshot ")
            .filter_map(|(start, d)| {
                let rest = &markdown[start + d.len()..];
                Some(rest[..rest.find("}}")?].trim())
            })
            .collect()
    }

    #[test]
    fn the_benchmark_s_table_and_charts_are_in_the_book() {
        let (dir, _) = built_book();
        let page = fs::read_to_string(dir.path().join("threads-or-processes.html")).unwrap();
        assert!(
            page.contains("<th style=\"text-align: right\">K threads</th>"),
            "no table"
        );
        assert!(page.contains("Rust faster by"));
        for page in ["threads-or-processes.html", "lesson-05.html"] {
            let html = fs::read_to_string(dir.path().join(page)).unwrap();
            assert!(html.contains("src=\"generated/cpu-speedup.svg\""), "{page}");
        }
        assert!(page.contains("src=\"generated/downloads.svg\""));
        assert!(dir.path().join("generated/cpu-speedup.svg").exists());
    }

    #[test]
    fn the_lesson_01_page_has_its_code_and_its_output() {
        let (dir, _) = built_book();
        let html = fs::read_to_string(dir.path().join("lesson-01.html")).unwrap();
        assert!(html.contains("fn print_numbers(pause: Duration)"));
        assert!(html.contains("Thread has finished executing"));
        assert!(html.contains("Number: 4"));
    }

    #[test]
    fn a_missing_anchor_fails_the_build() {
        let book = one_chapter_book("{{#include code.rs:here}}\n");
        let src = book.path().join("book/src");
        fs::write(
            src.join("code.rs"),
            "// ANCHOR: here\nfn f() {}\n// ANCHOR_END: here\n",
        )
        .unwrap();
        build(book.path(), Some(&book.path().join("out"))).expect("a present anchor builds");

        fs::write(src.join("one.md"), "{{#include code.rs:gone}}\n").unwrap();
        let error = build(book.path(), Some(&book.path().join("out"))).unwrap_err();
        assert!(
            format!("{error:#}").contains("no ANCHOR: gone"),
            "{error:#}"
        );
    }

    #[test]
    fn a_missing_snapshot_fails_the_build() {
        let book = one_chapter_book("{{#snapshot lesson-99}}\n");
        let error = build(book.path(), Some(&book.path().join("out"))).unwrap_err();
        assert!(format!("{error:#}").contains("lesson-99.snap"), "{error:#}");
    }

    /// A one-chapter book in a temporary workspace, whose chapter `one.md` holds `markdown`.
    fn one_chapter_book(markdown: &str) -> tempfile::TempDir {
        let book = tempfile::tempdir().unwrap();
        let src = book.path().join("book/src");
        fs::create_dir_all(&src).unwrap();
        fs::write(
            book.path().join("book/book.toml"),
            "[book]\ntitle = \"t\"\n",
        )
        .unwrap();
        fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
        fs::write(src.join("one.md"), markdown).unwrap();
        book
    }

    #[test]
    fn a_warning_from_mdbook_fails_the_build() {
        let book = one_chapter_book("# One\n\nFine text.\n");
        build(book.path(), Some(&book.path().join("out"))).expect("a clean chapter builds");

        let book = one_chapter_book("# One\n\n<div>\n\nnever closed\n");
        let error = build(book.path(), Some(&book.path().join("out"))).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("mdBook reported"), "{message}");
        assert!(message.contains("unclosed HTML tag"), "{message}");
    }

    /// Every `href="…"` and `src="…"` value in `html`, with `&amp;` decoded.
    fn link_targets(html: &str) -> Vec<String> {
        let mut targets = Vec::new();
        for attribute in [" href=\"", " src=\""] {
            for (start, _) in html.match_indices(attribute) {
                let rest = &html[start + attribute.len()..];
                if let Some(end) = rest.find('"') {
                    targets.push(rest[..end].replace("&amp;", "&"));
                }
            }
        }
        targets
    }

    /// The links of the rendered book in `out` that point inside the book at a missing file or a
    /// missing `#fragment`, as `page: link` lines.
    fn broken_internal_links(out: &Path) -> Vec<String> {
        let pages: Vec<PathBuf> = fs::read_dir(out)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "html"))
            .collect();
        let mut broken = Vec::new();
        for page in &pages {
            let html = fs::read_to_string(page).unwrap();
            for link in link_targets(&html) {
                let external = link.contains("://")
                    || link.starts_with("//")
                    || link.starts_with("mailto:")
                    || link.starts_with("javascript:")
                    || link.starts_with("data:");
                if external || link.is_empty() {
                    continue;
                }
                let link_without_query = link.split('?').next().unwrap_or_default();
                let (file, fragment) = link_without_query
                    .split_once('#')
                    .unwrap_or((link_without_query, ""));
                // A link starting with `/` (404.html's `<base href="/">`) starts at the book's root.
                let target = if file.is_empty() {
                    page.clone()
                } else if let Some(from_root) = file.strip_prefix('/') {
                    out.join(from_root)
                } else {
                    page.parent().unwrap().join(file)
                };
                let target = if target.is_dir() {
                    target.join("index.html")
                } else {
                    target
                };
                let name = page.file_name().unwrap().to_string_lossy();
                if !target.is_file() {
                    broken.push(format!("{name}: {link} (no such file)"));
                    continue;
                }
                if !fragment.is_empty() {
                    let html = fs::read_to_string(&target).unwrap_or_default();
                    if !html.contains(&format!("id=\"{fragment}\"")) {
                        broken.push(format!("{name}: {link} (no id {fragment:?})"));
                    }
                }
            }
        }
        broken
    }

    #[test]
    fn the_book_has_no_broken_internal_link() {
        let (dir, _) = built_book();
        let broken = broken_internal_links(dir.path());
        assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    }

    #[test]
    fn a_broken_link_or_fragment_is_found() {
        let book = one_chapter_book(
            "# One\n\n## Here\n\n[fine](one.md#here) [gone](two.md) [no such heading](one.md#there)\n",
        );
        let out = book.path().join("out");
        build(book.path(), Some(&out)).unwrap();
        let broken = broken_internal_links(&out);
        let broken = broken.join("\n");
        assert!(
            broken.contains("one.html: two.html (no such file)"),
            "{broken}"
        );
        assert!(
            broken.contains("one.html: one.html#there (no id"),
            "{broken}"
        );
        assert!(!broken.contains("#here"), "{broken}");
    }
}
