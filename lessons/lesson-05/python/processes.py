"""Lesson 05 the Python way: a child process, then a pool of processes counting primes.

Run it with `python3 lessons/lesson-05/python/processes.py --limit 1000000`.
"""

import argparse
import os
import time
from multiprocessing import Pool, Process


# ANCHOR: child
def say_hello():
    print(f"child pid {os.getpid()}: hello from my own process", flush=True)
# ANCHOR_END: child


# ANCHOR: count_primes
def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0:
        return False
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


def count_primes(numbers):
    return sum(1 for n in numbers if is_prime(n))


def chunks(limit, count=100):
    """0..limit cut into `count` ranges, the dearest (highest numbers) first."""
    return [range(i * limit // count, (i + 1) * limit // count) for i in reversed(range(count))]
# ANCHOR_END: count_primes


# ANCHOR: main
if __name__ == "__main__":  # a child started by "spawn" imports this file but skips this block
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1_000_000, help="count the primes below this")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes in the pool")
    args = parser.parse_args()

    print(f"parent pid {os.getpid()}: starting a child process", flush=True)
    child = Process(target=say_hello)
    child.start()
    child.join()
    print(f"parent: child pid {child.pid} ended with exit code {child.exitcode}")

    started = time.perf_counter()
    in_one_loop = count_primes(range(args.limit))
    one_loop = time.perf_counter() - started
    print(f"one loop: {in_one_loop} primes below {args.limit} in {one_loop:.2f} s")

    started = time.perf_counter()
    with Pool(args.workers) as pool:
        with_processes = sum(pool.map(count_primes, chunks(args.limit), chunksize=1))
    processes = time.perf_counter() - started
    print(f"{args.workers} processes: {with_processes} primes below {args.limit} in {processes:.2f} s, "
          f"speedup {one_loop / processes:.2f}")
# ANCHOR_END: main
