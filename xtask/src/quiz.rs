//! The "Check yourself" quiz at the end of each lesson's chapter.
//!
//! A lesson's questions live in `book/quizzes/<lesson>.toml`; the chapter shows them with
//! `{{#quiz <lesson>}}`, which `cargo xtask book` replaces by plain HTML. `book/js/quiz.js` keeps
//! the answer hidden until the reader picks a choice, then says whether it was right and why.
//! No question carries code of its own: the book shows only code that the tests compile, so a
//! question points at the chapter's listings and output instead.
//!
//! This module needs no mdBook: the tests below check every quiz in `cargo test --workspace`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// Where the quizzes live, relative to the workspace root.
pub const QUIZZES: &str = "book/quizzes";

/// One lesson's quiz, as its TOML file holds it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub question: Vec<Question>,
}

/// A question: what is asked, the choices in the order shown, which one is right (counted from
/// 1), and why, which the reader sees after picking a choice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: String,
    pub choices: Vec<String>,
    pub answer: usize,
    pub why: String,
}

/// Reads and checks the quiz of `lesson` (`lesson-01`).
pub fn load(root: &Path, lesson: &str) -> Result<Quiz> {
    let path = root.join(QUIZZES).join(format!("{lesson}.toml"));
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let quiz: Quiz =
        toml::from_str(&text).with_context(|| format!("{} is not a quiz", path.display()))?;
    if quiz.question.len() < 2 {
        bail!("{}: a quiz has at least two questions", path.display());
    }
    for (number, question) in quiz.question.iter().enumerate() {
        let number = number + 1;
        if question.choices.len() < 2 {
            bail!(
                "{}: question {number} has fewer than two choices",
                path.display()
            );
        }
        if !(1..=question.choices.len()).contains(&question.answer) {
            bail!(
                "{}: question {number} has answer = {}, but its choices are numbered 1 to {}",
                path.display(),
                question.answer,
                question.choices.len()
            );
        }
        if question.ask.trim().is_empty() || question.why.trim().is_empty() {
            bail!(
                "{}: question {number} needs both `ask` and `why`",
                path.display()
            );
        }
    }
    Ok(quiz)
}

/// The HTML of a quiz: one `div.quiz` per question, its choices as buttons. Only the right
/// choice is marked (`data-right`); `quiz.js` reveals the explanation once a choice is picked.
pub fn render(quiz: &Quiz, lesson: &str) -> String {
    let mut html = String::new();
    for (index, question) in quiz.question.iter().enumerate() {
        let number = index + 1;
        let _ = writeln!(
            html,
            "<div class=\"quiz\" id=\"quiz-{lesson}-{number}\">\n\
             <p class=\"quiz-ask\"><strong>{number}.</strong> {}</p>\n\
             <div class=\"quiz-choices\">",
            inline(&question.ask)
        );
        for (choice_index, choice) in question.choices.iter().enumerate() {
            let right = if choice_index + 1 == question.answer {
                " data-right=\"\""
            } else {
                ""
            };
            let _ = writeln!(
                html,
                "<button type=\"button\" class=\"quiz-choice\"{right}>{}</button>",
                inline(choice)
            );
        }
        let _ = writeln!(
            html,
            "</div>\n<p class=\"quiz-why\" hidden>{}</p>\n</div>\n",
            inline(&question.why)
        );
    }
    html
}

/// Text with its HTML escaped, and `code` between backticks set as code.
fn inline(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut html = String::new();
    for (index, piece) in escaped.split('`').enumerate() {
        if index % 2 == 1 {
            let _ = write!(html, "<code>{piece}</code>");
        } else {
            html.push_str(piece);
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        crate::workspace_root()
    }

    /// Every lesson's chapter ends with a quiz whose file is valid, and every quiz file belongs to
    /// a lesson that exists.
    #[test]
    fn every_lesson_ends_with_a_valid_quiz() {
        let mut lessons: Vec<String> = fs::read_dir(root().join("lessons"))
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| {
                name.starts_with("lesson-") && root().join("lessons").join(name).is_dir()
            })
            .collect();
        lessons.sort();
        assert!(!lessons.is_empty());
        for lesson in &lessons {
            let chapter = fs::read_to_string(root().join(format!("book/src/{lesson}.md")))
                .unwrap_or_else(|_| panic!("book/src/{lesson}.md is missing"));
            let (_, last_section) = chapter
                .rsplit_once("\n## ")
                .unwrap_or_else(|| panic!("{lesson}.md has no section"));
            assert!(
                last_section.starts_with("Check yourself")
                    && last_section.contains(&format!("{{{{#quiz {lesson}}}}}")),
                "{lesson}.md must end with a section \"## Check yourself\" holding \
                 {{{{#quiz {lesson}}}}}"
            );
            load(&root(), lesson).unwrap();
        }
        for entry in fs::read_dir(root().join(QUIZZES)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let lesson = name.trim_end_matches(".toml");
            assert!(
                lessons.iter().any(|l| l == lesson),
                "{QUIZZES}/{name} belongs to no lesson"
            );
        }
    }

    /// The right answers are not always in the same place: a reader cannot learn the position.
    #[test]
    fn right_answers_are_spread_over_the_positions() {
        let mut positions = std::collections::BTreeSet::new();
        for entry in fs::read_dir(root().join(QUIZZES)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let quiz = load(&root(), name.trim_end_matches(".toml")).unwrap();
            positions.extend(quiz.question.iter().map(|q| q.answer));
        }
        assert!(
            positions.len() >= 3,
            "the right answers sit only at {positions:?}"
        );
    }

    #[test]
    fn a_question_renders_as_buttons_with_the_right_one_marked_and_text_escaped() {
        let quiz: Quiz = toml::from_str(
            r#"
            [[question]]
            ask = "What does `a < b` print?"
            choices = ["`true` & more", "<nothing>"]
            answer = 2
            why = "Because."
            "#,
        )
        .unwrap();
        let html = render(&quiz, "lesson-99");
        assert!(html.contains("id=\"quiz-lesson-99-1\""), "{html}");
        assert!(
            html.contains("What does <code>a &lt; b</code> print?"),
            "{html}"
        );
        assert!(
            html.contains("<button type=\"button\" class=\"quiz-choice\"><code>true</code> &amp; more</button>"),
            "{html}"
        );
        assert!(
            html.contains("<button type=\"button\" class=\"quiz-choice\" data-right=\"\">&lt;nothing&gt;</button>"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"quiz-why\" hidden>Because.</p>"),
            "{html}"
        );
    }

    #[test]
    fn a_bad_answer_number_is_refused_with_the_file_and_the_question() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(QUIZZES)).unwrap();
        fs::write(
            dir.path().join(QUIZZES).join("lesson-99.toml"),
            "[[question]]\nask = \"a\"\nchoices = [\"x\", \"y\"]\nanswer = 1\nwhy = \"w\"\n\
             [[question]]\nask = \"b\"\nchoices = [\"x\", \"y\"]\nanswer = 3\nwhy = \"w\"\n",
        )
        .unwrap();
        let error = load(dir.path(), "lesson-99").unwrap_err().to_string();
        assert!(error.contains("question 2 has answer = 3"), "{error}");
    }
}
