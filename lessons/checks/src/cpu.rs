//! CPU time: how much of a wait was spent working. A thread that waits the way the course
//! teaches (a blocking `recv`, a `Condvar`, a `Semaphore`'s `acquire`) sleeps in the kernel and
//! burns next to nothing; a loop that polls (`try_recv` until it works, `yield_now` on an
//! atomic) burns a core for as long as it waits, except that a loop which yields gives its time
//! away to anything else on its core, and on a busy core burns little.

use std::time::{Duration, Instant};

use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

/// The CPU time this process has used so far, all its threads together (the kernel counts it
/// in ticks of a few milliseconds).
///
/// # Panics
/// If the system does not report this process (it always does on Linux, macOS and Windows).
#[must_use]
pub fn used_so_far() -> Duration {
    let pid = Pid::from_u32(std::process::id());
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing().with_cpu(),
    );
    let process = system
        .process(pid)
        .expect("the system reports this process");
    Duration::from_millis(process.accumulated_cpu_time())
}

/// What a piece of work cost: the time it took, and the CPU time the process used meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    pub wall: Duration,
    pub cpu: Duration,
}

impl Cost {
    /// The CPU time used per second of wall time: 0 for a wait that sleeps, about 1 for one
    /// thread that spins, about 2 for two.
    #[must_use]
    pub fn cores_busy(&self) -> f64 {
        self.cpu.as_secs_f64() / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Runs `work` and says what it cost.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Cost) {
    let cpu_before = used_so_far();
    let started = Instant::now();
    let value = work();
    let wall = started.elapsed();
    let cpu = used_so_far().saturating_sub(cpu_before);
    (value, Cost { wall, cpu })
}

/// The most of a core that a wait may burn and still count as sleeping. A wait that sleeps
/// uses a few milliseconds per second (waking up, a timer); a spin uses most of a core, even on
/// a busy machine where it shares that core with others.
pub const SLEEPING_WAIT: f64 = 0.25;
