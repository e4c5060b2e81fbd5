//! What the checks of lesson 02's exercises share (download-in-order, at-most-k-downloads): an
//! agent whose every wait is bounded, and the check that the results come in the order of the
//! URLs.

use std::time::Duration;

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

/// Checks that `results` hold, in order, the body of each name in `names`, or a 404 error for a
/// name the server does not serve (see [`crate::downloads::assert_results_in_order`]).
pub fn assert_results_in_order(results: &[Result<Vec<u8>, ureq::Error>], names: &[&str]) {
    crate::downloads::assert_results_in_order(results, names, |error| {
        matches!(error, ureq::Error::StatusCode(404))
    });
}
