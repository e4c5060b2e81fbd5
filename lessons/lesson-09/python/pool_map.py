"""Lesson 09 the Python way: a pool's map over chunks of work, two ways.

Run it with `python3 lessons/lesson-09/python/pool_map.py --limit 1000000`.
Python's threads cannot count primes in parallel (the GIL), so both ways use processes: each
worker is a separate interpreter, and every chunk and every answer is pickled through a pipe.
"""

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool


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


# ANCHOR: pool_map
def chunks(limit, count=100):
    """0..limit cut into `count` ranges of equal length."""
    return [range(i * limit // count, (i + 1) * limit // count) for i in range(count)]


def with_pool_map(limit, workers):
    with Pool(workers) as pool:
        return sum(pool.map(count_primes, chunks(limit), chunksize=1))


def with_executor(limit, workers):
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return sum(executor.map(count_primes, chunks(limit)))
# ANCHOR_END: pool_map


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1_000_000, help="count the primes below this")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="worker processes")
    args = parser.parse_args()
    for name, way in [("Pool.map", with_pool_map), ("ProcessPoolExecutor.map", with_executor)]:
        started = time.perf_counter()
        primes = way(args.limit, args.workers)
        seconds = time.perf_counter() - started
        print(f"{name} with {args.workers} processes: {primes} primes below {args.limit} in {seconds:.3f} s")
