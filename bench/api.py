"""Speed of the run API (issue 3's Speed section) and of its worker processes (issue 11).

    python bench/api.py                    # all parts
    python bench/api.py --part inprocess   # only (1)
    python bench/api.py --part classroom   # only (3)
    python bench/api.py --quick            # short runs (a smoke test, numbers not meaningful)

(1) in-process latency of POST /api/run for every gallery example through the ASGI app, the run
    in a worker process (p50, p99), against the in-run baseline: the same request with the job done
    in the server's own process (no process hop). Targets: p50 < 5 ms, hop cost <= 1 ms.
(2) a load run against `python -m app.serve --workers 2` on 127.0.0.1: 50 concurrent keep-alive
    clients for 20 s (raw asyncio sockets, so the client costs little CPU): requests/s, p50, p99,
    errors. Target: >= 400 req/s.
(3) a classroom: `gradtrace` with its defaults, 20 normal clients looping a small backward
    program, one client loading the page (GET /), and 4 hostile clients looping the attacks of
    issue 11, each client from its own 127.0.0.x address. Targets: normal /api/run p99 < 150 ms,
    GET / p99 < 100 ms, 0 failures, every hostile request answered <= deadline + 1 s, peak RSS of
    server + workers < 2 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # run as `python bench/api.py`

HOSTILE = "import torch\nx = torch.randn(1000, 1000)\nfor i in range(10000):\n    s = x.sum()\n"
S = "s = 'a' * 100000\n"
ATTACKS = [  # issue 11's table, as a hostile student would send them
    "r = 0.5 in range(10 ** 18)",
    "a = 0x" + "f" * 4000 + "\nb = pow(a, a, a - 2)",
    "a = 0x" + "f" * 2400 + "\nb = pow(a, a, a - 2)",
    "s1 = 'ab'\nx = [s1]\ny = [s1]\nfor i in range(5):\n    x = [x, x]\n    y = [y, y]\n"
    "b = x\nc = y\nfor i in range(5):\n    b = b[0]\n    c = c[0]\n"
    "b.extend([s1] * 99980)\nc.extend([s1] * 99980)\nr = x == y",
    S + "print([s] * 99990)",
    S + "d = {}\nd[tuple([s] * 1000)]",
    "import torch\nx = torch.zeros(1000, 1000, dtype=torch.float16)\nfor i in range(3000):\n    a = x.data",
    "import torch\ny = torch.zeros(0, 5 * 10 ** 8).sum(0)",
    "import torch\nc = torch.zeros(1, 1, 800, dtype=torch.bool)\n"
    "y = torch.where(c, torch.zeros(1, 800, 1), torch.zeros(800, 1, 1))",
    "import torch\nx = torch.zeros(10, 10)\ni = torch.zeros(15000, 1, dtype=torch.long)\ny = x[i, i.T]",
    "x = '\ud800'",
    HOSTILE,  # an ordinary program that runs into the time limit
]
NORMAL = (
    "import torch\nw = torch.randn(3, requires_grad=True)\nx = torch.tensor([1.0, 2.0, 3.0])\n"
    "loss = ((w * x).sum() - 1) ** 2\nloss.backward()\nprint(loss.item(), w.grad)\n"
)


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms(seconds):
    return f"{seconds * 1000:7.2f}"


def gallery():
    from app.examples import all_examples

    return {slug: e.code for slug, e in all_examples().items()}


# -- (1) in process ------------------------------------------------------------------------------
class InProcess:
    """The baseline: the pool's interface, the job done right here (no process hop)."""

    async def submit(self, job, client, seconds, code):
        from app import worker_jobs

        return worker_jobs.handle(job)[0]


def in_process(repeat: int) -> None:
    asyncio.run(_in_process(repeat))


async def _in_process(repeat: int) -> None:
    import httpx

    from app import workers
    from app.main import app

    pool = workers.get_pool()  # started before timing (the server does it at startup)
    pooled = workers.get_pool
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def timed(code, runs, bases):
            """Pooled and in-process requests alternate, so a change in the machine's load hits both."""
            for _ in range(max(3, pool.size) if repeat > 1 else 0):  # warm-up: every worker once
                await client.post("/api/run", json={"code": code})
            for _ in range(repeat):
                for get_pool, times in ((pooled, runs), (InProcess, bases)):
                    workers.get_pool = get_pool
                    try:
                        t = time.perf_counter()
                        response = await client.post("/api/run", json={"code": code})
                        times.append(time.perf_counter() - t)
                    finally:
                        workers.get_pool = pooled
                    assert response.status_code == 200

        print(f"(1) in-process POST /api/run through the ASGI app, {repeat} runs per example (ms)")
        print(f"    {'example':32s} {'p50':>7s} {'p99':>7s}   {'baseline p50':>12s}  {'hop':>6s}")
        worst, medians, hops = 0.0, [], []
        for slug, code in gallery().items():
            runs, bases = [], []
            await timed(code, runs, bases)
            p50, p99, base = percentile(runs, 50), percentile(runs, 99), percentile(bases, 50)
            worst = max(worst, p50)
            medians.append(p50)
            hops.append(p50 - base)
            print(
                f"    {slug:32s} {ms(p50)} {ms(p99)}   {ms(base):>12s}  {(p50 - base) * 1000:+6.2f}"
            )
        print(
            f"    median of p50s {statistics.median(medians) * 1000:.2f} ms, worst p50 "
            f"{worst * 1000:.2f} ms (target < 5 ms); process hop: median {statistics.median(hops) * 1000:+.2f} ms, "
            f"worst {max(hops) * 1000:+.2f} ms (target <= 1 ms); baseline = the job run in process"
        )


# -- a tiny HTTP/1.1 client on raw sockets ------------------------------------------------------------
class Connection:
    def __init__(self, host, port, source=None):
        self.host, self.port, self.source = host, port, source
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=(self.source, 0) if self.source else None
        )

    async def post(self, path: str, body: bytes) -> int:
        return await self.request("POST", path, body)

    async def request(self, method: str, path: str, body: bytes = b"") -> int:
        if self.writer is None:
            await self.open()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        await self.reader.readexactly(length)
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def client_loop(
    host,
    port,
    bodies,
    deadline,
    latencies,
    errors,
    index,
    interval=0.0,
    source=None,
    method="POST",
    path="/api/run",
    pause=0.0,
):
    """Send requests one after another (closed loop), or one every `interval` seconds (open loop)."""
    connection = Connection(host, port, source)
    i = index
    next_send = time.monotonic() + (interval * index / 50 if interval else 0)
    try:
        while time.monotonic() < deadline:
            if interval:
                delay = next_send - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_send += interval
            elif pause:
                await asyncio.sleep(pause)
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.request(method, path, body), timeout=10)
            except Exception:
                errors.append(1)
                connection.close()
                connection = Connection(host, port, source)
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, command=None):
    if command is not None:
        pass
    elif os.environ.get(
        "BENCH_PLAIN_UVICORN"
    ):  # uvicorn's own CLI (40 ms Nagle stalls with workers > 1)
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    else:  # uvicorn with TCP_NODELAY on the listening socket (app/serve.py)
        command = [
            sys.executable,
            "-m",
            "app.serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(
                    b"POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 13\r\nConnection: close\r\n\r\n{"code": "1"}'
                )
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            time.sleep(0.2)
    # warm every worker
    for _ in range(20):
        asyncio.run(_one(port, json.dumps({"code": "import torch\nprint(torch.ones(1))"}).encode()))
    return process


async def _one(port, body):
    connection = Connection("127.0.0.1", port)
    try:
        return await connection.post("/api/run", body)
    finally:
        connection.close()


def stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


# -- (2) load ---------------------------------------------------------------------------------------
async def load(port, clients, seconds, rate=0.0):
    """Closed loop (each client sends as soon as it has its answer), or an offered `rate` in req/s."""
    bodies = [json.dumps({"code": code}).encode() for code in gallery().values()]
    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + seconds
    interval = clients / rate if rate else 0.0
    await asyncio.gather(
        *(
            client_loop(
                "127.0.0.1",
                port,
                bodies,
                deadline,
                latencies,
                errors,
                i,
                interval,
                source=f"127.0.{1 + i // 250}.{2 + i % 250}",
            )
            for i in range(clients)
        )
    )  # each client its own address, as students
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, errors


# -- (3) a classroom with hostile students ----------------------------------------------------------
def tree_rss(pid: int) -> int:
    """RSS in bytes of `pid` and all its descendants (the server, the forkserver, the workers)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, ()))
    return total


async def classroom(port, server_pid, seconds, normal_clients=20, hostile_clients=4):
    normal = [json.dumps({"code": NORMAL}).encode()]
    hostile = [json.dumps({"code": code}).encode() for code in ATTACKS]  # \ud800 stays escaped
    results = {"normal": [], "page": [], "hostile": []}
    errors = {"normal": [], "page": [], "hostile": []}
    deadline = time.monotonic() + seconds
    peak = 0

    async def watch_memory():
        nonlocal peak
        while time.monotonic() < deadline:
            peak = max(peak, tree_rss(server_pid))
            await asyncio.sleep(0.2)

    address = iter(range(2, 250))
    loops = [
        client_loop(
            "127.0.0.1",
            port,
            normal,
            deadline,
            results["normal"],
            errors["normal"],
            i,
            source=f"127.0.0.{next(address)}",
        )
        for i in range(normal_clients)
    ]
    loops += [
        client_loop(
            "127.0.0.1",
            port,
            hostile,
            deadline,
            results["hostile"],
            errors["hostile"],
            i * 3,
            source=f"127.0.0.{next(address)}",
        )
        for i in range(hostile_clients)
    ]
    loops.append(
        client_loop(
            "127.0.0.1",
            port,
            [b""],
            deadline,
            results["page"],
            errors["page"],
            0,
            source=f"127.0.0.{next(address)}",
            method="GET",
            path="/",
            pause=0.05,
        )
    )
    await asyncio.gather(watch_memory(), *loops)
    return results, errors, peak


def run_classroom(seconds: float) -> None:
    port = free_port()
    server = start_server(
        port, 1, [sys.executable, "-m", "app", "--port", str(port), "--log-level", "warning"]
    )
    try:
        results, errors, peak = asyncio.run(classroom(port, server.pid, seconds))
    finally:
        stop(server)
    deadline = 2.0 + 1.0  # GRADTRACE_MAX_SECONDS (default) + 1 s
    normal, page, hostile = results["normal"], results["page"], results["hostile"]
    print(
        f"(3) classroom: `gradtrace` defaults, 20 normal clients + 1 page client + 4 hostile clients, {seconds:g} s"
    )
    print(
        f"    normal /api/run: {len(normal)} requests, p50 {percentile(normal, 50) * 1000:.1f} ms, "
        f"p99 {percentile(normal, 99) * 1000:.1f} ms (target < 150 ms), failures {len(errors['normal'])}"
    )
    print(
        f"    GET /: {len(page)} requests, p50 {percentile(page, 50) * 1000:.1f} ms, "
        f"p99 {percentile(page, 99) * 1000:.1f} ms (target < 100 ms), failures {len(errors['page'])}"
    )
    print(
        f"    hostile: {len(hostile)} requests answered, slowest {max(hostile, default=0):.2f} s "
        f"(target <= {deadline:g} s), over it {sum(t > deadline for t in hostile)}, "
        f"non-200 {len(errors['hostile'])}"
    )
    print(
        f"    peak RSS of server + forkserver + workers: {peak / 2**20:.0f} MB (target < 2048 MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["all", "inprocess", "load", "classroom"], default="all")
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rate", type=float, default=400.0, help="offered load of part (2b), req/s"
    )
    args = parser.parse_args()
    repeat = 20 if args.quick else 100
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start "
        f"(other processes inflate every number below)"
    )
    seconds = 2.0 if args.quick else args.seconds
    if args.part in ("all", "inprocess"):
        in_process(repeat)
    if args.part in ("all", "load"):
        port = free_port()
        server = start_server(port, args.workers)
        try:
            rate, latencies, errors = asyncio.run(load(port, args.clients, seconds))
            print(
                f"(2) load: python -m app.serve --workers {args.workers}, {args.clients} clients, {seconds:g} s"
            )
            print(
                f"    {rate:.0f} req/s, p50 {percentile(latencies, 50) * 1000:.1f} ms, "
                f"p99 {percentile(latencies, 99) * 1000:.1f} ms, errors {len(errors)} "
                f"{dict(collections.Counter(errors))} (target >= 400 req/s; 1 = no answer in 10 s)"
            )
            rate, latencies, errors = asyncio.run(load(port, args.clients, seconds, args.rate))
            print(
                f"(2b) open loop: the same {args.clients} clients offering {args.rate:g} req/s in total"
            )
            print(
                f"    {rate:.0f} req/s served, p50 {percentile(latencies, 50) * 1000:.1f} ms, "
                f"p99 {percentile(latencies, 99) * 1000:.1f} ms, errors {len(errors)}"
            )
        finally:
            stop(server)
    if args.part in ("all", "classroom"):
        run_classroom(seconds)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
