//! What the checks of lesson 02's exercises share (download-in-order, at-most-k-downloads): an
//! agent whose every wait is bounded, and the check that the results come in the order of the
//! URLs.

use std::time::Duration;

use course_loopback::{file_contents, file_number};
use ureq::Agent;

/// Why code that looks as if it starts every thread first may not: said with every message
/// that asks for it.
pub const TRAP: &str = "Iterators are lazy: in `.map(spawn).map(join)` each thread is joined \
     before the next is spawned, so `.collect()` the handles into a `Vec` first";

/// An agent whose every wait is bounded, so that no check can hang on the network.
#[must_use]
pub fn agent() -> Agent {
    Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_per_read(Some(Duration::from_secs(10)))
        .timeout_per_write(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// What a result is, in words: "the body of file2.zip", "an error (…)".
fn describe(result: &Result<Vec<u8>, ureq::Error>, names: &[&str]) -> String {
    match result {
        Err(error) => format!("an error ({error})"),
        Ok(body) => names
            .iter()
            .find(|name| file_number(name).is_some() && file_contents(name) == *body)
            .map_or_else(
                || format!("{} bytes that are not a file of the server", body.len()),
                |name| format!("the body of {name}"),
            ),
    }
}

/// Checks that `results` hold, in order, the body of each name in `names`, or a 404 error for a
/// name the server does not serve.
pub fn assert_results_in_order(results: &[Result<Vec<u8>, ureq::Error>], names: &[&str]) {
    assert_eq!(
        results.len(),
        names.len(),
        "{} URLs must give {} results",
        names.len(),
        names.len()
    );
    for (number, (result, name)) in results.iter().zip(names).enumerate() {
        let right = match result {
            Ok(body) => file_number(name).is_some() && *body == file_contents(name),
            Err(ureq::Error::StatusCode(404)) => file_number(name).is_none(),
            Err(_) => false,
        };
        let expected = if file_number(name).is_some() {
            format!("the body of {name}")
        } else {
            format!("the error 404 of {name}")
        };
        assert!(
            right,
            "result {number} should be {expected}, but it is {}: the results must be in the \
             order of the URLs, not in the order the downloads finished",
            describe(result, names)
        );
    }
}
