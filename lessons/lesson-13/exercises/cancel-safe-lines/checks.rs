//! The checks of `cancel-safe-lines`. `cargo xtask verify cancel-safe-lines` runs them; they are
//! ignored by a plain `cargo test` so that the course's own test suite passes before you start.
//!
//! Each check draws its lines per run and writes them into an in-memory pipe
//! (`tokio::io::duplex`) in pieces cut anywhere, sending notes between the pieces. It runs on a
//! tokio runtime with one thread and a paused clock, and waits 1 ms of tokio's clock after each
//! piece and each note: the paused clock moves only when every task waits, so everything your
//! function can do with a piece happens before the next one comes. What it should return is
//! then known exactly.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use course_checks::seeded::Seeded;
use tokio::io::AsyncWriteExt;

use super::{Event, lines_and_notes};

/// How long a check waits, in real time, for `lines_and_notes` to return.
const PATIENCE: Duration = Duration::from_secs(10);

/// What the checks do, in order.
#[derive(Debug, Clone)]
enum Step {
    /// Write these bytes into the pipe.
    Write(Vec<u8>),
    /// Send this note.
    Note(String),
    /// Close the channel of the notes.
    CloseNotes,
}

/// What `lines_and_notes` must return for `steps` (the pipe ends after the last step).
fn expected(steps: &[Step]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    for step in steps {
        match step {
            Step::Write(bytes) => {
                pending.extend_from_slice(bytes);
                while let Some(end) = pending.iter().position(|&byte| byte == b'\n') {
                    let line: Vec<u8> = pending.drain(..=end).collect();
                    let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
                    events.push(Event::Line(text));
                }
            }
            Step::Note(note) => events.push(Event::Note(note.clone())),
            Step::CloseNotes => {}
        }
    }
    if !pending.is_empty() {
        events.push(Event::Line(String::from_utf8_lossy(&pending).into_owned()));
    }
    events
}

/// Runs `lines_and_notes` against `steps` on a paused one-thread runtime of its own.
fn run(steps: &[Step]) -> Vec<Event> {
    let steps = steps.to_vec();
    let (done, returned) = mpsc::channel();
    thread::Builder::new()
        .name("lines-and-notes".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a tokio runtime");
            let events = runtime.block_on(async {
                let (mut writer, reader) = tokio::io::duplex(1 << 16);
                let (notes, received) = tokio::sync::mpsc::channel(16);
                tokio::spawn(async move {
                    let mut notes = Some(notes);
                    for step in steps {
                        match step {
                            Step::Write(bytes) => {
                                writer.write_all(&bytes).await.expect("the pipe takes it");
                            }
                            Step::Note(note) => {
                                if let Some(notes) = &notes {
                                    let _ = notes.send(note).await;
                                }
                            }
                            Step::CloseNotes => notes = None,
                        }
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    // The pipe ends here (the writer is dropped); the notes channel stays open
                    // unless a step closed it.
                    drop(writer);
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    drop(notes);
                });
                lines_and_notes(tokio::io::BufReader::new(reader), received).await
            });
            let _ = done.send(events);
        })
        .expect("a thread");
    match returned.recv_timeout(PATIENCE) {
        Ok(events) => events,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "lines_and_notes did not return within {PATIENCE:?} of real time, though the pipe had \
             ended. A loop that never waits (one that goes round again at once when `recv` gives \
             `None` for a closed channel, or calls `yield_now`) keeps the runtime's one thread, \
             and on the paused clock nothing else moves. Let `select!` wait: a branch `Some(note) \
             = notes.recv()` is skipped once the channel is closed"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("lines_and_notes panicked (see the message of thread 'lines-and-notes')")
        }
    }
}

/// Compares what came back with what should have, and names the first difference.
fn assert_events(steps: &[Step], got: &[Event], seed: u64) {
    let want = expected(steps);
    if got == want {
        return;
    }
    let shown: Vec<String> = steps
        .iter()
        .map(|step| match step {
            Step::Write(bytes) => format!("{:?}", String::from_utf8_lossy(bytes)),
            Step::Note(note) => format!("note {note:?}"),
            Step::CloseNotes => "the notes closed".to_string(),
        })
        .collect();
    let sent = format!("what came, in pieces: {}", shown.join(", "));
    for (index, (got_one, want_one)) in got.iter().zip(&want).enumerate() {
        if got_one == want_one {
            continue;
        }
        // A lost beginning cut inside a character leaves its second half, decoded as U+FFFD.
        if let (Event::Line(got_line), Event::Line(want_line)) = (got_one, want_one)
            && got_line.len() < want_line.len()
            && want_line.ends_with(got_line.trim_start_matches('\u{FFFD}'))
        {
            panic!(
                "line {want_line:?} came out as {got_line:?}: its beginning was lost. A note came while \
                 it was read in part, and the read that held that part was dropped with the \
                 branch that lost the `select!`: `read_line` (or `read_until` into a buffer made \
                 anew each time round) is not cancel-safe. Use `lines.next_line()` \
                 (seed {seed}; {sent})"
            );
        }
        if let (Event::Line(got_line), Event::Line(want_line)) = (got_one, want_one)
            && got_line.contains('\u{FFFD}')
            && !want_line.contains('\u{FFFD}')
        {
            panic!(
                "line {want_line:?} came out as {got_line:?}: a character cut in two between \
                 two pieces was decoded half by half, each half on its own (and each half of a \
                 character is no character). Keep the bytes, and decode a line once it is \
                 whole: `lines.next_line()`, or `read_until` into a `Vec<u8>` kept across the \
                 loop, then `String::from_utf8_lossy` (seed {seed}; {sent})"
            );
        }
        assert!(
            *want_one != Event::Line(String::new()),
            "an empty line (a `\\n` alone) came as event {}, and you returned {got_one:?} in \
             its place: an empty line is a line too, `Event::Line(String::new())` (seed \
             {seed}; {sent})",
            index + 1
        );
        let mut sorted_got = got.to_vec();
        let mut sorted_want = want.clone();
        sorted_got.sort_by_key(|event| format!("{event:?}"));
        sorted_want.sort_by_key(|event| format!("{event:?}"));
        assert!(
            sorted_got != sorted_want,
            "everything came back, but not in the order it came: event {} is {got_one:?}, \
                 where {want_one:?} came first. Take each line and each note as it comes, in \
                 one `select!` loop (seed {seed}; {sent})",
            index + 1
        );
        panic!(
            "event {} is {got_one:?}, where {want_one:?} came (seed {seed}); all that came: \
             {want:?}; all you returned: {got:?}",
            index + 1
        );
    }
    assert!(
        got.len() >= want.len(),
        "lines_and_notes returned {} events, but {} came: it stopped early, before {:?}. \
             Read the lines until the reader ends, even when the notes channel has closed \
             (its `recv` then gives `None`) (seed {seed}; {sent})",
        got.len(),
        want.len(),
        want[got.len()]
    );
    panic!(
        "lines_and_notes returned {} events, but only {} came: {:?} is too many (seed {seed}; \
         {sent})",
        got.len(),
        want.len(),
        got[want.len()]
    );
}

/// Lines of a few words, now and then empty or with a character of two or three bytes.
fn lines(random: &mut Seeded, count: usize) -> Vec<String> {
    let words = [
        "alpha", "bravo", "charlie", "délta", "écho", "foxtrot", "gölf", "hotel", "€uro",
    ];
    (0..count)
        .map(|_| {
            let length = if random.between(0, 7) == 0 {
                0
            } else {
                random.size(1, 4)
            };
            (0..length)
                .map(|_| random.pick(&words))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// `text` cut into pieces at random bytes, a note between some of them.
fn cut_with_notes(random: &mut Seeded, text: &[u8], first_note: usize) -> (Vec<Step>, usize) {
    let mut steps = Vec::new();
    let mut notes = first_note;
    let mut start = 0;
    while start < text.len() {
        let end = (start + random.size(1, 12)).min(text.len());
        steps.push(Step::Write(text[start..end].to_vec()));
        if random.between(0, 2) == 0 {
            notes += 1;
            steps.push(Step::Note(format!("note {notes}")));
        }
        start = end;
    }
    (steps, notes)
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn a_note_in_the_middle_of_a_line_loses_nothing() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let lines = lines(&mut random, 3);
    let (first, second) = (&lines[0], format!("{}bravo", lines[1]));
    let mut steps = vec![Step::Note("note 1".to_string())];
    // The first line whole, and the start of the second.
    let mut piece = format!("{first}\n").into_bytes();
    let cut = random.size(1, second.len() - 1);
    piece.extend_from_slice(&second.as_bytes()[..cut]);
    steps.push(Step::Write(piece));
    steps.push(Step::Note("note 2".to_string()));
    let mut rest = second.as_bytes()[cut..].to_vec();
    rest.extend_from_slice(format!("\n{}\n", lines[2]).as_bytes());
    steps.push(Step::Write(rest));
    let got = run(&steps);
    assert_events(&steps, &got, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn empty_lines_and_characters_cut_in_two_come_whole() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let count = random.size(1, 3);
    let first = lines(&mut random, count).join("\n");
    // "délta €uro", cut inside its `é` (2 bytes) and twice inside its `€` (3 bytes), with empty
    // lines before and after it.
    let mut steps = vec![Step::Write(format!("{first}\n\nd").into_bytes())];
    steps.push(Step::Write(vec![0xC3]));
    steps.push(Step::Note("note 1".to_string()));
    steps.push(Step::Write(b"\xA9lta \xE2".to_vec()));
    steps.push(Step::Write(vec![0x82]));
    steps.push(Step::Note("note 2".to_string()));
    steps.push(Step::Write(b"\xACuro\n\n".to_vec()));
    steps.push(Step::Write(b"\ngolf\n".to_vec()));
    let got = run(&steps);
    assert_events(&steps, &got, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn lines_and_notes_come_in_order() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let count = random.size(4, 12);
    let text = lines(&mut random, count).join("\n") + "\n";
    let (steps, _) = cut_with_notes(&mut random, text.as_bytes(), 0);
    let got = run(&steps);
    assert_events(&steps, &got, seed);
}

#[test]
#[ignore = "checked by cargo xtask verify"]
fn lines_go_on_after_the_notes_end() {
    let mut random = Seeded::new();
    let seed = random.seed();
    let count = random.size(1, 4);
    let before = lines(&mut random, count).join("\n") + "\n";
    let (mut steps, notes) = cut_with_notes(&mut random, before.as_bytes(), 0);
    steps.push(Step::Note(format!("note {}", notes + 1)));
    steps.push(Step::CloseNotes);
    // More lines after the channel has closed, the last without its newline.
    let count = random.size(2, 5);
    let after = lines(&mut random, count).join("\n") + "and the end";
    let (more, _) = cut_with_notes(&mut random, after.as_bytes(), notes + 1);
    steps.extend(
        more.into_iter()
            .filter(|step| matches!(step, Step::Write(_))),
    );
    let got = run(&steps);
    assert_events(&steps, &got, seed);
    assert!(
        run(&[]).is_empty(),
        "nothing came, yet lines_and_notes returned events"
    );
}
