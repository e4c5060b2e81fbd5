"""Lesson 08, the Python way: Python has no atomics and no memory orderings in the language.

What it offers instead are objects that synchronise for you. threading.Event is the nearest idiom
to a flag that publishes data: what a thread wrote before event.set() is visible to a thread that
returns from event.wait(). A counter shared by threads takes a threading.Lock (`+=` is not one
step, GIL or not).
"""

import argparse
import threading

# ANCHOR: publish
PUBLISHED = 42


def publish_and_read():
    mailbox = {"data": 0}
    ready = threading.Event()

    def writer():
        mailbox["data"] = PUBLISHED
        ready.set()  # publishes everything this thread wrote before it

    thread = threading.Thread(target=writer)
    thread.start()
    ready.wait()  # returns once the flag is set; then the data is there
    seen = mailbox["data"]
    thread.join()
    return seen
# ANCHOR_END: publish


# ANCHOR: count
def count_jobs(threads, jobs_each):
    counted = {"jobs": 0}
    lock = threading.Lock()

    def worker():
        for _ in range(jobs_each):
            with lock:  # no fetch_add in Python: the read-add-write needs a lock
                counted["jobs"] += 1

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for worker_thread in workers:
        worker_thread.start()
    for worker_thread in workers:
        worker_thread.join()
    return counted["jobs"]
# ANCHOR_END: count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=10000)
    args = parser.parse_args()

    print("A writer stores 42, then sets an Event; a reader waits on the Event, then reads.")
    right = sum(publish_and_read() == PUBLISHED for _ in range(args.tries))
    print(f"the reader read {PUBLISHED} in {right} of {args.tries} runs")
    jobs = count_jobs(args.threads, args.jobs)
    print(f"{args.threads} threads counted {args.jobs} jobs each under a Lock: {jobs} jobs")


if __name__ == "__main__":
    main()
