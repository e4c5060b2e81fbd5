//! Part 5: a tiny executor: a queue of tasks, `spawn`, `run`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Tasks whose every poll is printed; above it, only the counts.
const TRACED_TASKS: usize = 5;

// ANCHOR: yield_now
/// A future that gives its turn away once: its first poll wakes its own waker (the task goes back
/// to the end of the queue) and returns `Pending`; its second is `Ready`.
#[derive(Default)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_now

// ANCHOR: executor
type BoxedFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A task: a future, and the way back into the queue. Waking a task sends it to the queue.
struct Task {
    number: usize,
    future: Mutex<Option<BoxedFuture>>,
    queue: Sender<Arc<Task>>,
    wakes: Arc<AtomicUsize>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        let queue = self.queue.clone();
        let _ = queue.send(self); // the executor polls it again when its turn comes
    }
}

struct Executor {
    queue: Receiver<Arc<Task>>,
    sender: Sender<Arc<Task>>,
    spawned: usize,
    wakes: Arc<AtomicUsize>,
}

impl Executor {
    fn new() -> Self {
        let (sender, queue) = mpsc::channel();
        Executor {
            queue,
            sender,
            spawned: 0,
            wakes: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn spawn(&mut self, future: impl Future<Output = ()> + Send + 'static) {
        self.spawned += 1;
        let task = Arc::new(Task {
            number: self.spawned,
            future: Mutex::new(Some(Box::pin(future))),
            queue: self.sender.clone(),
            wakes: Arc::clone(&self.wakes),
        });
        self.sender.send(task).unwrap(); // its first poll needs no wake
    }

    /// Polls the tasks in the order the queue brings them, until every one is done.
    fn run(self, trace: bool) -> usize {
        let (mut polls, mut done) = (0, 0);
        while done < self.spawned {
            let task = self.queue.recv().unwrap(); // sleeps while no task is woken
            let mut slot = task.future.lock().unwrap();
            let Some(mut future) = slot.take() else {
                continue;
            }; // done: a late wake
            let waker = Waker::from(Arc::clone(&task));
            polls += 1;
            let poll = future.as_mut().poll(&mut Context::from_waker(&waker));
            if trace {
                println!("  poll task {}: {poll:?}", task.number);
            }
            match poll {
                Poll::Pending => *slot = Some(future), // it arranged its own wake-up
                Poll::Ready(()) => done += 1,
            }
        }
        polls
    }
}
// ANCHOR_END: executor

// ANCHOR: run_tasks
pub fn run_tasks(tasks: usize) {
    let mut executor = Executor::new();
    for number in 1..=tasks {
        let turns_to_give = number % 3; // 1, 2, 0, 1, 2, 0, …
        executor.spawn(async move {
            for _ in 0..turns_to_give {
                YieldNow::default().await;
            }
        });
    }
    let wakes = Arc::clone(&executor.wakes);
    let polls = executor.run(tasks <= TRACED_TASKS);
    let wakes = wakes.load(Ordering::SeqCst);
    println!("executor: {tasks} tasks, {polls} polls for {wakes} wakes");
}
// ANCHOR_END: run_tasks
