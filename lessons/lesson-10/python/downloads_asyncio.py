"""Lesson 10 the Python way: three downloads as asyncio tasks, over real HTTP.

An asyncio HTTP server runs inside this program on 127.0.0.1 and waits `--latency` seconds
before each answer (1 s by default). The standard library has no asyncio HTTP client, so the
client writes its GET by hand; a real program would use aiohttp or httpx.

    python3 lessons/lesson-10/python/downloads_asyncio.py
    python3 lessons/lesson-10/python/downloads_asyncio.py --latency 0.2
"""

import argparse
import asyncio
import hashlib
import time

FILES = ["file1.zip", "file2.zip", "file3.zip"]


def file_bytes(name):
    """128 KiB that are the same on every run, so a download can be checked."""
    return hashlib.sha256(name.encode()).digest() * 4096


def serve_with_latency(latency):
    async def answer(reader, writer):
        request_line = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")[0]
        name = request_line.split()[1].decode().lstrip("/")
        await asyncio.sleep(latency)  # stands in for a slow network
        body = file_bytes(name) if name in FILES else b"not found\n"
        status = "200 OK" if name in FILES else "404 Not Found"
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        writer.write(head.encode() + body)
        await writer.drain()
        writer.close()

    return answer


# ANCHOR: download_file
async def download_file(port, name):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    response = await reader.read()  # until the server closes; other tasks run meanwhile
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") or body != file_bytes(name):
        raise ValueError(f"{name} arrived damaged")
    return name
# ANCHOR_END: download_file


async def main(latency):
    server = await asyncio.start_server(serve_with_latency(latency), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    # ANCHOR: gather
    started = time.perf_counter()
    tasks = []
    for name in FILES:
        print(f"Starting download of {name}...")
        tasks.append(asyncio.create_task(download_file(port, name)))
    for name in await asyncio.gather(*tasks):  # in the order of the tasks
        print(f"Finished downloading {name}")
    print("All files have been downloaded.")
    print(f"Wall time: {time.perf_counter() - started:.1f} s")
    # ANCHOR_END: gather
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Three downloads as asyncio tasks.")
    parser.add_argument(
        "--latency", type=float, default=1.0,
        help="seconds the server waits before each answer (default: 1)",
    )
    args = parser.parse_args()
    if not 0 <= args.latency <= 60:
        parser.error("--latency must be between 0 and 60 seconds")
    asyncio.run(main(args.latency))
