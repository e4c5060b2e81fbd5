"""Lesson 01, the Python way: one thread prints five numbers, and the main program joins it.

Run it with `python3 lessons/lesson-01/python/basic_thread.py`; `--pause-ms 100` shortens the pause.
"""

import argparse
import threading
import time


# ANCHOR: basic
def print_numbers(pause):
    for i in range(5):
        print(f"Number: {i}", flush=True)
        time.sleep(pause)


def start_and_join(pause):
    started = time.monotonic()
    thread = threading.Thread(target=print_numbers, args=(pause,))
    thread.start()
    thread.join()  # the main program waits here until the thread returns
    print("Thread has finished executing")
    print(f"main waited {time.monotonic() - started:.1f}s for it")
# ANCHOR_END: basic


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pause-ms", type=int, default=1000, metavar="MS",
        help="pause after each number, in milliseconds (the article sleeps one second)",
    )
    args = parser.parse_args()
    if args.pause_ms < 0:
        parser.error("--pause-ms cannot be negative")
    start_and_join(args.pause_ms / 1000)


if __name__ == "__main__":
    main()
