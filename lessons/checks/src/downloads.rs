//! What the checks of every download exercise share (lessons 02 and 10): the results come back in
//! the order of the URLs, whichever download finished first.

use std::fmt::Display;

use course_loopback::{file_contents, file_number};

/// What a result is, in words: "the body of file2.zip", "an error (…)".
fn describe<E: Display>(result: &Result<Vec<u8>, E>, names: &[impl AsRef<str>]) -> String {
    match result {
        Err(error) => format!("an error ({error})"),
        Ok(body) => names
            .iter()
            .map(AsRef::as_ref)
            .find(|name| file_number(name).is_some() && file_contents(name) == *body)
            .map_or_else(
                || format!("{} bytes that are not a file of the server", body.len()),
                |name| format!("the body of {name}"),
            ),
    }
}

/// Checks that `results` hold, in order, the body of each name in `names`, or, for a name the
/// server does not serve, an error for which `not_served` is true.
pub fn assert_results_in_order<E: Display>(
    results: &[Result<Vec<u8>, E>],
    names: &[impl AsRef<str>],
    not_served: impl Fn(&E) -> bool,
) {
    assert_eq!(
        results.len(),
        names.len(),
        "{} URLs must give {} results",
        names.len(),
        names.len()
    );
    for (number, (result, name)) in results.iter().zip(names).enumerate() {
        let name = name.as_ref();
        let served = file_number(name).is_some();
        let right = match result {
            Ok(body) => served && *body == file_contents(name),
            Err(error) => !served && not_served(error),
        };
        let expected = if served {
            format!("the body of {name}")
        } else {
            format!("an error (the server has no {name})")
        };
        assert!(
            right,
            "result {number} should be {expected}, but it is {}: the results must be in the \
             order of the URLs, not in the order the downloads finished",
            describe(result, names)
        );
    }
}
