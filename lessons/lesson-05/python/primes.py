"""The CPU-bound job of lesson 05 in Python: one loop, K threads, K processes.

Run it with `python3 lessons/lesson-05/python/primes.py --limit 1000000 --workers 2`.
Each way prints one line: how many primes, and how long it took in seconds.
"""

import argparse
import os
import threading
import time
from multiprocessing import Pool

from processes import chunks, count_primes  # the same job as processes.py, next to this file


# ANCHOR: ways
def count_in_one_loop(limit, workers):
    return count_primes(range(limit))


def count_with_threads(limit, workers):
    counts = [0] * workers

    def work(i):  # thread i takes every workers-th chunk
        counts[i] = sum(count_primes(chunk) for chunk in chunks(limit)[i::workers])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts)


def count_with_processes(limit, workers):
    with Pool(workers) as pool:
        return sum(pool.map(count_primes, chunks(limit), chunksize=1))
# ANCHOR_END: ways


WAYS = {"loop": count_in_one_loop, "threads": count_with_threads, "processes": count_with_processes}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=1_000_000, help="count the primes below this")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="threads or processes")
    parser.add_argument("--way", choices=WAYS, action="append", help="run only this way (repeatable)")
    args = parser.parse_args()
    for way in args.way or WAYS:
        started = time.perf_counter()
        primes = WAYS[way](args.limit, args.workers)
        seconds = time.perf_counter() - started
        print(f"{way} with {args.workers} workers: {primes} primes below {args.limit} in {seconds:.4f} s")
