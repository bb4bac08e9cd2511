"""Speed of the run API (issue 3's Speed section).

    python bench/api.py                  # all three parts
    python bench/api.py --part inprocess # only (1)
    python bench/api.py --quick          # short runs (a smoke test, numbers not meaningful)

(1) in-process latency of POST /api/run for every gallery example (p50, p99), with the in-run
    baseline GET /api/examples/<slug> (same stack, no program run) for the ratio;
(2) a load run against `uvicorn app.main:app --workers 2` on 127.0.0.1: 50 concurrent keep-alive
    clients for 20 s (raw asyncio sockets, so the client costs little CPU): requests/s, p50, p99,
    errors;
(3) while one client keeps sending programs that hit the time limit, the p99 of a second client
    sending normal programs.
Targets: (1) p50 < 5 ms per example; (2) >= 400 req/s, p99 < 25 ms; (3) normal p99 < 100 ms.
"""
from __future__ import annotations

import argparse
import asyncio
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

HOSTILE = ("import torch\nx = torch.randn(1000, 1000)\nfor i in range(10000):\n"
           "    s = x.sum()\n")


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
def in_process(repeat: int) -> None:
    asyncio.run(_in_process(repeat))


async def _in_process(repeat: int) -> None:
    import httpx

    from app.main import app

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        print(f"(1) in-process POST /api/run through the ASGI app, {repeat} runs per example (ms)")
        print(f"    {'example':32s} {'p50':>7s} {'p99':>7s} {'cpu p50':>8s}   {'baseline p50':>12s}  ratio")
        worst, medians = 0.0, []
        for slug, code in gallery().items():
            for _ in range(min(3, repeat - 1)):  # warm-up
                await client.post("/api/run", json={"code": code})
            runs, bases, cpus = [], [], []
            for _ in range(repeat):
                t, c = time.perf_counter(), time.process_time()
                response = await client.post("/api/run", json={"code": code})
                runs.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)  # CPU of this process: less sensitive to load
                assert response.status_code == 200
                t = time.perf_counter()
                await client.get(f"/api/examples/{slug}")
                bases.append(time.perf_counter() - t)
            p50, p99, base = percentile(runs, 50), percentile(runs, 99), percentile(bases, 50)
            worst = max(worst, p50)
            medians.append(p50)
            print(f"    {slug:32s} {ms(p50)} {ms(p99)} {ms(percentile(cpus, 50)):>8s}   "
                  f"{ms(base):>12s}  {p50 / base:5.1f}x")
        print(f"    median of p50s {statistics.median(medians) * 1000:.2f} ms, worst p50 "
              f"{worst * 1000:.2f} ms (target < 5 ms); baseline = GET /api/examples/<slug>, no run")


# -- a tiny HTTP/1.1 client on raw sockets ------------------------------------------------------------
class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            await self.open()
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
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


async def client_loop(host, port, bodies, deadline, latencies, errors, index, interval=0.0):
    """Send requests one after another (closed loop), or one every `interval` seconds (open loop)."""
    connection = Connection(host, port)
    i = index
    next_send = time.monotonic() + (interval * index / 50 if interval else 0)
    try:
        while time.monotonic() < deadline:
            if interval:
                delay = next_send - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_send += interval
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.post("/api/run", body), timeout=10)
            except Exception:
                errors.append(1)
                connection.close()
                connection = Connection(host, port)
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


def start_server(port: int, workers: int):
    if os.environ.get("BENCH_PLAIN_UVICORN"):  # uvicorn's own CLI (40 ms Nagle stalls with workers > 1)
        command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port",
                   str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    else:  # uvicorn with TCP_NODELAY on the listening socket (app/serve.py)
        command = [sys.executable, "-m", "app.serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b'POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                          b'Content-Length: 13\r\nConnection: close\r\n\r\n{"code": "1"}')
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


# -- (2) load ---------------------------------------------------------------------------------------
async def load(port, clients, seconds, rate=0.0):
    """Closed loop (each client sends as soon as it has its answer), or an offered `rate` in req/s."""
    bodies = [json.dumps({"code": code}).encode() for code in gallery().values()]
    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + seconds
    interval = clients / rate if rate else 0.0
    await asyncio.gather(*(client_loop("127.0.0.1", port, bodies, deadline, latencies, errors, i,
                                       interval) for i in range(clients)))
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, errors


# -- (3) hostile neighbour ----------------------------------------------------------------------------
async def alone(port, seconds):
    normal = [json.dumps({"code": code}).encode() for code in gallery().values()]
    latencies, errors = [], []
    await client_loop("127.0.0.1", port, normal, time.monotonic() + seconds, latencies, errors, 0)
    return latencies


async def neighbour(port, seconds):
    normal = [json.dumps({"code": code}).encode() for code in gallery().values()]
    hostile = [json.dumps({"code": HOSTILE}).encode()]
    normal_latencies, hostile_latencies, errors = [], [], []
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        client_loop("127.0.0.1", port, hostile, deadline, hostile_latencies, errors, 0),
        client_loop("127.0.0.1", port, normal, deadline, normal_latencies, errors, 0))
    return normal_latencies, hostile_latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["all", "inprocess", "load", "neighbour"], default="all")
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=400.0, help="offered load of part (2b), req/s")
    args = parser.parse_args()
    repeat = 20 if args.quick else 100
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start "
          f"(other processes inflate every number below)")
    seconds = 2.0 if args.quick else args.seconds
    if args.part in ("all", "inprocess"):
        in_process(repeat)
    if args.part in ("all", "load", "neighbour"):
        port = free_port()
        server = start_server(port, args.workers)
        try:
            if args.part in ("all", "load"):
                rate, latencies, errors = asyncio.run(load(port, args.clients, seconds))
                print(f"(2) load: uvicorn --workers {args.workers}, {args.clients} clients, {seconds:g} s")
                print(f"    {rate:.0f} req/s, p50 {percentile(latencies, 50) * 1000:.1f} ms, "
                      f"p99 {percentile(latencies, 99) * 1000:.1f} ms, errors {len(errors)} "
                      f"(targets >= 400 req/s, p99 < 25 ms)")
                print(f"    (closed loop: mean latency = clients / throughput, so p99 < 25 ms with 50 "
                      f"clients would need > 2,000 req/s)")
                rate, latencies, errors = asyncio.run(load(port, args.clients, seconds, args.rate))
                print(f"(2b) open loop: the same {args.clients} clients offering {args.rate:g} req/s in total")
                print(f"    {rate:.0f} req/s served, p50 {percentile(latencies, 50) * 1000:.1f} ms, "
                      f"p99 {percentile(latencies, 99) * 1000:.1f} ms, errors {len(errors)}")
            if args.part in ("all", "neighbour"):
                baseline = asyncio.run(alone(port, 2.0 if args.quick else 5.0))
                normal, hostile, errors = asyncio.run(neighbour(port, 3.0 if args.quick else 10.0))
                print("(3) hostile neighbour: one client hitting the time limit, one normal client")
                print(f"    baseline, normal client alone: p50 {percentile(baseline, 50) * 1000:.1f} ms, "
                      f"p99 {percentile(baseline, 99) * 1000:.1f} ms")
                print(f"    normal: {len(normal)} requests, p50 {percentile(normal, 50) * 1000:.1f} ms, "
                      f"p99 {percentile(normal, 99) * 1000:.1f} ms (target < 100 ms); hostile: "
                      f"{len(hostile)} requests, p50 {percentile(hostile, 50) * 1000:.0f} ms; "
                      f"errors {len(errors)}")
        finally:
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
