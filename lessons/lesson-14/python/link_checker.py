"""Lesson 14's twin: the same link checker in Python, standard library only.

A pool of threads (concurrent.futures.ThreadPoolExecutor, http.client) or tasks (asyncio streams
and a Semaphore), crawling the site that `cargo run -p lesson-14 -- --serve` serves, and printing
the report in the words of the Rust lesson's report.

    python3 link_checker.py --url http://127.0.0.1:PORT/ --mode threads --workers 8
    python3 link_checker.py --url http://127.0.0.1:PORT/ --mode asyncio --workers 8
"""

import argparse
import asyncio
import concurrent.futures
import http.client
import queue
import socket
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

MAX_BODY = 1024 * 1024
REASONS = {404: "Not Found", 503: "Service Unavailable", 500: "Internal Server Error"}


class Hrefs(HTMLParser):
    """The href of every <a>, in order."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value is not None:
                    self.hrefs.append(value)
                    break


def resolve(base, href):
    """The address `href` names from `base`, without its fragment; None if it is not one."""
    try:
        return urldefrag(urljoin(base, href.strip())).url
    except ValueError:
        return None


def understand(url, status, headers, body, whole):
    """(kind, links, status) for an answer: kind is page, too-large, redirect or status."""
    if 200 <= status < 300:
        links = []
        if headers.get("content-type", "").startswith("text/html"):
            parser = Hrefs()
            parser.feed(body.decode("utf-8", "replace"))
            links = [(href, resolve(url, href)) for href in parser.hrefs]
        return ("page" if whole else "too-large", links, status)
    if 300 <= status < 400 and "location" in headers:
        location = headers["location"]
        return ("redirect", [(location, resolve(url, location))], status)
    return ("status", [], status)


def host_and_port(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port or 80


# ANCHOR: fetch_blocking
def fetch_blocking(url, timeout):
    """One GET on this thread; redirects are not followed (http.client follows none)."""
    host, port = host_and_port(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", target, headers={"Connection": "close"})
        response = connection.getresponse()
        body = response.read(MAX_BODY + 1)
        headers = {name.lower(): value for name, value in response.getheaders()}
        return understand(url, response.status, headers, body[:MAX_BODY], len(body) <= MAX_BODY)
    except (socket.timeout, TimeoutError):
        return ("timed-out", [], None)
    finally:
        connection.close()
# ANCHOR_END: fetch_blocking


async def fetch_async(url):
    """One GET with asyncio streams; no time-out here (the caller puts one around it)."""
    host, port = host_and_port(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        status_line = await reader.readline()
        status = int(status_line.split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = b""
        while len(body) <= MAX_BODY and (chunk := await reader.read(65536)):
            body += chunk
        return understand(url, status, headers, body[:MAX_BODY], len(body) <= MAX_BODY)
    finally:
        writer.close()


def follows(start, url):
    return url is not None and url.startswith("http://") and host_and_port(url) == host_and_port(start)


# ANCHOR: pool
def crawl_with_threads(start, workers, timeout):
    """A pool of threads; this thread owns the set of seen addresses and counts those pending."""
    seen, checked, done = {start}, {}, queue.SimpleQueue()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:

        def submit(url):
            pool.submit(fetch_blocking, url, timeout).add_done_callback(
                lambda future: done.put((url, future.result())))

        submit(start)
        pending = 1
        while pending:  # the end: nothing queued and no worker busy
            url, result = done.get()
            pending -= 1
            checked[url] = (result, 1)
            for _, found in result[1]:
                if follows(start, found) and found not in seen:
                    seen.add(found)
                    submit(found)
                    pending += 1
    return checked
# ANCHOR_END: pool


# ANCHOR: tasks
async def check(url, timeout, retries=2, backoff=0.02):
    attempts = 0
    while True:
        attempts += 1
        try:
            result = await asyncio.wait_for(fetch_async(url), timeout)
        except asyncio.TimeoutError:
            result = ("timed-out", [], None)
        if result[0] != "status" or result[2] != 503 or attempts > retries:
            return url, result, attempts
        await asyncio.sleep(backoff * 2 ** (attempts - 1))


async def crawl_with_tasks(start, k, timeout):
    permits = asyncio.Semaphore(k)
    seen, checked, done = {start}, {}, asyncio.Queue()

    async def limited(url):
        async with permits:
            done.put_nowait(await check(url, timeout))

    async with asyncio.TaskGroup() as group:
        group.create_task(limited(start))
        pending = 1
        while pending:  # the end: no task left, so nothing queued and none busy
            url, result, attempts = await done.get()
            pending -= 1
            checked[url] = (result, attempts)
            for _, found in result[1]:
                if follows(start, found) and found not in seen:
                    seen.add(found)
                    group.create_task(limited(found))
                    pending += 1
    return checked
# ANCHOR_END: tasks


def shown(start, url):
    parts = urlsplit(url)
    if host_and_port(url) == host_and_port(start) and parts.scheme == "http":
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return url


def report(start, checked, timeout):
    """The report, in the words of the Rust lesson's."""
    linked_from, not_followed, links = {}, {}, 0
    for url, ((kind, found, _), _) in checked.items():
        for href, target in found:
            if kind != "redirect":
                links += 1
            if follows(start, target):
                if kind != "redirect":
                    linked_from.setdefault(shown(start, target), set()).add(shown(start, url))
            else:
                why = "not an address" if target is None else (
                    "not http://" if not target.startswith("http://") else "another host")
                not_followed.setdefault((target or href, why), set()).add(shown(start, url))
    sections = {name: [] for name in ("broken", "timed", "large", "retried")}
    redirects = []
    by_shown = {shown(start, url): result for url, (result, _) in checked.items()}
    for url, ((kind, found, status), attempts) in sorted(checked.items(), key=lambda item: shown(start, item[0])):
        address = shown(start, url)
        if kind == "status":
            reason = REASONS.get(status, "")
            sections["broken"].append((address, f"{status} {reason}".strip()))
        elif kind == "timed-out":
            sections["timed"].append((address, f"no answer within {round(timeout * 1000)} ms"))
        elif kind == "too-large":
            sections["large"].append((address, "more than 1 MiB; the rest was not read"))
        elif kind == "redirect" and address in linked_from:
            chain, at, is_loop = [address], address, False
            while by_shown.get(at, ("",))[0] == "redirect":
                to = shown(start, by_shown[at][1][0][1])
                is_loop = to in chain
                chain.append(to)
                if is_loop:
                    break
                at = to
            redirects.append((chain, is_loop, address))
        if attempts > 1:
            now = f"still {status} {REASONS.get(status, '')}".strip() if kind == "status" else "then it answered"
            sections["retried"].append((address, f"asked {attempts} times; {now}"))
    pages = sum(1 for (kind, _, _), _ in checked.values() if kind in ("page", "too-large"))
    out = [f"{len(checked)} addresses checked: {pages} pages, {links} links on them."]

    def section(title, problems):
        if problems:
            out.append(f"{title} ({len(problems)}):")
            for address, what in problems:
                out.append(f"  {address}: {what}")
                if address in linked_from:
                    out.append(f"      linked from {', '.join(sorted(linked_from[address]))}")

    section("Broken links", sections["broken"])
    if redirects:
        out.append(f"Redirects ({len(redirects)}):")
        for chain, is_loop, address in redirects:
            out.append(f"  {' -> '.join(chain)}{' (a loop)' if is_loop else ''}")
            out.append(f"      linked from {', '.join(sorted(linked_from[address]))}")
    section("Timed out", sections["timed"])
    section("Too large", sections["large"])
    section("Retried", sections["retried"])
    if not_followed:
        out.append(f"Not followed ({len(not_followed)}):")
        for (address, why), pages_from in sorted(not_followed.items()):
            out.append(f"  {address}: {why}")
            out.append(f"      linked from {', '.join(sorted(pages_from))}")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the site's first page (http:// only)")
    parser.add_argument("--mode", choices=["threads", "asyncio"], default="asyncio")
    parser.add_argument("--workers", type=int, default=8, help="threads, or requests in flight")
    parser.add_argument("--timeout", type=float, default=0.5, help="seconds a request may wait")
    parser.add_argument("--quiet", action="store_true", help="print only the count and the time")
    args = parser.parse_args()
    if not args.url.startswith("http://") or args.workers < 1 or args.timeout <= 0:
        parser.error("give an http:// address, at least one worker and a time-out above 0")
    started = time.perf_counter()
    if args.mode == "threads":
        checked = crawl_with_threads(args.url, args.workers, args.timeout)
    else:
        checked = asyncio.run(crawl_with_tasks(args.url, args.workers, args.timeout))
    took = time.perf_counter() - started
    if args.quiet:
        print(f"{len(checked)} addresses checked in {took:.3f} s")
    else:
        print(report(args.url, checked, args.timeout))
    sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
