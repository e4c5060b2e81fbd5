//! Scaffolding, not part of the lesson's listing: every part runs under a time limit, so that a
//! task that waits forever (for a lock, a message, a permit) is named instead of hanging the
//! lesson.

use std::time::Duration;

use crate::cli::Part;

/// Runs `part`, and gives up when it has not finished within a bound far above what any part
/// takes: a few minutes, plus a hundred of its pauses. Returns whether it finished; when it did
/// not, says so on standard error.
pub async fn within(pause: Duration, part: Part, body: impl Future<Output = ()>) -> bool {
    let limit = Duration::from_secs(300) + pause * 100;
    if tokio::time::timeout(limit, body).await.is_ok() {
        return true;
    }
    eprintln!(
        "error: part \"{}\" did not finish within {limit:?}: one of its tasks still waits for a \
         lock, a message or a permit that never comes",
        course_support::title(&part)
    );
    false
}
