"""Where lessons live: in this process (one worker, nothing to install) or in Redis (several workers
or machines). Both keep the same records and expire a lesson after `idle` seconds without a write.

A lesson record: {"token_digest", "join_url", "created", "state" (dict | None), "questions"
(list of dicts, true values included), "ended" (bool)}. Answers are kept per question, keyed by the
student's secret participant id, so a student can only ever replace their own answer. Presence is
the set of open student connections (refreshed by a heartbeat in Redis, so a crashed worker's
connections fade out). Events go to every worker's hub: `deliver(code, audience, text)`.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Callable

log = logging.getLogger("gradtrace.live")

Deliver = Callable[[str, str, str], None]
PRESENCE_SECONDS = 60.0  # a connection not refreshed for this long no longer counts (Redis)
REDIS_CONNECTIONS = 32  # per worker


class StoreUnavailable(Exception):
    """The store (Redis) cannot be reached; the message says so in words a teacher can act on."""


class MemoryStore:
    """Lessons in this process's memory: right for one worker."""

    kind = "memory"

    def __init__(self, idle: float, max_lessons: int):
        self.idle = idle
        self.max_lessons = max_lessons
        self.lessons: dict[str, dict] = {}
        self.deliver: Deliver | None = None

    def _live(self, code: str) -> dict | None:
        entry = self.lessons.get(code)
        if entry and entry["expires"] < time.monotonic():
            del self.lessons[code]
            return None
        return entry

    def _touch(self, entry: dict) -> None:
        entry["expires"] = time.monotonic() + self.idle

    async def start(self, deliver: Deliver, on_outage: Callable[[], None] | None = None) -> None:
        self.deliver = deliver

    async def close(self) -> None:
        pass

    async def create(self, code: str, record: dict) -> bool:
        if self._live(code):
            return False
        for other in list(self.lessons):  # forget expired lessons before counting
            self._live(other)
        if len(self.lessons) >= self.max_lessons:
            raise StoreUnavailable(f"this server already holds {self.max_lessons} live lessons")
        self.lessons[code] = {
            "record": dict(record),
            "answers": {},
            "present": set(),
            "expires": 0.0,
        }
        self._touch(self.lessons[code])
        return True

    async def lesson(self, code: str) -> dict | None:
        entry = self._live(code)
        return dict(entry["record"]) if entry else None

    async def get(self, code: str, name: str):
        entry = self._live(code)
        return entry["record"].get(name) if entry else None

    async def update(self, code: str, publish: tuple[str, str] | None = None, **fields) -> None:
        """Write fields (refreshing the expiry), then publish (audience, text) if given."""
        entry = self._live(code)
        if entry:
            entry["record"].update(fields)
            self._touch(entry)
        if publish:
            await self.publish(code, *publish)

    async def put_answer(
        self, code: str, question: str, participant: str, answer: dict, announce: tuple[str, str]
    ) -> int | None:
        """Keep a student's answer if `question` is the open one; publish `announce[0] + count +
        announce[1]` to the teacher; the number of answers, or None when the question is not open."""
        entry = self._live(code)
        if not entry or entry["record"].get("open") != question:
            return None
        answers = entry["answers"].setdefault(question, {})
        answers[participant] = answer
        await self.publish(code, "teacher", f"{announce[0]}{len(answers)}{announce[1]}")
        return len(answers)

    async def answers(self, code: str, question: str) -> dict[str, dict]:
        entry = self._live(code)
        return dict(entry["answers"].get(question, {})) if entry else {}

    async def present(self, code: str, connections: list[str]) -> None:
        entry = self._live(code)
        if entry:
            entry["present"].update(connections)

    async def absent(self, code: str, connection: str) -> None:
        entry = self._live(code)
        if entry:
            entry["present"].discard(connection)

    async def count(self, code: str) -> int:
        entry = self._live(code)
        return len(entry["present"]) if entry else 0

    async def publish(self, code: str, audience: str, text: str) -> None:
        if self.deliver:
            self.deliver(code, audience, text)


def _unavailable(method):
    """Redis errors become StoreUnavailable with a message naming the cause."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        try:
            return await method(self, *args, **kwargs)
        except self.errors as error:
            log.warning("live lessons: Redis error: %r", error)
            raise StoreUnavailable(
                f"the server cannot reach Redis ({type(error).__name__})"
            ) from error

    return wrapper


class RedisStore:
    """Lessons in Redis (hash + answer hashes + presence sorted set, all expiring) and events through
    Redis pub/sub, so a teacher on one worker drives students on another."""

    kind = "redis"
    PREFIX = "gradtrace:live:"

    def __init__(self, url: str, idle: float):
        import redis.asyncio as redis
        from redis.exceptions import RedisError

        self.errors = (RedisError, OSError)
        self.idle = int(idle)
        self.url = url
        # a bounded pool that waits for a free connection: a class answering at once must not open
        # hundreds of connections (or fail when connecting is slow)
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=REDIS_CONNECTIONS,
            timeout=10,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=15,
            decode_responses=True,
        )
        self.redis = redis.Redis(connection_pool=pool)
        self.listener: asyncio.Task | None = None
        self.on_outage: Callable[[], None] | None = None
        self.connected = asyncio.Event()

    def _key(self, code: str, *parts: str) -> str:
        return self.PREFIX + ":".join((code, *parts))

    async def start(self, deliver: Deliver, on_outage: Callable[[], None] | None = None) -> None:
        self.on_outage = on_outage
        self.listener = asyncio.create_task(self._listen(deliver))

    async def close(self) -> None:
        if self.listener:
            self.listener.cancel()
        await self.redis.aclose()

    async def _listen(self, deliver: Deliver) -> None:
        """Pass every lesson's events to this worker's hub; on an outage, retry with backoff."""
        delay = 0.2
        channel_prefix = self.PREFIX + "events:"
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(channel_prefix + "*")
                self.connected.set()
                delay = 0.2
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    code = message["channel"][len(channel_prefix) :]
                    audience, _, text = message["data"].partition(" ")
                    deliver(code, audience, text)
            except asyncio.CancelledError:
                raise
            except self.errors as error:
                if self.connected.is_set():
                    log.warning("live lessons: Redis unreachable (%s); retrying", error)
                    self.connected.clear()
                    if self.on_outage:
                        self.on_outage()  # clients reconnect and resume once Redis is back
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            finally:
                try:
                    await pubsub.aclose()
                except Exception:  # the connection is already gone
                    pass

    async def _expire(self, pipe, code: str) -> None:
        for key in (self._key(code), self._key(code, "present")):
            pipe.expire(key, self.idle)

    @staticmethod
    def _encode(record: dict) -> dict:
        return {k: json.dumps(v) for k, v in record.items()}

    @_unavailable
    async def create(self, code: str, record: dict) -> bool:
        key = self._key(code)
        if not await self.redis.hsetnx(key, "token_digest", json.dumps(record["token_digest"])):
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=self._encode(record))
            pipe.expire(key, self.idle)
            await pipe.execute()
        return True

    @_unavailable
    async def lesson(self, code: str) -> dict | None:
        raw = await self.redis.hgetall(self._key(code))
        return {k: json.loads(v) for k, v in raw.items()} if raw else None

    @_unavailable
    async def get(self, code: str, name: str):
        raw = await self.redis.hget(self._key(code), name)
        return json.loads(raw) if raw is not None else None

    @_unavailable
    async def update(self, code: str, publish: tuple[str, str] | None = None, **fields) -> None:
        """Write fields (refreshing the expiry) and publish (audience, text) in one round trip."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(code), mapping=self._encode(fields))
            await self._expire(pipe, code)
            if publish:
                pipe.publish(self.PREFIX + "events:" + code, publish[0] + " " + publish[1])
            await pipe.execute()

    # One round trip per answer (a class answers at once): check the open question, keep the answer,
    # count, renew the expiry and tell the teacher, atomically.
    ANSWER_SCRIPT = """
    if redis.call('HGET', KEYS[1], 'open') ~= ARGV[1] then return -1 end
    redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
    local n = redis.call('HLEN', KEYS[2])
    redis.call('EXPIRE', KEYS[2], ARGV[4])
    redis.call('PUBLISH', ARGV[5], ARGV[6] .. n .. ARGV[7])
    return n
    """

    @_unavailable
    async def put_answer(
        self, code: str, question: str, participant: str, answer: dict, announce: tuple[str, str]
    ) -> int | None:
        if not hasattr(self, "_answer_script"):
            self._answer_script = self.redis.register_script(self.ANSWER_SCRIPT)
        count = await self._answer_script(
            keys=[self._key(code), self._key(code, "answers", question)],
            args=[
                json.dumps(question),
                participant,
                json.dumps(answer),
                self.idle,
                self.PREFIX + "events:" + code,
                "teacher " + announce[0],
                announce[1],
            ],
        )
        return None if count < 0 else count

    @_unavailable
    async def answers(self, code: str, question: str) -> dict[str, dict]:
        raw = await self.redis.hgetall(self._key(code, "answers", question))
        return {k: json.loads(v) for k, v in raw.items()}

    @_unavailable
    async def present(self, code: str, connections: list[str]) -> None:
        if not connections:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(self._key(code, "present"), {c: time.time() for c in connections})
            pipe.expire(self._key(code, "present"), self.idle)
            await pipe.execute()

    @_unavailable
    async def absent(self, code: str, connection: str) -> None:
        await self.redis.zrem(self._key(code, "present"), connection)

    @_unavailable
    async def count(self, code: str) -> int:
        key = self._key(code, "present")
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", time.time() - PRESENCE_SECONDS)
            pipe.zcard(key)
            _, count = await pipe.execute()
        return count

    @_unavailable
    async def publish(self, code: str, audience: str, text: str) -> None:
        await self.redis.publish(self.PREFIX + "events:" + code, audience + " " + text)
