"""Lesson 12 the Python way: asyncio.Lock, asyncio.Queue(maxsize=...) and asyncio.Semaphore.

asyncio runs every task on one thread, so a plain counter needs no lock between two awaits; a lock
is needed only when it must be held across an await (here, a request and its reply on one shared
connection). The counter is measured with asyncio.Lock and with an actor on an asyncio.Queue, in
the same lines as the Rust lesson's part 3.

    python3 lessons/lesson-12/python/sharing_asyncio.py
    python3 lessons/lesson-12/python/sharing_asyncio.py --pause 0.05 --tasks 100 --increments 100
    python3 lessons/lesson-12/python/sharing_asyncio.py --part counter
"""

import argparse
import asyncio
import time


def shown(seconds):
    """A duration the way Rust's `{:.1?}` prints one: 1.2s, 850.3ms, 12.0µs, 95.0ns."""
    for unit, scale in (("s", 1), ("ms", 1e3), ("µs", 1e6)):
        if seconds * scale >= 1:
            return f"{seconds * scale:.1f}{unit}"
    return f"{seconds * 1e9:.1f}ns"


# ANCHOR: lock_across_await
async def ask_over_the_shared_connection(lock, wire, task, pause):
    async with lock:  # held across the await below: no other request in between
        wire.append(f"task {task}: request")
        await asyncio.sleep(pause)  # the reply takes a while
        wire.append(f"task {task}: reply")
# ANCHOR_END: lock_across_await


async def lock_held_across_an_await(pause):
    lock, wire = asyncio.Lock(), []
    started = time.perf_counter()
    await asyncio.gather(*(ask_over_the_shared_connection(lock, wire, t, pause) for t in range(4)))
    wall = time.perf_counter() - started
    paired = sum(
        1 for i in range(0, len(wire), 2) if wire[i].replace("request", "reply") == wire[i + 1]
    )
    print(f"4 tasks asked over one connection: {len(wire)} lines,")
    print(f"  each request followed by its own reply: {paired} of 4")
    print(f"They took turns: wall {shown(wall)} for 4 replies of {shown(pause)} each.")


# ANCHOR: counters
async def count_with_a_lock(tasks, increments):
    lock, counter = asyncio.Lock(), [0]

    async def add():
        for _ in range(increments):
            async with lock:
                counter[0] += 1

    await asyncio.gather(*(add() for _ in range(tasks)))
    return counter[0]


async def count_with_an_actor(tasks, increments):
    inbox = asyncio.Queue(maxsize=1024)

    async def actor():  # the only task that touches the count
        count = 0
        while True:
            command, value = await inbox.get()
            if command == "add":
                count += value
            else:
                value.set_result(count)  # the answer, like a oneshot
                return

    owner = asyncio.create_task(actor())

    async def add():
        for _ in range(increments):
            await inbox.put(("add", 1))

    await asyncio.gather(*(add() for _ in range(tasks)))
    answer = asyncio.get_running_loop().create_future()
    await inbox.put(("get", answer))
    await owner
    return await answer
# ANCHOR_END: counters


async def compare_counters(tasks, increments):
    print(f"{tasks} tasks each add one {increments} times to a shared counter:")
    total = tasks * increments
    for how, count_with in (("asyncio.Lock", count_with_a_lock), ("actor", count_with_an_actor)):
        started = time.perf_counter()
        count = await count_with(tasks, increments)
        wall = time.perf_counter() - started
        wrong = "" if count == total else f" (counted {count}: wrong)"
        print(
            f"  {how + ':':<13} {tasks} tasks × {increments} increments = {total}{wrong} "
            f"in {shown(wall)}, {shown(wall / total)} per increment"
        )


# ANCHOR: back_pressure
async def fast_producer_slow_consumer(pause):
    jobs = asyncio.Queue(maxsize=3)  # room for 3 jobs, no more
    for job in (1, 2, 3):
        await jobs.put(job)
        print(f"sent job {job}")
    try:
        jobs.put_nowait(4)
    except asyncio.QueueFull:
        print("job 4: the queue is full, put_nowait raises QueueFull")

    async def producer():
        for job in (4, 5, 6):
            await jobs.put(job)  # waits while the queue is full
        await jobs.put(None)  # no more jobs

    sending = asyncio.create_task(producer())
    await asyncio.sleep(pause)
    waiting = not sending.done()
    print(f"after {shown(pause)}, is the producer still waiting to send job 4? {waiting}")
    while (job := await jobs.get()) is not None:
        print(f"received job {job}")
        await asyncio.sleep(pause)
    await sending
# ANCHOR_END: back_pressure


# ANCHOR: semaphore
async def with_a_semaphore(pause, k=3, jobs=12):
    permits, in_flight, most = asyncio.Semaphore(k), [0], [0]

    async def job(i):
        async with permits:  # at most k jobs get past this line at once
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
            await asyncio.sleep(pause * (i % 3 + 1))
            in_flight[0] -= 1
            return i

    answers = await asyncio.gather(*(job(i) for i in range(jobs)))  # in request order
    return most[0], answers == list(range(jobs))
# ANCHOR_END: semaphore


async def main(args):
    parts = {
        "lock": ("asyncio.Lock held across an await", lambda: lock_held_across_an_await(args.pause)),
        "counter": (
            "a counter shared by many tasks",
            lambda: compare_counters(args.tasks, args.increments),
        ),
        "queue": (
            "asyncio.Queue(maxsize=3) makes a fast producer wait",
            lambda: fast_producer_slow_consumer(args.pause),
        ),
        "semaphore": ("asyncio.Semaphore(3) keeps 3 jobs in flight", lambda: semaphore(args.pause)),
    }
    chosen = [args.part] if args.part else list(parts)
    for index, name in enumerate(chosen):
        title, run = parts[name]
        if index > 0:
            print()
        print(f"== {title} ==")
        await run()


async def semaphore(pause):
    started = time.perf_counter()
    most, in_order = await with_a_semaphore(pause)
    wall = time.perf_counter() - started
    print(f"  never more than 3 in flight: {most <= 3}, answers in request order: {in_order}, wall {shown(wall)}")


def at_least_one(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pause", type=float, default=0.2, help="seconds of a slow step")
    parser.add_argument("--tasks", type=at_least_one, default=1000, help="tasks sharing the counter")
    parser.add_argument("--increments", type=at_least_one, default=1000, help="increments per task")
    parser.add_argument("--part", choices=["lock", "counter", "queue", "semaphore"], help="run only this part")
    asyncio.run(main(parser.parse_args()))
