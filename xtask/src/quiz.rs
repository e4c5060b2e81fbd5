//! The "Check yourself" quiz at the end of each lesson's chapter.
//!
//! A lesson's questions live in its folder, `lessons/<lesson>/quiz.toml`; the chapter shows them with
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

/// Where the quiz of `lesson` (`lesson-01`) lives: in the lesson's folder.
pub fn quiz_file(root: &Path, lesson: &str) -> std::path::PathBuf {
    root.join("lessons").join(lesson).join("quiz.toml")
}

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
    let path = quiz_file(root, lesson);
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

    /// Every lesson's chapter ends with a quiz, and its file, `lessons/<lesson>/quiz.toml`, is
    /// valid.
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
    }

    /// Every quiz of the course, by lesson name, in lesson order.
    fn every_quiz() -> Vec<(String, Quiz)> {
        let mut lessons: Vec<String> = fs::read_dir(root().join("lessons"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| quiz_file(&root(), name).is_file())
            .collect();
        lessons.sort();
        lessons
            .into_iter()
            .map(|lesson| {
                let quiz = load(&root(), &lesson).unwrap();
                (lesson, quiz)
            })
            .collect()
    }

    /// Where the right choice stands among its question's choices, by length in characters.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Length {
        /// No other choice is longer (ties count here: they do not hide a long answer).
        Longest,
        /// Some choice is longer and some shorter.
        Between,
        /// No other choice is shorter.
        Shortest,
    }

    impl Length {
        const ALL: [Length; 3] = [Length::Longest, Length::Between, Length::Shortest];

        fn of_answer(question: &Question) -> Length {
            let length = |choice: &String| choice.trim().chars().count();
            let right = length(&question.choices[question.answer - 1]);
            let others: Vec<usize> = (1..=question.choices.len())
                .filter(|&number| number != question.answer)
                .map(|number| length(&question.choices[number - 1]))
                .collect();
            if others.iter().all(|&other| other <= right) {
                Length::Longest
            } else if others.iter().all(|&other| other >= right) {
                Length::Shortest
            } else {
                Length::Between
            }
        }

        fn name(self) -> &'static str {
            match self {
                Length::Longest => "the longest choice",
                Length::Between => "neither the longest nor the shortest choice",
                Length::Shortest => "the shortest choice",
            }
        }
    }

    /// The right choice's length over the mean length of its question's choices.
    #[allow(clippy::cast_precision_loss, reason = "a few hundred characters")]
    fn length_ratio(question: &Question) -> f64 {
        let length = |choice: &String| choice.trim().chars().count() as f64;
        let mean = question.choices.iter().map(length).sum::<f64>() / question.choices.len() as f64;
        length(&question.choices[question.answer - 1]) / mean
    }

    /// What lets a reader pick the right choice without reading the chapter: its length or its
    /// place, too often the same. One line per giveaway, none when the quizzes give nothing away.
    ///
    /// - In a lesson of three questions or more, no rank by length (the longest choice, the
    ///   shortest, or one in between) holds the right answer in more than half of them, and in
    ///   a lesson of four questions or more no position holds more than half of its answers.
    /// - Over the course, the right choice is the longest in at most two questions in five, and
    ///   no other rank by length holds it in more than half of them; on average it is at most 15 %
    ///   longer than its question's choices; and each position that every question has holds
    ///   between half and one and a half times its fair share of the answers.
    fn giveaways(quizzes: &[(String, Quiz)]) -> Vec<String> {
        let mut found = Vec::new();
        let questions: Vec<&Question> = quizzes
            .iter()
            .flat_map(|(_, quiz)| &quiz.question)
            .collect();
        let count = |questions: &[&Question], wanted: &dyn Fn(&Question) -> bool| {
            questions.iter().filter(|question| wanted(question)).count()
        };
        for (lesson, quiz) in quizzes {
            let mine: Vec<&Question> = quiz.question.iter().collect();
            let n = mine.len();
            if n >= 3 {
                for rank in Length::ALL {
                    let k = count(&mine, &|q| Length::of_answer(q) == rank);
                    if 2 * k > n {
                        found.push(format!(
                            "{lesson}: the right answer is {} in {k} of its {n} questions \
                             (at most half may be)",
                            rank.name()
                        ));
                    }
                }
            }
            if n >= 4 {
                let most = mine.iter().map(|q| q.answer).max().unwrap_or(0);
                for position in 1..=most {
                    let k = count(&mine, &|q| q.answer == position);
                    if 2 * k > n {
                        found.push(format!(
                            "{lesson}: the right answer is choice {position} in {k} of its {n} \
                             questions (at most half may share a position)"
                        ));
                    }
                }
            }
        }
        let n = questions.len();
        if n == 0 {
            return found;
        }
        let longest = count(&questions, &|q| Length::of_answer(q) == Length::Longest);
        if 5 * longest > 2 * n {
            found.push(format!(
                "the course: the right answer is the longest choice in {longest} of {n} \
                 questions (at most two in five may be)"
            ));
        }
        for rank in [Length::Between, Length::Shortest] {
            let k = count(&questions, &|q| Length::of_answer(q) == rank);
            if 2 * k > n {
                found.push(format!(
                    "the course: the right answer is {} in {k} of {n} questions \
                     (at most half may be)",
                    rank.name()
                ));
            }
        }
        #[allow(clippy::cast_precision_loss, reason = "a few hundred questions")]
        let mean_ratio = questions.iter().map(|q| length_ratio(q)).sum::<f64>() / n as f64;
        if mean_ratio > 1.15 {
            found.push(format!(
                "the course: the right answer is on average {:.0} % longer than its question's \
                 choices (at most 15 %)",
                (mean_ratio - 1.0) * 100.0
            ));
        }
        let fewest = questions.iter().map(|q| q.choices.len()).min().unwrap_or(0);
        for position in 1..=fewest {
            let k = count(&questions, &|q| q.answer == position);
            // Between half and one and a half times n / fewest, in whole numbers.
            if 2 * k * fewest < n || 2 * k * fewest > 3 * n {
                found.push(format!(
                    "the course: the right answer is choice {position} in {k} of {n} questions \
                     (a fair share is {n}/{fewest}; between half and one and a half times that \
                     may be)"
                ));
            }
        }
        found
    }

    /// Neither the length of a choice nor its place gives the answer away, in any lesson or
    /// over the course (see [`giveaways`] for the rules).
    #[test]
    fn no_quiz_can_be_answered_by_length_or_position() {
        let found = giveaways(&every_quiz());
        assert!(
            found.is_empty(),
            "a reader could answer these quizzes without reading the chapters; rewrite or \
             reorder the choices (keep each right and each wrong one plausible):\n{}",
            found.join("\n")
        );
    }

    fn question(choices: [&str; 3], answer: usize) -> Question {
        Question {
            ask: "?".to_string(),
            choices: choices.map(String::from).to_vec(),
            answer,
            why: "because".to_string(),
        }
    }

    /// The rules catch a course whose right answers are always the longest, at one position.
    #[test]
    fn a_quiz_whose_answer_is_always_the_longest_second_choice_is_caught() {
        let quiz = || Quiz {
            question: (0..4)
                .map(|_| question(["short", "the longest choice of all", "medium one"], 2))
                .collect(),
        };
        let found = giveaways(&[("lesson-98".into(), quiz()), ("lesson-99".into(), quiz())]);
        let all = found.join("\n");
        for expected in [
            "lesson-98: the right answer is the longest choice in 4 of its 4 questions",
            "lesson-99: the right answer is choice 2 in 4 of its 4 questions",
            "the course: the right answer is the longest choice in 8 of 8 questions",
            "the course: the right answer is on average",
            "the course: the right answer is choice 1 in 0 of 8 questions",
            "the course: the right answer is choice 2 in 8 of 8 questions",
        ] {
            assert!(all.contains(expected), "{expected:?} not in:\n{all}");
        }
    }

    /// The same kind of questions, with the right answer spread over lengths and positions,
    /// pass: the rules can be met.
    #[test]
    fn a_quiz_with_answers_spread_over_lengths_and_positions_passes() {
        let first = Quiz {
            question: vec![
                question(["bbbb", "aa", "cccccc"], 1),
                question(["aa", "cccccc", "bbbb"], 2),
                question(["cccccc", "bbbb", "aa"], 3),
                question(["aa", "bbbb", "cccccc"], 1),
            ],
        };
        let mut second = Quiz {
            question: first
                .question
                .iter()
                .map(|q| {
                    question(
                        [&q.choices[0], &q.choices[1], &q.choices[2]].map(String::as_str),
                        q.answer,
                    )
                })
                .collect(),
        };
        second.question[3].answer = 2;
        let found = giveaways(&[("lesson-98".into(), first), ("lesson-99".into(), second)]);
        assert!(found.is_empty(), "{}", found.join("\n"));
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
        fs::create_dir_all(dir.path().join("lessons/lesson-99")).unwrap();
        fs::write(
            quiz_file(dir.path(), "lesson-99"),
            "[[question]]\nask = \"a\"\nchoices = [\"x\", \"y\"]\nanswer = 1\nwhy = \"w\"\n\
             [[question]]\nask = \"b\"\nchoices = [\"x\", \"y\"]\nanswer = 3\nwhy = \"w\"\n",
        )
        .unwrap();
        let error = load(dir.path(), "lesson-99").unwrap_err().to_string();
        assert!(error.contains("question 2 has answer = 3"), "{error}");
    }
}
