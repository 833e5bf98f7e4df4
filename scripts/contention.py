#!/usr/bin/env python3
"""Writes per second while consoles read: the backend's writes (alerts posted by an
officer's token) for a few seconds alone, then beside reader threads each fetching the
whole alert list (megabytes) over and over. Not part of the test suite.

    python3 scripts/contention.py --bin target/release/watchroom [--readers 8] [--seconds 5]

Prints the alert list's size, writes/s alone and writes/s beside the readers, with the
readers' fetches/s. docs/PERFORMANCE.md keeps the figures.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import multiprocessing
import time
import urllib.request

TOKEN = "contention-bootstrap-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, token, method="GET", body=None):
    req = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def alert(k, text):
    return {"source": "测试市气象台（示例）", "signal_type": "暴雨", "colour": "blue",
            "title": f"示例预警 {k}", "area": "测试区", "description": text}


def writes_for(seconds, url, token, counter_start):
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        request(f"{url}/api/v1/alerts", token, "POST", alert(counter_start + n, "示例"))
        n += 1
    return n / seconds


def read(i, url, token, stop, fetches):
    while not stop.is_set():
        request(f"{url}/api/v1/alerts?limit=5000", token)
        fetches[i] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--alerts", type=int, default=4000, help="alerts of about 3.5 KB each")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="contention-")
    db = os.path.join(tmp, "duty.sqlite")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = subprocess.run([args.bin, "admin", "--db", db, "--by", "measure", "user", "add",
                          "张某伟（示例）", "--role", "officer"],
                         capture_output=True, text=True, check=True)
    officer = out.stdout.strip().splitlines()[-1]
    server = subprocess.Popen([args.bin, "serve", "--listen", f"127.0.0.1:{port}", "--db", db,
                               "--token", TOKEN], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v1/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        text = "现场情况平稳，继续观察。" * 100
        for k in range(args.alerts):
            request(f"{url}/api/v1/alerts", officer, "POST", alert(k, text))
        size = len(request(f"{url}/api/v1/alerts?limit=5000", officer))
        alone = writes_for(args.seconds, url, officer, 10**6)
        # Readers in processes of their own: in this one they would share its lock on
        # the interpreter with the writer and slow it down themselves.
        stop = multiprocessing.Event()
        fetches = multiprocessing.Array("i", args.readers)
        readers = [multiprocessing.Process(target=read, args=(i, url, officer, stop, fetches))
                   for i in range(args.readers)]
        for r in readers:
            r.start()
        time.sleep(1)
        beside = writes_for(args.seconds, url, officer, 2 * 10**6)
        stop.set()
        for r in readers:
            r.join()
        print(f"alert list: {size / 1e6:.1f} MB in one answer ({args.alerts} alerts)")
        print(f"writes alone: {alone:.0f}/s")
        print(f"writes beside {args.readers} readers: {beside:.0f}/s "
              f"(readers: {sum(fetches[:]) / (args.seconds + 1):.1f} fetches/s in all)")
        print(f"machine: nproc {os.cpu_count()}, load average "
              f"{' '.join(open('/proc/loadavg').read().split()[:3])}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
