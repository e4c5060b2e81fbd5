//! Windows: a Job Object holds the run. Every process the test program starts is in it too (a
//! process cannot break away: the job does not allow it), and when the job is closed, which
//! happens at the latest when verify itself ends, every process in it is killed. A Ctrl-C in the
//! console reaches the run as it reaches verify. Memory is watched by verify, as on macOS: win32job
//! offers no safe way to set the job's own memory cap, and the course has no `unsafe`.

use std::collections::HashSet;
use std::os::windows::io::AsRawHandle as _;
use std::process::{Child, Command, ExitStatus};
use std::sync::Arc;

use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
use win32job::{ExtendedLimitInfo, Job};

use super::Containment;

/// The run's Job Object (`None` if the system refused to make one: the marker and the parents
/// still find the run's processes).
#[derive(Debug, Clone)]
pub struct Held(Option<Arc<Job>>);

/// Nothing to do: no signal reaches verify that the job does not answer.
pub fn prepare() {}

/// Orphans are found by the job and the marker.
pub fn become_subreaper() {}

pub fn configure(_command: &mut Command) {}

/// Puts the test program in a new Job Object that kills it and its descendants when closed.
pub fn hold(child: &Child, _how: Containment) -> Held {
    let job = Job::create().ok().filter(|job| {
        let mut info = ExtendedLimitInfo::new();
        info.limit_kill_on_job_close();
        job.set_extended_limit_info(&info).is_ok()
            && job.assign_process(child.as_raw_handle() as isize).is_ok()
    });
    Held(job.map(Arc::new))
}

/// The processes still in the run's job.
pub fn still_held(held: &Held, _program: u32, _living: &[u32]) -> HashSet<u32> {
    held.0
        .as_ref()
        .and_then(|job| job.query_process_id_list().ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|pid| u32::try_from(pid).ok())
        .collect()
}

pub fn kill(pids: &[u32]) {
    let pids: Vec<sysinfo::Pid> = pids.iter().map(|&p| sysinfo::Pid::from_u32(p)).collect();
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&pids),
        true,
        ProcessRefreshKind::nothing(),
    );
    for pid in pids {
        if let Some(process) = system.process(pid) {
            process.kill();
        }
    }
}

/// Windows reaps its processes itself.
pub fn reap(_pids: &HashSet<u32>, _how: Containment) {}

/// verify sees the processes, not what their threads wait in.
pub fn describe_threads(pids: &[u32], _how: Containment) -> Vec<String> {
    super::describe_processes_only(pids)
}

/// How a test program ended, to follow "The test program …".
pub fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        // NTSTATUS codes, as Windows reports a crash.
        Some(code) if code < 0 => {
            let code = code.cast_unsigned();
            let meaning = match code {
                0xC000_0409 => " (an abort: a panic that could not unwind, or std::process::abort)",
                0xC000_0005 => " (an access violation)",
                0xC000_00FD => " (a stack overflow)",
                0xC000_013A => " (Ctrl-C)",
                _ => "",
            };
            format!("ended with status 0x{code:08X}{meaning}")
        }
        Some(code) => format!("exited with code {code}"),
        None => "ended in an unknown way".into(),
    }
}
