//! What lesson 09's checks share: inputs drawn afresh on every run, and an allocator through
//! which the checks see on which thread a map of counts is made.
//!
//! A word count that reads its lines in parallel and then counts them on one thread gives the
//! same answer as one that counts in parallel; so does one where every thread adds to one map
//! behind a lock. What differs is where the maps are made: in the second style each piece of
//! work makes its own, on its own thread. A map's storage comes from the allocator, so an
//! allocator that notes the thread of every allocation of a map's kind sees it. The exercise's
//! checks install [`NotingAllocator`] with `#[global_allocator]`, [`learn`] the kinds of storage
//! a map of counts allocates, then [`watch`] the learner's function.

use std::alloc::System;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use tracking_allocator::{AllocationGroupId, AllocationRegistry, AllocationTracker, Allocator};

/// The allocator to install in a test program with
/// `#[global_allocator] static ALLOCATOR: NotingAllocator = noting_allocator();`.
pub type NotingAllocator = Allocator<System>;

/// The system's allocator, with a hook that [`learn`] and [`watch`] use.
#[must_use]
pub const fn noting_allocator() -> NotingAllocator {
    Allocator::system()
}

/// What happened while [`watch`] watched, in the order it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Storage of a learned kind (a map's) was allocated on this thread.
    Made { thread: usize },
    /// The checks' own note, made with [`mark`] on this thread.
    Mark { mark: u8, thread: usize },
}

/// A small number for the current thread, the same for every call on it (1, 2, …).
pub fn thread_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    thread_local! {
        static NUMBER: Cell<usize> = const { Cell::new(0) };
    }
    NUMBER.with(|number| {
        if number.get() == 0 {
            number.set(NEXT.fetch_add(1, Ordering::Relaxed));
        }
        number.get()
    })
}

/// The thread that is learning, or 0.
static LEARNER: AtomicUsize = AtomicUsize::new(0);
static WATCHING: AtomicBool = AtomicBool::new(false);
/// The kinds of storage learned: (size asked for, size with the tracker's header).
static KINDS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
static TIMELINE: Mutex<Vec<Event>> = Mutex::new(Vec::new());

struct Noter;

impl AllocationTracker for Noter {
    // Called on the allocating thread, never for an allocation the tracker itself makes.
    fn allocated(
        &self,
        _addr: usize,
        object_size: usize,
        wrapped_size: usize,
        _group_id: AllocationGroupId,
    ) {
        let learner = LEARNER.load(Ordering::Acquire);
        let watching = WATCHING.load(Ordering::Acquire);
        if learner == 0 && !watching {
            return;
        }
        let thread = thread_number();
        let kind = (object_size, wrapped_size);
        let mut kinds = KINDS.lock().unwrap_or_else(PoisonError::into_inner);
        if learner == thread && !kinds.contains(&kind) {
            kinds.push(kind);
        }
        if watching && kinds.contains(&kind) {
            drop(kinds);
            TIMELINE
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Event::Made { thread });
        }
    }

    fn deallocated(
        &self,
        _addr: usize,
        _object_size: usize,
        _wrapped_size: usize,
        _source_group_id: AllocationGroupId,
        _current_group_id: AllocationGroupId,
    ) {
    }
}

fn install_the_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Only this module sets a tracker: an error means it is set already.
        let _ = AllocationRegistry::set_global_tracker(Noter);
        AllocationRegistry::enable_tracking();
    });
}

/// Runs `make` and notes the kind of every allocation this thread makes meanwhile: from then on
/// [`watch`] notes every allocation of those kinds. Make only the storage to watch for in
/// `make` (build the keys of a map before, insert them inside).
///
/// # Panics
/// If nothing was learned: the test program does not use [`NotingAllocator`].
pub fn learn<T>(make: impl FnOnce() -> T) -> T {
    install_the_hook();
    LEARNER.store(thread_number(), Ordering::Release);
    let value = make();
    LEARNER.store(0, Ordering::Release);
    let learned = KINDS.lock().unwrap_or_else(PoisonError::into_inner).len();
    assert!(
        learned > 0,
        "the checks learned no kind of storage: their test program must install \
         `#[global_allocator] static ALLOCATOR: NotingAllocator = noting_allocator();`"
    );
    value
}

/// Runs `work` and returns, with its value, what happened meanwhile on every thread: the
/// allocations of the kinds [`learn`] saw, and the checks' own [`mark`]s.
pub fn watch<T>(work: impl FnOnce() -> T) -> (T, Vec<Event>) {
    install_the_hook();
    AllocationRegistry::untracked(|| {
        let mut timeline = TIMELINE.lock().unwrap_or_else(PoisonError::into_inner);
        timeline.clear();
        timeline.reserve(1 << 16);
    });
    WATCHING.store(true, Ordering::Release);
    let value = work();
    WATCHING.store(false, Ordering::Release);
    let events = AllocationRegistry::untracked(|| {
        std::mem::take(&mut *TIMELINE.lock().unwrap_or_else(PoisonError::into_inner))
    });
    (value, events)
}

/// Notes `mark` on the timeline of [`watch`], with this thread's number.
pub fn mark(mark: u8) {
    if !WATCHING.load(Ordering::Acquire) {
        return;
    }
    let thread = thread_number();
    AllocationRegistry::untracked(|| {
        TIMELINE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Event::Mark { mark, thread });
    });
}

/// Runs `work` in a rayon pool of four threads, so that `par_iter`, `join` and `scope` inside it
/// have threads to spread over, whatever this machine's core count.
pub fn in_a_pool_of_four<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("a pool of four threads starts")
        .install(work)
}
