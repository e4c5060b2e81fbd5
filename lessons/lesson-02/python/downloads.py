"""Lesson 02 the Python way: three downloads over real HTTP, one thread each.

A small HTTP server runs inside this program on 127.0.0.1 and waits `--latency` seconds
before each answer (2 s by default, like the article's simulated download).

    python3 lessons/lesson-02/python/downloads.py
    python3 lessons/lesson-02/python/downloads.py --latency 0.2
"""

import argparse
import hashlib
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILES = ["file1.zip", "file2.zip", "file3.zip"]
# ANCHOR: say
print_lock = threading.Lock()


def say(line):
    """print() writes the text and the newline separately: without the lock, two threads
    can mix their lines into one."""
    with print_lock:
        print(line)
# ANCHOR_END: say


def file_bytes(name):
    """128 KiB that are the same on every run, so a download can be checked."""
    return hashlib.sha256(name.encode()).digest() * 4096


class SlowFileHandler(BaseHTTPRequestHandler):
    latency = 2.0

    def do_GET(self):
        time.sleep(self.latency)  # stands in for a slow network
        name = self.path.lstrip("/")
        if name not in FILES:
            self.send_error(404)
            return
        body = file_bytes(name)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # keep the output to the lesson's own lines


# ANCHOR: download_file
def download_file(base_url, name):
    say(f"Starting download of {name}...")
    with urllib.request.urlopen(f"{base_url}/{name}", timeout=30) as response:
        data = response.read()  # the GIL is released while this thread waits
    if data != file_bytes(name):
        raise ValueError(f"{name} arrived damaged")
    say(f"Finished downloading {name}")
# ANCHOR_END: download_file


def main():
    parser = argparse.ArgumentParser(description="Threaded downloads over real HTTP.")
    parser.add_argument(
        "--latency", type=float, default=2.0,
        help="seconds the server waits before each answer (default: 2)",
    )
    args = parser.parse_args()
    if not 0 <= args.latency <= 60:
        parser.error("--latency must be between 0 and 60 seconds")
    SlowFileHandler.latency = args.latency
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowFileHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    # ANCHOR: threads
    started = time.perf_counter()
    threads = [threading.Thread(target=download_file, args=(base_url, name)) for name in FILES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("All files have been downloaded.")
    print(f"Wall time: {time.perf_counter() - started:.1f} s")
    # ANCHOR_END: threads
    server.shutdown()


if __name__ == "__main__":
    main()
