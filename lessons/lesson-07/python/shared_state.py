"""Lesson 07 in Python: shared state with threading.Lock, RLock and Condition.

Run it with `python3 lessons/lesson-07/python/shared_state.py`; `--help` lists the flags.
"""

import argparse
import collections
import threading
import time


# ANCHOR: lock
def count_with_a_lock(threads, increments):
    counter = 0
    lock = threading.Lock()

    def work():
        nonlocal counter
        for _ in range(increments):
            with lock:  # nothing ties `counter` to `lock`: forgetting `with` still runs
                counter += 1

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter
# ANCHOR_END: lock


# ANCHOR: rlock
class Account:
    def __init__(self, balance):
        self.balance = balance
        self.lock = threading.RLock()  # re-entrant: the thread holding it may take it again

    def withdraw(self, amount):
        with self.lock:
            if self.balance < amount:
                return False
            self.balance -= amount
            return True

    def withdraw_twice(self, amount):
        with self.lock:  # held here, and taken again inside withdraw()
            return self.withdraw(amount) and self.withdraw(amount)
# ANCHOR_END: rlock


# ANCHOR: condition
class BoundedQueue:
    def __init__(self, capacity):
        self.items = collections.deque()
        self.capacity = capacity
        self.changed = threading.Condition()

    def push(self, item):
        with self.changed:
            # wait_for re-checks after every wake-up, as Rust's wait_while does
            self.changed.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
            most = len(self.items)
            self.changed.notify_all()
            return most

    def pop(self):
        with self.changed:
            self.changed.wait_for(lambda: len(self.items) > 0)
            item = self.items.popleft()
            self.changed.notify_all()
            return item
# ANCHOR_END: condition


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pause-ms", type=int, default=300, metavar="MS",
                        help="how long the consumer takes per item (default 300)")
    args = parser.parse_args()
    if args.pause_ms < 0:
        parser.error("--pause-ms cannot be negative")

    total = count_with_a_lock(4, 10_000)
    print(f"Lock: 4 threads added one 10000 times each: {total}")

    account = Account(100)
    print(f"RLock: withdraw 40 twice under one lock: {account.withdraw_twice(40)}, "
          f"balance {account.balance}")

    queue = BoundedQueue(2)
    got = []
    most = []

    def produce():
        most.append(max(queue.push(item) for item in range(1, 7)))

    def consume():
        for _ in range(6):
            got.append(queue.pop())
            time.sleep(args.pause_ms / 1000)

    workers = [threading.Thread(target=produce), threading.Thread(target=consume)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    bound = "never more than" if most[0] <= 2 else "MORE THAN"
    print(f"Condition: got {got}, {bound} 2 in the queue")


if __name__ == "__main__":
    main()
