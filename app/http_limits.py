"""Slow and half-open connections: uvicorn's h11 protocol with a deadline for each request.

uvicorn closes a connection idle *between* requests (`timeout_keep_alive`), but not one that opens
and sends nothing, nor a request sent a byte at a time (slowloris): each would hold a connection
for ever. Here every request must arrive whole (head and body) within `request_timeout` seconds
of the connection opening or of the previous response (GRADTRACE_REQUEST_TIMEOUT); past it
the connection is closed.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import get_settings

KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open (uvicorn's default)
LIMIT_CONCURRENCY = (
    512  # connections + requests at once per server process; past it uvicorn answers 503
)


class TimedH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self.request_timeout = get_settings().request_timeout
        self._request_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.request_timeout, self._request_expired)

    def _disarm(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _received_whole_request(self) -> None:
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            self._disarm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._received_whole_request()

    def on_response_complete(self) -> None:
        self._arm()  # the next request on this connection has its own deadline
        super().on_response_complete()
        self._received_whole_request()  # a pipelined one may be here already

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _request_expired(self) -> None:
        self._request_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(
    keep_alive: int = KEEP_ALIVE, limit_concurrency: int = LIMIT_CONCURRENCY
) -> dict:
    """Keyword arguments for uvicorn.Config / uvicorn.run that bound slow and idle clients."""
    return {
        "http": TimedH11Protocol,
        "timeout_keep_alive": keep_alive,
        "limit_concurrency": limit_concurrency,
    }
