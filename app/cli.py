"""The `gradtrace` command (also `python -m app`): serve the app with uvicorn, print its URL."""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import threading
import time
import urllib.error
import urllib.request
import webbrowser

import uvicorn

from app import http_limits
from app.serve import serve

APP = "app.main:app"
WS_MAX_BYTES = (
    1 << 20
)  # uvicorn reads a WebSocket message whole: refuse huge ones before the live lesson's own limits
OPEN_TIMEOUT = 30.0  # seconds --open waits for the server to answer before giving up
ANY_HOST = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (1-65535)")
    return port


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gradtrace",
        description="Watch PyTorch's autograd work: serve gradtrace in the browser.",
        epilog="Serve a class on a trusted LAN with --host 0.0.0.0; students open http://<your-ip>:PORT. "
        "`gradtrace live` also starts a live lesson: students' screens follow yours.",
    )
    p.add_argument(
        "command",
        nargs="?",
        choices=["live"],
        help="live: open the page and start a live lesson (students join at /live with its code)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0: the LAN)",
    )
    p.add_argument("--port", type=_port, default=8000, help="TCP port (default 8000)")
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes (default 1; the server is stateless, so N workers scale)",
    )
    p.add_argument(
        "--timeout-keep-alive",
        type=_positive,
        default=http_limits.KEEP_ALIVE,
        help=f"seconds an idle keep-alive connection stays open (default {http_limits.KEEP_ALIVE})",
    )
    p.add_argument(
        "--limit-concurrency",
        type=_positive,
        default=http_limits.LIMIT_CONCURRENCY,
        help="connections and requests at once per worker, 503 past it "
        f"(default {http_limits.LIMIT_CONCURRENCY})",
    )
    p.add_argument("--open", action="store_true", help="open the browser once the server answers")
    p.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    p.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="default info",
    )
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser()
    args = p.parse_args(argv)
    if args.reload and args.workers > 1:
        p.error("--reload runs a single worker; leave out --workers or --reload")
    return args


def url(host: str, port: int) -> str:
    """The URL a browser on this machine opens (an any-address bind is reached via loopback)."""
    host = ANY_HOST.get(host, host)
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:  # a host name
        pass
    return f"http://{host}:{port}"


def lan_address() -> str | None:
    """This machine's address on its network, best effort (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def open_when_ready(target: str, timeout: float = OPEN_TIMEOUT) -> bool:
    """Poll `target` until the server answers, then open it in the browser; False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(target, timeout=2):
                pass
        except urllib.error.HTTPError:  # any HTTP answer means the server is up
            pass
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
            continue
        if not webbrowser.open(target):
            print(f"gradtrace: found no browser to open; open {target} yourself", flush=True)
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `gradtrace` console script."""
    args = parse_args(argv)
    target = url(args.host, args.port)
    print(f"gradtrace: serving at {target}  (API docs: {target}/docs; Ctrl+C to stop)", flush=True)
    address = lan_address() if args.host in ANY_HOST else None
    if args.host in ANY_HOST:
        where = (
            f"http://{address}:{args.port}"
            if address
            else f"http://<this machine's IP>:{args.port}"
        )
        print(
            f"gradtrace: on the network: {where}  (bind to all interfaces only on a trusted network)",
            flush=True,
        )
        if (
            address
        ):  # join URLs and QR codes point at the LAN address, not at the teacher's loopback
            os.environ.setdefault("GRADTRACE_PUBLIC_URL", where)
    if args.command == "live":
        students = os.environ.get("GRADTRACE_PUBLIC_URL", target)
        print(
            f"gradtrace: live lesson: the page opens with the join code; students join at {students}/live",
            flush=True,
        )
        target, args.open = target + "/?golive=1", True
    if args.open:
        threading.Thread(target=open_when_ready, args=(target,), daemon=True).start()
    limits = http_limits.uvicorn_options(args.timeout_keep_alive, args.limit_concurrency)
    if args.reload:
        uvicorn.run(
            APP,
            host=args.host,
            port=args.port,
            reload=True,
            log_level=args.log_level,
            ws_max_size=WS_MAX_BYTES,
            **limits,
        )
    else:  # serve(): uvicorn with TCP_NODELAY on every worker's connections (see app/serve.py)
        serve(
            APP,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            ws_max_size=WS_MAX_BYTES,
            **limits,
        )
    return 0
