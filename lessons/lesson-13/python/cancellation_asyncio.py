"""Lesson 13 the Python way: asyncio.TaskGroup, CancelledError, asyncio.timeout, and a CPU job
that blocks the event loop against asyncio.to_thread. Needs Python 3.11 or newer (TaskGroup and
asyncio.timeout are new in 3.11).

    python3 lessons/lesson-13/python/cancellation_asyncio.py
    python3 lessons/lesson-13/python/cancellation_asyncio.py --part blocking --job 0.2
"""

import argparse
import asyncio
import sys
import time

if sys.version_info < (3, 11):
    sys.exit(f"this program needs Python 3.11 or newer (TaskGroup, asyncio.timeout); this is {sys.version.split()[0]}")

TENTHS = {1: 4, 2: 1, 3: 3, 4: 2, 5: 5}


# ANCHOR: check
async def check(n, unit, cancelled):
    """Check n of five: each takes its own time, and check 3 fails."""
    try:
        await asyncio.sleep(TENTHS[n] * unit)
    except asyncio.CancelledError:
        cancelled.append(n)  # cancelled where it stood: clean up here, then let it go on
        raise
    if n == 3:
        raise OSError(f"check {n} failed: disk full")
    return n


async def print_when_ok(check):
    print(f"check {await check}: ok")
# ANCHOR_END: check


def at(started, unit):
    """The time since `started`, in the lesson's tenths of a second (`unit` real seconds each)."""
    return f"{(time.perf_counter() - started) / unit / 10:.1f} s"


async def first_error_with_create_task(unit):
    started = time.perf_counter()
    tasks = [asyncio.create_task(check(n, unit, [])) for n in range(1, 6)]
    try:
        for task in tasks:
            print(f"check {await task}: ok")  # the first error leaves the loop...
    except OSError as error:
        print(error)  # ...and the tasks not awaited go on
    left = sum(not task.done() for task in tasks)
    print(f"returned at {at(started, unit)}; checks still running: {left}")
    await asyncio.sleep(10 * unit)  # let them end before the next run


# ANCHOR: task_group
async def first_error_cancels_the_rest(unit):
    started = time.perf_counter()
    cancelled = []
    try:
        async with asyncio.TaskGroup() as group:  # waits for every task before it exits
            tasks = [group.create_task(print_when_ok(check(n, unit, cancelled))) for n in range(1, 6)]
    except* OSError as errors:
        print(f"{errors.exceptions[0]}; cancelled: checks {sorted(cancelled)}")
    left = sum(not task.done() for task in tasks)
    print(f"returned at {at(started, unit)}; checks still running: {left}")
# ANCHOR_END: task_group


# ANCHOR: timeout
async def a_time_out():
    started = time.perf_counter()
    try:
        async with asyncio.timeout(0.1):
            await asyncio.sleep(3600)
        print("the hour passed")
    except TimeoutError:
        print(f"time-out: cancelled the hour, after {time.perf_counter() - started:.1f} s on the wall")
# ANCHOR_END: timeout


# ANCHOR: blocking
def cpu_job(length):
    """Keeps a core busy for `length` seconds, and never gives the event loop back."""
    started = time.perf_counter()
    rounds = 0
    while time.perf_counter() - started < length:
        rounds += 1
    return rounds


async def worst_lateness(started, stop):
    """Another task: asks to wake every millisecond, and notes how late it woke at worst."""
    loop = asyncio.get_running_loop()
    worst = 0.0
    while not stop.is_set():
        due = loop.time() + 0.001
        await asyncio.sleep(0.001)
        worst = max(worst, loop.time() - due)
        started.set()
    return worst


async def lateness_while(job):
    started, stop = asyncio.Event(), asyncio.Event()
    other = asyncio.create_task(worst_lateness(started, stop))
    await started.wait()
    await job
    stop.set()
    return await other


async def job_inside_the_task(length):
    cpu_job(length)


async def job_on_to_thread(length):
    await asyncio.to_thread(cpu_job, length)
# ANCHOR_END: blocking


def duration(seconds):
    """`seconds` the way Rust prints a Duration with one decimal: 1.3ms, 199.0ms, 1.0s."""
    if seconds >= 1:
        return f"{seconds:.1f}s"
    if seconds >= 0.001:
        return f"{seconds * 1e3:.1f}ms"
    return f"{seconds * 1e6:.1f}µs"


async def compare_blocking(length):
    print(f"A CPU job of {duration(length)} on the event loop; another task asks to wake every 1ms.")
    blocked = await lateness_while(job_inside_the_task(length))
    beside = await lateness_while(job_on_to_thread(length))
    for how, late in [("job blocking the loop", blocked), ("job on asyncio.to_thread", beside)]:
        print(f"  {how:<25} worst latency of the other task {duration(late)}, ×{late / length:.2f} the job")


async def main(part, unit, job):
    if part in (None, "join-set"):
        print("asyncio.create_task, awaited in order:")
        await first_error_with_create_task(unit)
        print("TaskGroup, results as they finish:")
        await first_error_cancels_the_rest(unit)
    if part in (None, "timeout"):
        await a_time_out()
    if part in (None, "blocking"):
        await compare_blocking(job)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["join-set", "timeout", "blocking"])
    parser.add_argument("--unit", type=float, default=0.1, help="seconds in one tenth of the lesson's clock")
    parser.add_argument("--job", type=float, default=1.0, help="seconds the CPU job runs")
    args = parser.parse_args()
    asyncio.run(main(args.part, args.unit, args.job))
