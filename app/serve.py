"""Serve the app with several uvicorn workers without the 40 ms stalls of Nagle's algorithm.

With `--workers N > 1`, uvicorn binds the listening socket itself with protocol 0, so asyncio does
not set TCP_NODELAY on the accepted connections; the response body (written after its headers)
then waits for the client's delayed ACK: about 40 ms per request. Setting TCP_NODELAY on the
listening socket is inherited by every accepted connection (Linux), which removes the stall.

    python -m app.serve --workers 2 --port 8000
"""

from __future__ import annotations

import argparse
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from app import http_limits


def serve(
    app: str = "app.main:app",
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    **options,
) -> None:
    """Like `uvicorn.run(app, host=..., port=..., workers=...)`, with TCP_NODELAY on every worker."""
    config = uvicorn.Config(app, host=host, port=port, workers=workers, **options)
    server = uvicorn.Server(config)
    if workers <= 1:
        server.run()  # asyncio binds the socket itself and sets TCP_NODELAY
        return
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve(
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
        **http_limits.uvicorn_options(),
    )


if __name__ == "__main__":
    main()
