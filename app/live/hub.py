"""This worker's open sockets, per lesson. Sending never waits on a client: each client has its own
queue and sender task, so a slow or stalled phone cannot hold up the rest of the class; a client whose
queue overflows is disconnected (its page reconnects and resumes from the lesson's state)."""

from __future__ import annotations

import asyncio
import logging
import secrets

from starlette.websockets import WebSocket

log = logging.getLogger("gradtrace.live")

SLOW_CLIENT = 4008  # close code: the client did not keep up with the lesson
STORE_LOST = 1011  # close code: the store went away (the page retries)


class Client:
    def __init__(self, ws: WebSocket, role: str, participant: str | None, queue_size: int):
        self.id = secrets.token_hex(8)
        self.ws = ws
        self.role = role
        self.participant = participant
        self.queue: asyncio.Queue[str | tuple[int, str]] = asyncio.Queue(queue_size)
        self.closed = False
        self.pump = asyncio.create_task(self._pump())

    def offer(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.abort(SLOW_CLIENT, "too slow: the lesson moved on; reconnecting")

    def abort(self, code: int, reason: str) -> None:
        """Stop sending to a client that stopped reading, and close its socket."""
        self.closed = True
        self.pump.cancel()
        self.aborting = asyncio.create_task(self._close_quietly(code, reason))

    async def _close_quietly(self, code: int, reason: str) -> None:
        try:
            await asyncio.wait_for(self.ws.close(code, reason), 5)
        except Exception:  # the socket is gone (or stuck: the server's own timeouts end it)
            pass

    def close(self, code: int, reason: str = "") -> None:
        """Close after what is queued (or at once if the queue is full)."""
        if self.closed:
            return
        self.closed = True
        while True:
            try:
                self.queue.put_nowait((code, reason))
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()

    async def _pump(self) -> None:
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, tuple):
                    await self.ws.close(item[0], item[1][:120])
                    return
                await self.ws.send_text(item)
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket is gone: the session's receive loop ends it
            self.closed = True

    async def stop(self) -> None:
        self.closed = True
        self.pump.cancel()
        try:
            await self.pump
        except (asyncio.CancelledError, Exception):
            pass


class Hub:
    def __init__(self):
        self.lessons: dict[str, dict[str, Client]] = {}

    def add(self, code: str, client: Client) -> None:
        self.lessons.setdefault(code, {})[client.id] = client

    def remove(self, code: str, client: Client) -> None:
        clients = self.lessons.get(code)
        if clients is not None:
            clients.pop(client.id, None)
            if not clients:
                del self.lessons[code]

    def deliver(self, code: str, audience: str, text: str) -> None:
        """`audience`: "all", "student" or "teacher"."""
        for client in list(self.lessons.get(code, {}).values()):
            if audience == "all" or audience == client.role:
                client.offer(text)

    def student_ids(self, code: str) -> list[str]:
        return [c.id for c in self.lessons.get(code, {}).values() if c.role == "student"]

    def close_all(self, code: int, reason: str, text: str | None = None) -> None:
        for clients in self.lessons.values():
            for client in list(clients.values()):
                if text:
                    client.offer(text)
                client.close(code, reason)
