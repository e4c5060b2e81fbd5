"""Lesson 03 in Python: threads that share one counter lose updates.

Run it with `python3 lessons/lesson-03/python/race.py`; `--help` lists the flags.
"""

import argparse
import threading
import time

counter = 0


# ANCHOR: add
def add_one():
    global counter
    counter += 1  # one line, but a read, an add and a write underneath


def add_one_in_two_steps():
    global counter
    seen = counter  # read
    time.sleep(0)  # let another thread run between the read and the write
    counter = seen + 1  # write back what we read, plus one
# ANCHOR_END: add


def count_on_threads(add, threads, increments):
    global counter
    counter = 0

    def work():
        for _ in range(increments):
            add()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4, help="how many threads share the counter")
    parser.add_argument("--increments", type=int, default=100_000, help="how many times each thread adds one")
    args = parser.parse_args()
    if args.threads < 1 or args.increments < 1:
        parser.error("--threads and --increments must be at least 1")

    expected = args.threads * args.increments
    print(f"{args.threads} threads each add one {args.increments} times; expected {expected}")
    for name, add in [("counter += 1", add_one), ("read, sleep(0), write", add_one_in_two_steps)]:
        actual = count_on_threads(add, args.threads, args.increments)
        print(f"{name}: the counter ended at {actual}, lost {expected - actual} updates")


if __name__ == "__main__":
    main()
