"""Two threads take two locks in opposite order: the deadlock of lesson 04, in Python.

Run it with `python3 lessons/lesson-04/python/deadlock.py`. A barrier makes sure both threads
hold their first lock before they ask for the second, so the deadlock happens on every run.
"""

import argparse
import threading
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=float, default=1.0,
                        help="seconds of work while holding the first lock")
    parser.add_argument("--timeout", type=float, default=2.0,
                        help="seconds to wait for the second lock before giving up")
    args = parser.parse_args()

    balances = {1: 100, 2: 100}
    locks = {1: threading.Lock(), 2: threading.Lock()}
    both_hold_first = threading.Barrier(2)
    both_gave_up = threading.Barrier(2)
    outcome = {}

    def transfer(name, source, target, amount):
        with locks[source]:
            time.sleep(args.work)
            both_hold_first.wait()
            # A plain acquire() would wait forever, and so would the program: Python waits for
            # every (non-daemon) thread before it exits. With a timeout the thread can give up.
            if locks[target].acquire(timeout=args.timeout):
                balances[source] -= amount
                balances[target] += amount
                locks[target].release()
                outcome[name] = "moved the money"
            else:
                outcome[name] = (f"held lock {source} and gave up waiting for lock {target} "
                                 f"after {args.timeout} s")
                # Keep the first lock until both have given up, so neither gets lucky.
                both_gave_up.wait()

    print("Thread A moves 10 from account 1 to account 2; thread B moves 5 from 2 to 1.")
    threads = [
        threading.Thread(target=transfer, args=("A", 1, 2, 10)),
        threading.Thread(target=transfer, args=("B", 2, 1, 5)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Only main prints, in a fixed order, so the output is the same on every run.
    for name in ("A", "B"):
        print(f"thread {name} {outcome[name]}")
    print(f"account 1 = {balances[1]}, account 2 = {balances[2]}")


if __name__ == "__main__":
    main()
