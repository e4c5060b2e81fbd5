//! Part 5: a slow consumer, behind a queue built from `Mutex` and `Condvar`, then behind
//! `sync_channel`.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::bounded_queue::BoundedQueue;

// ANCHOR: condvar
const CAPACITY: usize = 2;
const ITEMS: u32 = 6;

pub fn queue_with_a_slow_consumer(pause: Duration) {
    let queue = BoundedQueue::new(CAPACITY);
    let (most_held, got) = thread::scope(|s| {
        let producer = s.spawn(|| (1..=ITEMS).map(|item| queue.push(item)).max());
        let consumer = s.spawn(|| {
            let take = |_| {
                let item = queue.pop();
                thread::sleep(pause); // a slow consumer: the producer waits on `not_full`
                item
            };
            (0..ITEMS).map(take).collect::<Vec<_>>()
        });
        (producer.join().unwrap(), consumer.join().unwrap())
    });
    let bound = if most_held <= Some(CAPACITY) {
        "never more than"
    } else {
        "MORE THAN"
    };
    println!("Mutex + Condvar: got {got:?}, {bound} {CAPACITY} in the queue");
}

pub fn sync_channel_with_a_slow_consumer(pause: Duration) {
    let (sender, receiver) = mpsc::sync_channel(CAPACITY); // send waits while 2 are queued
    let got = thread::scope(|s| {
        s.spawn(move || (1..=ITEMS).for_each(|item| sender.send(item).unwrap()));
        let slowly = |item| {
            thread::sleep(pause);
            item
        };
        receiver.iter().map(slowly).collect::<Vec<_>>() // ends when the sender is dropped
    });
    println!("sync_channel({CAPACITY}): got {got:?}");
}
// ANCHOR_END: condvar
