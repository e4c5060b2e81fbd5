//! The worker program your code starts: `<worker> START END` prints the sum of the squares of
//! the numbers START..END (END excluded). You do not need to change it: the program itself is
//! `course_support::squares_worker`, shared with the other exercise of lesson 05.

fn main() -> std::process::ExitCode {
    course_support::squares_worker::run()
}
