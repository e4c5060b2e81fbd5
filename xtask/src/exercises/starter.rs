//! The starter of an exercise, derived from its solution.
//!
//! An exercise keeps two copies of its code: the learner's file `src/lib.rs`, shipped as the
//! starter, and the reference solution `solution/lib.rs`. Where the starter differs, the solution
//! holds the starter's lines in a region of comments, followed by its own:
//!
//! ```text
//!     //~ starter:
//!     //~ if value > self.max.load(Ordering::Relaxed) {
//!     //~     self.max.store(value, Ordering::Relaxed);
//!     //~ }
//!     //~ solution:
//!     self.max.fetch_max(value, Ordering::Relaxed);
//!     //~ end
//! ```
//!
//! The starter is the solution with each region replaced by its starter lines, each indented as
//! the `//~ starter:` line is. So `cargo xtask reset` can put the starter back, and `verify
//! --solutions` can prove that `src/lib.rs` as shipped is that starter, without a third copy.

use anyhow::{Result, bail};

const STARTER: &str = "//~ starter:";
const SOLUTION: &str = "//~ solution:";
const END: &str = "//~ end";

/// Where a line of the solution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    /// Shared by the starter and the solution.
    Both,
    /// A starter's line, commented out (`//~ …`).
    Starter,
    /// The solution's own lines, which the starter leaves out.
    Solution,
}

/// The starter that `solution` (the text of `solution/lib.rs`) holds. An unbalanced region is an
/// error naming its line.
pub fn starter_of(solution: &str) -> Result<String> {
    let mut starter = String::with_capacity(solution.len());
    let mut region = Region::Both;
    let mut indent = "";
    let mut opened_at = 0;
    for (index, line) in solution.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let text = line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start();
        match (region, trimmed) {
            (Region::Both, STARTER) => {
                region = Region::Starter;
                indent = &text[..text.len() - trimmed.len()];
                opened_at = number;
            }
            (Region::Starter, SOLUTION) => region = Region::Solution,
            (Region::Starter | Region::Solution, END) => region = Region::Both,
            (_, STARTER | SOLUTION | END) => {
                bail!(
                    "line {number}: `{trimmed}` out of place (see xtask/src/exercises/starter.rs)"
                )
            }
            (Region::Both, _) if trimmed.starts_with("//~") => {
                bail!("line {number}: `//~` outside a `{STARTER}` region")
            }
            (Region::Both, _) => starter.push_str(line),
            (Region::Starter, _) => {
                let Some(content) = trimmed.strip_prefix("//~") else {
                    bail!("line {number}: a starter line must begin with `//~`")
                };
                let content = content.strip_prefix(' ').unwrap_or(content);
                if !content.is_empty() {
                    starter.push_str(indent);
                    starter.push_str(content);
                }
                starter.push_str(&line[text.len()..]);
            }
            (Region::Solution, _) => {}
        }
    }
    if region != Region::Both {
        bail!("the `{STARTER}` region opened on line {opened_at} has no `{END}`");
    }
    Ok(starter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_gives_the_starter_its_lines_at_the_region_s_indentation() {
        let solution = "fn f() {\n    //~ starter:\n    //~ if a {\n    //~     b();\n    \
                        //~ }\n    //~\n    //~ solution:\n    c();\n    //~ end\n}\n";
        assert_eq!(
            starter_of(solution).unwrap(),
            "fn f() {\n    if a {\n        b();\n    }\n\n}\n"
        );
    }

    #[test]
    fn a_file_without_regions_is_its_own_starter() {
        assert_eq!(starter_of("a\nb\n").unwrap(), "a\nb\n");
    }

    #[test]
    fn an_unbalanced_region_names_its_line() {
        let error = starter_of("a\n//~ starter:\n//~ b\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
        let error = starter_of("a\n//~ end\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
        let error = starter_of("//~ starter:\nb\n//~ end\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
    }
}
