#!/usr/bin/env python3
"""Measure the release console against its performance budgets (docs/PERFORMANCE.md).

Runs `watchroom serve` (no simulator: nothing changes unless we change it) and the console
in a pseudo-terminal of 120x40, and reports:

  - start to first frame, cold (empty --data-dir) and from the cache (a warm --data-dir);
  - CPU used over idle seconds (utime+stime from /proc/PID/stat) and bytes written to the
    terminal per idle second (counted on the pty master), with the seeded demo data;
  - the same idle figures, key press to frame written (p50/p99) and VmRSS with 100,000
    alerts (an Alertmanager file feed) and 10,000 timeline entries (posted to the backend).

A frame is "written" when its closing synchronized-update sequence (ESC [ ? 2026 l) has
been read from the pty. Called by scripts/measure.sh; see there for the settings.
"""

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import sqlite3
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

FRAME_BEGIN = b"\x1b[?2026h"
FRAME_END = b"\x1b[?2026l"
TOKEN = "measure-token"
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15; after the ")" they are at 11 and 12.
    return (int(fields[11]) + int(fields[12])) / TICK


def status_mib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib(pid):
    return status_mib(pid, "VmRSS")


def peak_rss_mib(pid):
    """The high-water mark of the resident set since the process started."""
    return status_mib(pid, "VmHWM")


def perf_figures(path):
    """task-clock (ms) from `perf stat -x ,`'s file."""
    out = {}
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) < 3 or not parts[0] or parts[0].startswith("<"):
                continue
            name = parts[2]
            if name.startswith("task-clock"):
                out["perf_task_clock_ms"] = float(parts[0])
    return out


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, -(-p * len(s) // 100) - 1))
    return s[int(k)]


class Console:
    """The console in a pseudo-terminal; every byte it writes is read and timestamped."""

    def __init__(self, argv, env, cols=120, rows=40):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.bytes = 0
        self.frames = []  # monotonic time each complete frame was read
        self.tail = b""
        self.in_sync = False
        self.text = bytearray()

    @property
    def pid(self):
        return self.proc.pid

    def pump(self, timeout):
        """Read what is there (waiting at most `timeout` s for the first bytes)."""
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:
            return False
        now = time.monotonic()
        self.bytes += len(data)
        if len(self.text) < 1 << 20:
            self.text += data
        buf = self.tail + data
        # A cursor-position query must be answered, or the program would wait for it.
        if b"\x1b[6n" in buf:
            os.write(self.master, b"\x1b[1;1R")
        n = buf.count(FRAME_END)
        # A frame of a few cells is written without the synchronized-update pair, in one
        # write: a read that holds no part of a synchronized frame is one such frame.
        self.in_sync = (self.in_sync or FRAME_BEGIN in buf) and not buf.endswith(FRAME_END)
        if n == 0 and not self.in_sync and FRAME_BEGIN not in buf:
            n = 1
        self.frames.extend([now] * n)
        self.tail = buf[-(len(FRAME_END) - 1):]
        return True

    def pump_for(self, seconds):
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.pump(left)

    def wait_frames(self, n, timeout):
        end = time.monotonic() + timeout
        while len(self.frames) < n and time.monotonic() < end:
            self.pump(end - time.monotonic())
        return len(self.frames) >= n

    def key(self, k):
        os.write(self.master, k)

    def quit(self):
        try:
            self.key(b"q")
            self.proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self.master)


class Run:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin
        self.tmp = tempfile.mkdtemp(prefix="watchroom-measure-")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self.env = dict(
            os.environ,
            HOME=self.home,
            XDG_CONFIG_HOME=os.path.join(self.home, "config"),
            XDG_DATA_HOME=os.path.join(self.home, "data"),
            TERM="xterm-256color",
            LANG="C.UTF-8",
        )
        self.env.pop("NO_COLOR", None)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.servers = []

    def start_server(self, db="duty.sqlite", port=None):
        port = port or self.port
        log = open(os.path.join(self.tmp, f"serve-{port}.log"), "w")
        server = subprocess.Popen(
            [self.bin, "serve", "--demo-data", "--listen", f"127.0.0.1:{port}",
             "--db", os.path.join(self.tmp, db), "--token", TOKEN],
            stdout=log, stderr=log, env=self.env,
        )
        self.servers.append(server)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).read()
                return server
            except OSError:
                time.sleep(0.1)
        sys.exit(f"measure: watchroom serve did not answer; see serve-{port}.log")

    def quiet_console(self):
        """A console whose backend holds the roster but no alerts and no incidents: nothing
        blinks and no deadline counts down, so only the clock changes each second."""
        src = sqlite3.connect(os.path.join(self.tmp, "duty.sqlite"))
        dst = sqlite3.connect(os.path.join(self.tmp, "quiet.sqlite"))
        src.backup(dst)
        src.close()
        for table in ("alerts", "incidents", "timeline", "events"):
            dst.execute(f"DELETE FROM {table}")
        dst.commit()
        dst.close()
        port = free_port()
        self.start_server("quiet.sqlite", port)
        argv = [self.bin, "--server", f"http://127.0.0.1:{port}", "--token", TOKEN,
                "--officer", "赵某某（示例）", "--data-dir", os.path.join(self.tmp, "quiet")]
        return Console(self.wrap(argv), self.env)

    def request(self, method, path, body=None, token=TOKEN):
        req = urllib.request.Request(
            self.url + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    def console(self, data_dir, config=None):
        argv = [self.bin, "--server", self.url, "--token", TOKEN,
                "--officer", "赵某某（示例）", "--data-dir", data_dir]
        if config:
            argv += ["--config", config]
        return Console(self.wrap(argv), self.env)

    def wrap(self, argv):
        """The console's command line, under callgrind (not counting yet) with --callgrind."""
        if not self.args.callgrind:
            return argv
        out = os.path.join(self.tmp, "callgrind.out.%p")
        log = os.path.join(self.tmp, "valgrind.%p.log")
        return ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                f"--callgrind-out-file={out}", f"--log-file={log}"] + argv

    # -- start-up --------------------------------------------------------------------

    def first_frame(self, data_dir, config=None):
        c = self.console(data_dir, config)
        ok = c.wait_frames(1, 30)
        t = (c.frames[0] - c.started) * 1000 if ok else float("nan")
        return c, t

    def startup(self, rounds):
        cold, warm = [], []
        warm_dir = os.path.join(self.tmp, "warm")
        for i in range(rounds):
            d = os.path.join(self.tmp, f"cold-{i}")
            c, t = self.first_frame(d)
            cold.append(t)
            if i == 0:
                # Keep this one running until its store holds the backend's data.
                c.pump_for(4)
                c.quit()
                shutil.copytree(d, warm_dir)
            else:
                c.quit()
        for i in range(rounds):
            d = os.path.join(self.tmp, f"warm-{i}")
            shutil.copytree(warm_dir, d)
            c, t = self.first_frame(d)
            warm.append(t)
            c.quit()
        return cold, warm

    # -- idle, keys, memory -------------------------------------------------------------

    def idle(self, c, seconds):
        c.pump_for(0.5)
        perf = None
        if self.args.perf:
            # The kernel's count of this process's CPU time, to the microsecond (/proc's
            # figures come in ticks of 10 ms).
            perf_out = os.path.join(self.tmp, f"perf-{c.pid}-{len(c.frames)}.csv")
            perf = subprocess.Popen(
                ["perf", "stat", "-x", ",", "-o", perf_out, "-e",
                 "task-clock", "-p", str(c.pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            c.pump_for(0.3)
        if self.args.callgrind:
            # Instructions from here to the end of the window, counted exactly.
            subprocess.run(["callgrind_control", "-i", "on", str(c.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        cpu0, bytes0, frames0 = cpu_seconds(c.pid), c.bytes, len(c.frames)
        t0 = time.monotonic()
        c.pump_for(seconds)
        wall = time.monotonic() - t0
        cpu = cpu_seconds(c.pid) - cpu0
        out = {
            "seconds": wall,
            "cpu_pct": 100 * cpu / wall,
            "bytes_per_s": (c.bytes - bytes0) / wall,
            "frames_per_s": (len(c.frames) - frames0) / wall,
        }
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(timeout=10)
            out.update(perf_figures(perf_out))
        if self.args.callgrind:
            out.update(self.callgrind_window(c))
        return out

    def callgrind_window(self, c):
        """Stop counting and dump: the instructions (Ir) the window executed, per second."""
        subprocess.run(["callgrind_control", "-i", "off", str(c.pid)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        before = set(os.listdir(self.tmp))
        subprocess.run(["callgrind_control", "-d", str(c.pid)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        ir = 0
        for name in sorted(set(os.listdir(self.tmp)) - before):
            if not name.startswith("callgrind.out."):
                continue
            path = os.path.join(self.tmp, name)
            with open(path) as f:
                for line in f:
                    if line.startswith(("summary:", "totals:")):
                        ir = max(ir, int(line.split()[1]))
            if self.args.callgrind_keep:
                shutil.copy(path, self.args.callgrind_keep)
        return {"callgrind_ir": ir}

    def keys(self, c, presses):
        """j and k alternately; each press is sent a little after a clock frame so that the
        next frame read is the key's."""
        lat = []
        keys = [b"j", b"k"]
        for n in range(presses):
            have = len(c.frames)
            if not c.wait_frames(have + 1, 3):
                break
            c.pump_for(0.15)
            have = len(c.frames)
            sent = time.monotonic()
            c.key(keys[n % 2])
            if not c.wait_frames(have + 1, 5):
                continue
            lat.append((c.frames[have] - sent) * 1000)
        return lat

    def settle(self, c, timeout):
        """Wait until the console is quiet: CPU under 50 % of a core over two seconds,
        after memory stopped growing."""
        end = time.monotonic() + timeout
        last_cpu, last_rss = cpu_seconds(c.pid), rss_mib(c.pid)
        while time.monotonic() < end:
            c.pump_for(2)
            cpu, rss = cpu_seconds(c.pid), rss_mib(c.pid)
            if cpu - last_cpu < 1.0 and abs(rss - last_rss) < 0.5:
                return True
            last_cpu, last_rss = cpu, rss
        return False

    def rss_after_load(self, c, seconds=20):
        """RSS once a load has settled: read every second for `seconds`, past the store's
        write (a couple of seconds after the load) and the first ten seconds, in which some
        starts hold about 9 MiB more for a while. Returns the last reading (what the
        console keeps) and the highest in the window."""
        readings = []
        for _ in range(int(seconds)):
            c.pump_for(1)
            readings.append(rss_mib(c.pid))
        return readings[-1], max(readings)

    # -- the big wall -------------------------------------------------------------------

    def big_feed(self, n):
        path = os.path.join(self.tmp, "alertmanager-100k.json")
        sev = ["critical", "warning", "info", "warning"]
        now = time.time()
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        alerts = [
            {
                "labels": {"alertname": f"PipePressure{i % 50}", "severity": sev[i % 4],
                           "instance": f"station-{i}", "district": "南山区"},
                "annotations": {"summary": f"管网压力异常（示例监测点 {i}）"},
                "startsAt": iso(now - 60 - i % 3600),
                "endsAt": iso(now + 7 * 86400),
                "fingerprint": f"{i:016x}",
                "status": {"state": "active"},
            }
            for i in range(n)
        ]
        with open(path, "w") as f:
            json.dump(alerts, f, ensure_ascii=False)
        config = os.path.join(self.tmp, "big.toml")
        with open(config, "w") as f:
            f.write(
                "[[source]]\n"
                'name = "监测示例"\n'
                'kind = "alertmanager"\n'
                f'url = "{path}"\n'
                "interval_seconds = 86400\n"
                f"max_bytes = {os.path.getsize(path) + 1024}\n"
                'severity_map = { critical = "red", warning = "yellow", info = "blue" }\n'
            )
        return config, os.path.getsize(path)

    def officer_token(self, db="duty.sqlite"):
        """A personal officer token: the bootstrap token administers, it writes no duty
        records."""
        out = subprocess.run(
            [self.bin, "admin", "--db", os.path.join(self.tmp, db), "--by", "measure",
             "user", "add", "张某伟（示例）", "--role", "officer"],
            capture_output=True, text=True, env=self.env, check=True)
        return out.stdout.strip().splitlines()[-1]

    def timeline(self, n):
        page = self.request("GET", "/api/v1/incidents?limit=500")
        items = page.get("items", page) if isinstance(page, dict) else page
        open_ids = [i["id"] for i in items if i.get("status") == "open"] or [items[0]["id"]]
        officer = self.officer_token()
        for k in range(n):
            inc = open_ids[k % len(open_ids)]
            self.request("POST", f"/api/v1/incidents/{inc}/timeline",
                         {"kind": "记录", "text": f"示例记录 {k}：现场情况平稳，继续观察。"},
                         token=officer)
        return len(open_ids)

    def cleanup(self):
        for server in self.servers:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--idle", type=float, default=60, help="idle seconds measured")
    ap.add_argument("--presses", type=int, default=100)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--alerts", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--perf", action="store_true",
                    help="also count the console's task-clock over each idle window "
                         "(perf stat -p)")
    ap.add_argument("--callgrind", action="store_true",
                    help="run the console under valgrind's callgrind and count the "
                         "instructions of each idle window exactly (slow; with --idle-only)")
    ap.add_argument("--callgrind-keep", metavar="DIR",
                    help="with --callgrind, copy each window's profile into DIR")
    ap.add_argument("--idle-only", action="store_true",
                    help="idle windows only: only the clock changing, then 100,000 alerts "
                         "(no start-up, key or cache runs)")
    ap.add_argument("--memory", action="store_true",
                    help="memory only: RSS with demo data, peak and settled RSS with the big "
                         "wall, and the first frame from its cache (no idle or key runs)")
    args = ap.parse_args()
    if args.memory:
        return memory(args)
    if args.idle_only:
        return idle_only(args)
    run = Run(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    out = {}
    try:
        run.start_server()
        print(f"measure: backend {run.url}, scratch {run.tmp}", file=sys.stderr)

        cold, warm = run.startup(args.starts)
        out["first_frame_cold_ms"] = cold
        out["first_frame_cache_ms"] = warm
        print(f"first frame: cold {sorted(cold)} ms; from the cache {sorted(warm)} ms",
              file=sys.stderr)

        d = os.path.join(run.tmp, "small")
        c = run.console(d)
        c.wait_frames(1, 30)
        run.settle(c, 30)
        out["small_rss_mib"] = rss_mib(c.pid)
        out["small_idle"] = run.idle(c, args.idle)
        print(f"idle, demo data: {out['small_idle']}", file=sys.stderr)
        out["small_keys_ms"] = run.keys(c, args.presses)
        c.quit()

        c = run.quiet_console()
        c.wait_frames(1, 30)
        run.settle(c, 30)
        out["quiet_idle"] = run.idle(c, args.idle)
        print(f"idle, only the clock changing: {out['quiet_idle']}", file=sys.stderr)
        c.quit()

        config, size = run.big_feed(args.alerts)
        t0 = time.monotonic()
        groups = run.timeline(args.entries)
        out["posted_entries"] = args.entries
        out["posted_over_incidents"] = groups
        out["post_seconds"] = time.monotonic() - t0
        print(f"posted {args.entries} timeline entries in {out['post_seconds']:.0f} s",
              file=sys.stderr)

        d = os.path.join(run.tmp, "big")
        c = run.console(d, config)
        c.wait_frames(1, 30)
        t0 = time.monotonic()
        out["big_settled"] = run.settle(c, 300)
        out["big_load_seconds"] = time.monotonic() - t0
        out["big_feed_bytes"] = size
        out["big_rss_mib"], out["big_rss_max_mib"] = run.rss_after_load(c)
        print(f"100k wall settled in {out['big_load_seconds']:.0f} s, "
              f"RSS {out['big_rss_mib']:.1f} MiB (max {out['big_rss_max_mib']:.1f} in 20 s)",
              file=sys.stderr)
        out["big_idle"] = run.idle(c, args.idle)
        print(f"idle, 100k: {out['big_idle']}", file=sys.stderr)
        out["big_keys_ms"] = run.keys(c, args.presses)
        out["big_rss_after_keys_mib"] = rss_mib(c.pid)
        c.quit()

        # The 100k wall from its cache: the store written by the run above.
        warm_big = []
        for i in range(args.starts):
            dd = os.path.join(run.tmp, f"big-warm-{i}")
            shutil.copytree(d, dd)
            c, t = run.first_frame(dd, config)
            warm_big.append(t)
            if i == 0:
                run.settle(c, 120)
                out["big_cache_rss_mib"], out["big_cache_rss_max_mib"] = run.rss_after_load(c)
            c.quit()
        out["big_first_frame_cache_ms"] = warm_big
    finally:
        run.cleanup()

    def ms(v):
        return f"p50 {pct(v, 50):.1f} ms, p99 {pct(v, 99):.1f} ms, max {max(v):.1f} ms (n={len(v)})"

    print()
    print("figure                                     value")
    print(f"first frame, cold (empty data dir)         median {pct(cold, 50):.0f} ms, max {max(cold):.0f} ms")
    print(f"first frame, from the cache (demo data)    median {pct(warm, 50):.0f} ms, max {max(warm):.0f} ms")
    wb = out["big_first_frame_cache_ms"]
    print(f"first frame, from the cache (100k alerts)  median {pct(wb, 50):.0f} ms, max {max(wb):.0f} ms")
    for label, k in (("demo data", "small"), ("100k alerts", "big")):
        i = out[f"{k}_idle"]
        print(f"idle CPU, {label:<12}                   {i['cpu_pct']:.3f} % of one core over {i['seconds']:.0f} s")
        print(f"terminal output idle, {label:<12}       {i['bytes_per_s']:.1f} bytes/s, {i['frames_per_s']:.2f} frames/s")
        print(f"key to frame, {label:<12}               {ms(out[f'{k}_keys_ms'])}")
    q = out["quiet_idle"]
    print(f"idle, only the clock changing             {q['cpu_pct']:.3f} % CPU, "
          f"{q['bytes_per_s']:.1f} bytes/s, {q['frames_per_s']:.2f} frames/s")
    print(f"RSS, demo data                             {out['small_rss_mib']:.1f} MiB")
    print(f"RSS, 100k alerts + {args.entries} entries         {out['big_rss_mib']:.1f} MiB "
          f"(max {out['big_rss_max_mib']:.1f} in the 20 s after settling; "
          f"after the keys {out['big_rss_after_keys_mib']:.1f} MiB; settled: {out['big_settled']})")
    print(f"RSS, the same wall started from its cache  {out['big_cache_rss_mib']:.1f} MiB "
          f"(max {out['big_cache_rss_max_mib']:.1f} in the 20 s after settling)")
    if os.environ.get("MEASURE_JSON"):
        with open(os.environ["MEASURE_JSON"], "w") as f:
            json.dump(out, f, indent=1)


def idle_only(args):
    run = Run(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    out = {}
    try:
        run.start_server()
        c = run.quiet_console()
        c.wait_frames(1, 30)
        run.settle(c, 30)
        out["quiet_idle"] = run.idle(c, args.idle)
        c.quit()
        config, _ = run.big_feed(args.alerts)
        run.timeline(args.entries)
        c = run.console(os.path.join(run.tmp, "big"), config)
        c.wait_frames(1, 30)
        out["big_settled"] = run.settle(c, 300)
        # Past the store's write and the first retention pass after the load.
        c.pump_for(70)
        out["big_idle"] = run.idle(c, args.idle)
        c.quit()
    finally:
        run.cleanup()
    print()
    for label, k in (("only the clock changing", "quiet"), ("100k alerts", "big")):
        i = out[f"{k}_idle"]
        line = (f"idle, {label:<24} {i['cpu_pct']:.3f} % CPU, {i['bytes_per_s']:.1f} bytes/s, "
                f"{i['frames_per_s']:.2f} frames/s over {i['seconds']:.0f} s")
        if "perf_task_clock_ms" in i:
            ms = i["perf_task_clock_ms"]
            line += f"; perf: {ms:.1f} ms task-clock ({ms / 10 / i['seconds']:.3f} %)"
        if "callgrind_ir" in i:
            line += f"; callgrind: {i['callgrind_ir'] / i['seconds'] / 1e6:.3f} M instructions/s"
        print(line)
    if os.environ.get("MEASURE_JSON"):
        with open(os.environ["MEASURE_JSON"], "w") as f:
            json.dump(out, f, indent=1)


def memory(args):
    run = Run(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    out = {}
    try:
        run.start_server()
        print(f"measure: backend {run.url}, scratch {run.tmp}", file=sys.stderr)
        c = run.console(os.path.join(run.tmp, "small"))
        c.wait_frames(1, 30)
        run.settle(c, 30)
        out["small_rss_mib"] = rss_mib(c.pid)
        out["small_peak_mib"] = peak_rss_mib(c.pid)
        c.quit()

        config, size = run.big_feed(args.alerts)
        run.timeline(args.entries)
        d = os.path.join(run.tmp, "big")
        c = run.console(d, config)
        c.wait_frames(1, 30)
        t0 = time.monotonic()
        out["big_settled"] = run.settle(c, 300)
        out["big_load_seconds"] = time.monotonic() - t0
        out["big_feed_bytes"] = size
        out["big_rss_mib"], out["big_rss_max_mib"] = run.rss_after_load(c)
        out["big_peak_mib"] = peak_rss_mib(c.pid)
        c.quit()

        warm_big = []
        for i in range(args.starts):
            dd = os.path.join(run.tmp, f"big-warm-{i}")
            shutil.copytree(d, dd)
            c, t = run.first_frame(dd, config)
            warm_big.append(t)
            if i == 0:
                run.settle(c, 120)
                out["big_cache_rss_mib"], out["big_cache_rss_max_mib"] = run.rss_after_load(c)
                out["big_cache_peak_mib"] = peak_rss_mib(c.pid)
            c.quit()
        out["big_first_frame_cache_ms"] = warm_big
    finally:
        run.cleanup()
    print()
    print(f"RSS, demo data                             {out['small_rss_mib']:.1f} MiB "
          f"(peak {out['small_peak_mib']:.1f} MiB)")
    print(f"RSS, {args.alerts} alerts + {args.entries} entries      {out['big_rss_mib']:.1f} MiB "
          f"(max {out['big_rss_max_mib']:.1f} in the 20 s after settling; "
          f"peak {out['big_peak_mib']:.1f} MiB; settled: {out['big_settled']} "
          f"in {out['big_load_seconds']:.0f} s)")
    print(f"RSS, same wall started from its cache      {out['big_cache_rss_mib']:.1f} MiB "
          f"(max {out['big_cache_rss_max_mib']:.1f} in the 20 s after settling; "
          f"peak {out['big_cache_peak_mib']:.1f} MiB)")
    wb = out["big_first_frame_cache_ms"]
    print(f"first frame, from the cache (big wall)     median {pct(wb, 50):.0f} ms, "
          f"max {max(wb):.0f} ms (n={len(wb)})")
    if os.environ.get("MEASURE_JSON"):
        with open(os.environ["MEASURE_JSON"], "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
