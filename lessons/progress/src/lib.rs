//! A spinner for a step that runs for seconds with nothing to print (a round of lesson 07's
//! Mutex-or-RwLock measurement, one row of lesson 10's growth curve). It is drawn only when
//! standard output is a terminal, as lesson 02's progress bars are, and cleared before the step's
//! line is printed, so what a lesson prints into a pipe or a file (and its snapshot) does not
//! change.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shows `message`, a spinner and the time so far, until it is dropped.
#[derive(Debug)]
pub struct Spinner(ProgressBar);

impl Spinner {
    pub fn start(message: String) -> Self {
        if !std::io::stdout().is_terminal() {
            return Spinner(ProgressBar::hidden());
        }
        let style = ProgressStyle::with_template("{msg} {spinner} {elapsed}")
            .expect("the template is valid");
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout())
            .with_style(style)
            .with_message(message);
        bar.enable_steady_tick(Duration::from_millis(100));
        Spinner(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
