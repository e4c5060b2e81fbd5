//! Lesson 06: channels. Run it with `cargo run -p lesson-06`; `--help` lists the flags.
mod cli;

use std::fmt;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use cli::{Args, Part};

const PRODUCERS: usize = 3;
const MESSAGES_EACH: usize = 3;

// ANCHOR: producers
/// What a producer sends: who sent it, and its place among that producer's messages.
#[derive(Debug)]
struct Message {
    producer: usize,
    sequence: usize,
}

/// Starts the producers. Each gets a clone of `sender` and sends its messages, a pause apart;
/// its clone is dropped when its thread ends.
fn start_producers(sender: &Sender<Message>, pause: Duration) -> Vec<JoinHandle<()>> {
    (1..=PRODUCERS)
        .map(|producer| {
            let sender = sender.clone();
            thread::spawn(move || {
                for sequence in 1..=MESSAGES_EACH {
                    thread::sleep(pause);
                    sender.send(Message { producer, sequence }).unwrap();
                }
            })
        })
        .collect()
}
// ANCHOR_END: producers

// ANCHOR: fan_in
fn fan_in(pause: Duration) {
    println!("{PRODUCERS} producers send {MESSAGES_EACH} messages each over one channel");
    let (sender, receiver) = mpsc::channel();
    start_producers(&sender, pause); // not joined: the loop below ends when they are done
    drop(sender); // main's own Sender; from here on only the producers hold one
    // Messages arrive interleaved, in an order the scheduler picks. Each producer's messages
    // arrive in the order it sent them, so one list per producer is the same on every run.
    let mut by_producer = vec![Vec::new(); PRODUCERS];
    for message in receiver {
        by_producer[message.producer - 1].push(message.sequence);
    }
    for (index, sequences) in by_producer.iter().enumerate() {
        println!("producer {}: messages {sequences:?}", index + 1);
    }
    println!("the loop ended by itself: every producer had finished and dropped its Sender");
}
// ANCHOR_END: fan_in

// ANCHOR: kept_sender
fn keep_a_sender_by_mistake(pause: Duration) {
    println!("The same producers; this time main keeps its Sender, and a consumer thread loops");
    let (sender, receiver) = mpsc::channel();
    let producers = start_producers(&sender, pause);
    let (loop_ended, consumer_done) = mpsc::channel();
    let consumer = thread::spawn(move || {
        let mut count = 0;
        for _message in receiver {
            count += 1;
        }
        loop_ended.send(()).unwrap();
        count
    });
    for producer in producers {
        producer.join().unwrap(); // its Sender is gone: only main's is left
    }
    println!("every producer has finished and dropped its Sender");
    // Certain, not a guess: the loop cannot end while `sender` lives, however long we wait.
    if consumer_done.recv_timeout(pause).is_err() {
        println!("watchdog: the consumer's loop still waits after {pause:?}; main holds a Sender");
    }
    drop(sender);
    let count = consumer.join().unwrap();
    println!("main drops its Sender: the loop ends, after all {count} messages");
}
// ANCHOR_END: kept_sender

const CAPACITY: usize = 3;
const TO_SEND: usize = 7;

// ANCHOR: fast_producer
/// Sends `TO_SEND` messages as fast as the channel lets it. Before a send that would block, it
/// reports how many messages it has sent, and returns how long it spent blocked.
fn fast_producer(sender: &SyncSender<usize>, buffer_full: &Sender<usize>) -> Duration {
    let mut blocked = Duration::ZERO;
    for message in 1..=TO_SEND {
        if let Err(TrySendError::Full(message)) = sender.try_send(message) {
            buffer_full.send(message - 1).unwrap(); // every earlier message was sent
            let started = Instant::now();
            sender.send(message).unwrap(); // waits until the consumer takes one
            blocked += started.elapsed();
        }
    }
    blocked
}
// ANCHOR_END: fast_producer

// ANCHOR: back_pressure
fn back_pressure(pause: Duration) {
    println!("sync_channel({CAPACITY}): a producer sends {TO_SEND} messages as fast as it can,");
    println!("the consumer takes one after every pause");
    let (sender, receiver) = mpsc::sync_channel(CAPACITY);
    let (buffer_full, full_reports) = mpsc::channel();
    let producer = thread::spawn(move || fast_producer(&sender, &buffer_full));
    let (mut taken, mut most_in_flight) = (0, 0);
    // The consumer takes a message only once the producer has found the buffer full, so every
    // run meets the same moments, however the threads are scheduled.
    for sent in full_reports {
        let in_flight = sent - taken;
        most_in_flight = most_in_flight.max(in_flight);
        thread::sleep(pause); // the slow consumer's work
        let message = receiver.recv().unwrap();
        taken += 1;
        println!(
            "buffer full, {in_flight} in flight, the producer waits to send message {}; \
             the consumer takes message {message}",
            sent + 1
        );
    }
    // The reports end when the producer has finished; what it sent last is still buffered.
    let rest: Vec<usize> = receiver.iter().collect();
    println!("the producer has finished; the consumer takes the rest: {rest:?}");
    let blocked = producer.join().unwrap();
    println!("most messages in flight: {most_in_flight}, the capacity");
    println!("the producer spent {blocked:.1?} blocked in send");
}
// ANCHOR_END: back_pressure

/// Six lines: one more than a pipeline whose writer stops after two can take in (two written,
/// one in each channel, one in the transform stage's hands), so the reader always sees a send fail.
const TEXT: &str = "\
channels carry values from thread to thread
a sender can be cloned, a receiver cannot
a loop over a receiver ends when every sender is gone
a bounded channel makes a fast sender wait
each stage owns a value while it works on it
dropping a channel's end tells the other side";

/// How a stage of the pipeline ended.
#[derive(Debug)]
enum Ending {
    InputEnded,
    NextStageGone,
    NoRoomLeft,
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ending::InputEnded => "its input ended; it returned and dropped its channel ends",
            Ending::NextStageGone => "a send failed, the next stage had gone; it stopped too",
            Ending::NoRoomLeft => "no room for more lines; it stopped and dropped its Receiver",
        })
    }
}

// ANCHOR: stages
fn read_stage(output: &SyncSender<String>, pause: Duration) -> Ending {
    for line in TEXT.lines() {
        thread::sleep(pause); // reading is the slow part
        if output.send(line.to_string()).is_err() {
            return Ending::NextStageGone;
        }
    }
    Ending::InputEnded
}

fn transform_stage(input: Receiver<String>, output: &SyncSender<String>) -> Ending {
    for line in input {
        if output.send(line.to_uppercase()).is_err() {
            return Ending::NextStageGone;
        }
    }
    Ending::InputEnded
}

/// Writes lines to standard output until its input ends or it has written `room` lines.
fn write_stage(input: Receiver<String>, room: usize) -> Ending {
    let mut lines = input.into_iter(); // owns the Receiver
    for _ in 0..room {
        let Some(line) = lines.next() else {
            return Ending::InputEnded;
        };
        println!("  write: {line}");
    }
    Ending::NoRoomLeft // returning drops the Receiver: the transform stage's next send fails
}
// ANCHOR_END: stages

// ANCHOR: pipeline
fn run_pipeline(pause: Duration, room: usize) {
    let (lines, lines_in) = mpsc::sync_channel(1);
    let (upper, upper_in) = mpsc::sync_channel(1);
    let stages = [
        ("read", thread::spawn(move || read_stage(&lines, pause))),
        (
            "transform",
            thread::spawn(move || transform_stage(lines_in, &upper)),
        ),
        ("write", thread::spawn(move || write_stage(upper_in, room))),
    ];
    // Join them all before printing: only the write stage prints while the pipeline runs.
    let endings = stages.map(|(name, stage)| (name, stage.join().unwrap()));
    for (name, ending) in endings {
        println!("{name}: {ending}");
    }
}
// ANCHOR_END: pipeline

fn pipeline(pause: Duration) {
    println!("read -> transform -> write, three threads joined by two sync_channel(1):");
    run_pipeline(pause, usize::MAX);
    println!("The same pipeline, with room for two lines only:");
    run_pipeline(pause, 2);
}

fn main() {
    let args: Args = course_support::parse_args();
    for part in args.parts.announced() {
        match part {
            Part::FanIn => fan_in(args.pause_ms),
            Part::KeptSender => keep_a_sender_by_mistake(args.pause_ms),
            Part::BackPressure => back_pressure(args.pause_ms),
            Part::Pipeline => pipeline(args.pause_ms),
        }
    }
}
