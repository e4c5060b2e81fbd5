"""Lesson 11 the Python way: generators driven by an event loop written by hand, beside asyncio.

A generator is Python's future by hand: each `yield` is a `Pending`, and the loop that calls
`send` is the executor. Here a count-down, a timer that asks the loop to sleep, a tiny executor
with a queue of tasks (the same tasks as the Rust lesson's, with the same counts), and the same
tasks on asyncio.

    python3 lessons/lesson-11/python/future_by_hand.py
    python3 lessons/lesson-11/python/future_by_hand.py --pause-ms 5 --tasks 10000
"""

import argparse
import asyncio
import collections
import time


# ANCHOR: block_on
def count_down(steps):
    """A state machine as a generator: it stops at each `yield` and is resumed by the loop."""
    while steps > 0:
        steps -= 1
        print(f"  count_down: one step done, {steps} to go -> Pending")
        yield "poll me again"
    print("  count_down: no step to go -> Ready")
    return "liftoff"


def block_on(generator):
    """Resumes the generator until it returns; counts the polls (each `send`)."""
    polls = 0
    while True:
        polls += 1
        print(f"block_on: poll {polls}")
        try:
            request = generator.send(None)
        except StopIteration as done:
            return done.value, polls
        if isinstance(request, float):  # "wake me in this many seconds": the loop sleeps
            time.sleep(request)
# ANCHOR_END: block_on


def timer(seconds):
    print(f"  timer: asks the loop to sleep {seconds * 1000:.0f} ms -> Pending")
    yield seconds
    print("  timer: its time is up -> Ready")


def give_turns(turns):
    for _ in range(turns):
        yield "poll me again"


# ANCHOR: executor
def run_tasks(tasks, trace):
    """A queue of generators: each `yield` puts the task back at the end (its wake)."""
    queue = collections.deque((number, give_turns(number % 3)) for number in range(1, tasks + 1))
    polls = wakes = 0
    while queue:
        number, task = queue.popleft()
        polls += 1
        try:
            task.send(None)
        except StopIteration:
            if trace:
                print(f"  poll task {number}: Ready")
            continue
        if trace:
            print(f"  poll task {number}: Pending")
        wakes += 1
        queue.append((number, task))
    print(f"executor: {tasks} tasks, {polls} polls for {wakes} wakes")


async def give_turns_asyncio(turns):
    for _ in range(turns):
        await asyncio.sleep(0)  # asyncio's own "give the turn away"


async def run_tasks_asyncio(tasks):
    await asyncio.gather(*(give_turns_asyncio(number % 3) for number in range(1, tasks + 1)))
    print(f"asyncio: {tasks} tasks done")
# ANCHOR_END: executor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pause-ms", type=int, default=1000, help="how long the timer waits")
    parser.add_argument("--tasks", type=int, default=3, help="how many tasks the executor runs")
    args = parser.parse_args()

    print("== a generator by hand, driven by block_on ==")
    output, polls = block_on(count_down(3))
    print(f"block_on returned {output!r} after {polls} polls")
    print("== a timer: the loop sleeps until its deadline ==")
    block_on(timer(args.pause_ms / 1000))
    print("== a tiny executor: a queue of tasks ==")
    run_tasks(args.tasks, args.tasks <= 5)
    print("== the same tasks on asyncio ==")
    asyncio.run(run_tasks_asyncio(args.tasks))


if __name__ == "__main__":
    main()
