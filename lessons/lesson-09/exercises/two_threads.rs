//! What the checks of lesson 09's exercises share: a pool of four threads to run your code in.
//! Each exercise's checks add what watches their own work (a meeting of the threads that read
//! lines, a thread held up while it sums a piece). Included by each `checks.rs` with `#[path]`.

/// Runs `work` in a rayon pool of four threads, so that `par_iter`, `join` and `scope` inside it
/// have threads to spread over, whatever this machine's core count.
pub fn in_a_pool_of_four<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("a pool of four threads starts")
        .install(work)
}
