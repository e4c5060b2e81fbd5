"""Lesson 06, the Python way: threads that talk through queue.Queue.

Three producers put messages into one queue and a consumer takes them out (part 1 of the Rust
lesson); then a bounded queue makes a fast producer wait for a slow consumer (part 3).
Run it with `python3 lessons/lesson-06/python/queues.py`; `--pause-ms 100` shortens the pauses.
"""

import argparse
import queue
import threading
import time

PRODUCERS = 3
MESSAGES_EACH = 3


# ANCHOR: fan_in
def produce(producer, messages, pause):
    for sequence in range(1, MESSAGES_EACH + 1):
        time.sleep(pause)
        messages.put((producer, sequence))
    messages.put(None)  # a queue cannot be closed: each producer says it is done


def fan_in(pause):
    print(f"{PRODUCERS} producers put {MESSAGES_EACH} messages each into one queue")
    messages = queue.Queue()
    for producer in range(1, PRODUCERS + 1):
        threading.Thread(target=produce, args=(producer, messages, pause)).start()
    received = [[] for _ in range(PRODUCERS)]
    finished = 0
    while finished < PRODUCERS:  # count the "done" markers, one per producer
        message = messages.get()
        if message is None:
            finished += 1
        else:
            producer, sequence = message
            received[producer - 1].append(sequence)
    for index, sequences in enumerate(received):
        print(f"producer {index + 1}: messages {sequences}")
    print("the loop ended: every producer had put its done marker")
# ANCHOR_END: fan_in


CAPACITY = 3
TO_SEND = 7


# ANCHOR: back_pressure
def fast_producer(buffer, buffer_full, blocked):
    for message in range(1, TO_SEND + 1):
        try:
            buffer.put_nowait(message)
        except queue.Full:
            buffer_full.put(message - 1)  # every earlier message was put
            started = time.monotonic()
            buffer.put(message)  # waits until the consumer takes one
            blocked[0] += time.monotonic() - started
    buffer_full.put(None)


def back_pressure(pause):
    print(f"queue.Queue(maxsize={CAPACITY}): a producer puts {TO_SEND} messages as fast as it can,")
    print("the consumer takes one after every pause")
    buffer = queue.Queue(maxsize=CAPACITY)
    buffer_full = queue.Queue()
    blocked = [0.0]
    producer = threading.Thread(target=fast_producer, args=(buffer, buffer_full, blocked))
    producer.start()
    received = most_in_flight = 0
    while (sent := buffer_full.get()) is not None:
        in_flight = sent - received
        most_in_flight = max(most_in_flight, in_flight)
        time.sleep(pause)  # the slow consumer's work
        message = buffer.get()
        received += 1
        print(f"buffer full, {in_flight} in flight, the producer waits to send message "
              f"{sent + 1}; the consumer takes message {message}")
    producer.join()
    rest = []
    while not buffer.empty():  # safe here: the producer has finished
        rest.append(buffer.get())
    print(f"the producer has finished; the consumer takes the rest: {rest}")
    print(f"most messages in flight: {most_in_flight}, the capacity")
    print(f"the producer spent {blocked[0] * 1000:.1f}ms blocked in put")
# ANCHOR_END: back_pressure


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pause-ms", type=int, default=500, metavar="MS",
        help="the pause between two messages of a producer, and of the slow consumer",
    )
    args = parser.parse_args()
    if args.pause_ms < 0:
        parser.error("--pause-ms cannot be negative")
    pause = args.pause_ms / 1000
    fan_in(pause)
    print()
    back_pressure(pause)


if __name__ == "__main__":
    main()
