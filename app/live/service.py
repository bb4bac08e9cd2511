"""One live-lesson socket from hello to goodbye, and creating lessons. The routes stay thin over this.

The teacher is whoever presents the lesson's token (the httpOnly cookie set when the lesson was
created, or `token` in hello for scripts); a student's socket can only send answers and pings, and
an answer is stored under that student's own secret participant id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from app.live import codes, questions
from app.live.hub import STORE_LOST, Client, Hub
from app.live.protocol import (
    Answer,
    Ask,
    End,
    HelloMessage,
    LessonState,
    Ping,
    Reveal,
    StateMessage,
    StudentMessage,
    TeacherMessage,
    clean_name,
    problem,
)
from app.live.settings import LiveSettings, get_live_settings
from app.live.store import MemoryStore, RedisStore, StoreUnavailable

log = logging.getLogger("gradtrace.live")

COOKIE_PREFIX = "gradtrace_live_"
NO_LESSON, NOT_TEACHER, FULL, TOO_LARGE, POLICY = 4404, 4403, 4429, 1009, 1008
MAX_STRIKES = 20  # malformed messages from one socket before it is closed
HEARTBEAT_SECONDS = 20.0  # Redis presence refresh
TEACHER_ONLY = {"state", "ask", "reveal", "end"}


def dumps(message: dict) -> str:
    return json.dumps(message, separators=(",", ":"), allow_nan=False)


class AnswerRate:
    """Token bucket: `rate` answers a second, bursts of `burst`."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens, self.at = float(burst), time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Refused(Exception):
    def __init__(self, kind: str, message: str, close: int):
        super().__init__(message)
        self.kind, self.message, self.close = kind, message, close


class LiveService:
    def __init__(self, settings: LiveSettings):
        self.settings = settings
        self.hub = Hub()
        if settings.redis_url:
            self.store = RedisStore(settings.redis_url, settings.live_idle_seconds)
        else:
            self.store = MemoryStore(settings.live_idle_seconds, settings.live_max_lessons)
        self.started = False
        self.heartbeat: asyncio.Task | None = None
        self.departed: dict[str, set[str]] = {}  # connections that left while the store was down

    async def ensure_started(self) -> None:
        if self.started:
            return
        self.started = True
        await self.store.start(self.hub.deliver, on_outage=self._outage)
        if isinstance(self.store, RedisStore):
            self.heartbeat = asyncio.create_task(self._heartbeat())

    def _outage(self) -> None:
        message = dumps(
            {
                "type": "error",
                "kind": "store-unavailable",
                "message": "The live lesson lost its connection to Redis; reconnecting…",
            }
        )
        self.hub.close_all(STORE_LOST, "store unavailable", message)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for code in list(self.hub.lessons):
                try:
                    await self.store.present(code, self.hub.student_ids(code))
                except StoreUnavailable:
                    pass

    # ------------------------------------------------------------------ HTTP side

    async def create(self, join_base: str) -> tuple[str, str, str]:
        """A new lesson: (code, teacher token, join URL)."""
        await self.ensure_started()
        token = codes.new_token()
        for _ in range(20):
            code = codes.new_code()
            join_url = join_base.rstrip("/") + "/live/" + code
            record = {
                "token_digest": codes.digest(token),
                "join_url": join_url,
                "created": time.time(),
                "state": None,
                "questions": [],
                "open": None,
                "ended": False,
            }
            if await self.store.create(code, record):
                return code, token, join_url
        raise StoreUnavailable("no free join code was found")

    async def lesson(self, code: str) -> dict | None:
        await self.ensure_started()
        return await self.store.lesson(code)

    # ------------------------------------------------------------------ one socket

    async def serve(self, ws: WebSocket, code: str | None) -> None:
        await ws.accept()
        client = None
        try:
            await self.ensure_started()
            if code is None:
                raise Refused(
                    "no-lesson", "That is not a join code: six letters, like KMQTXA.", NO_LESSON
                )
            hello = await self._hello(ws)
            lesson = await self.store.lesson(code)
            if lesson is None:
                raise Refused(
                    "no-lesson",
                    f"No live lesson with code {code}: it has ended or expired.",
                    NO_LESSON,
                )
            client = await self._join(ws, code, hello, lesson)
            await self._loop(ws, code, client)
        except Refused as refused:
            await self._refuse(ws, refused.kind, refused.message, refused.close)
        except StoreUnavailable as error:
            await self._refuse(
                ws,
                "store-unavailable",
                f"Live lessons are unavailable: {error}. Retrying…",
                STORE_LOST,
            )
        except WebSocketDisconnect:
            pass
        except RuntimeError:  # sent on a socket that closed meanwhile
            pass
        finally:
            if client is not None:
                await self._leave(code, client)
            if ws.application_state == WebSocketState.CONNECTED:
                try:
                    await ws.close()
                except Exception:  # the client went first
                    pass

    async def _refuse(self, ws: WebSocket, kind: str, message: str, close: int) -> None:
        try:
            await ws.send_text(dumps({"type": "error", "kind": kind, "message": message}))
            await ws.close(close, kind)
        except Exception:  # already closed
            pass

    async def _receive(self, ws: WebSocket, limit: int) -> dict:
        """The next message as a dict; Refused when it is too large, ValueError when malformed."""
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            if len(message.get("bytes") or b"") > limit:
                raise Refused(
                    "too-large", f"Message too large: the limit is {limit:,} bytes.", TOO_LARGE
                )
            raise ValueError("messages are JSON text, not binary")
        if len(text) > limit or len(text.encode()) > limit:
            raise Refused(
                "too-large", f"Message too large: the limit is {limit:,} bytes.", TOO_LARGE
            )
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a message is a JSON object")
        return data

    async def _hello(self, ws: WebSocket):
        try:
            data = await asyncio.wait_for(
                self._receive(ws, self.settings.live_student_message_bytes),
                self.settings.live_hello_seconds,
            )
            return HelloMessage.validate_python(data)
        except (ValueError, ValidationError) as error:
            raise Refused(
                "bad-hello", f"The first message must be a hello: {problem(error)}", POLICY
            ) from error
        except TimeoutError:
            raise Refused(
                "no-hello", f"No hello within {self.settings.live_hello_seconds:g} s.", POLICY
            ) from None

    async def _join(self, ws: WebSocket, code: str, hello, lesson: dict) -> Client:
        s = self.settings
        if hello.role == "teacher":
            token = hello.token or ws.cookies.get(COOKIE_PREFIX + code)
            if not codes.token_matches(token, lesson["token_digest"]):
                raise Refused(
                    "not-teacher", "Only the teacher's browser can drive this lesson.", NOT_TEACHER
                )
            client = Client(ws, "teacher", None, s.live_send_queue)
            self.hub.add(code, client)
            await self._send(client, await self._teacher_welcome(code, lesson))
            return client
        await self._forget_departed(code)
        if await self.store.count(code) >= s.live_max_participants:
            raise Refused(
                "full", f"This lesson is full ({s.live_max_participants} students).", FULL
            )
        participant = (
            hello.participant
            if codes.valid_participant(hello.participant)
            else codes.new_participant()
        )
        client = Client(ws, "student", participant, s.live_send_queue)
        client.rate = AnswerRate(s.live_answers_per_second, s.live_answer_burst)
        self.hub.add(code, client)
        await self.store.present(code, [client.id])
        await self._send(client, await self._student_welcome(code, lesson, participant))
        await self._presence(code)
        return client

    async def _leave(self, code: str, client: Client) -> None:
        self.hub.remove(code, client)
        await client.stop()
        if client.role == "student":
            try:
                await self.store.absent(code, client.id)
                await self._presence(code)
            except StoreUnavailable:  # removed when the store is back (or fades: PRESENCE_SECONDS)
                self.departed.setdefault(code, set()).add(client.id)

    async def _forget_departed(self, code: str) -> None:
        for connection in self.departed.pop(code, ()):
            await self.store.absent(code, connection)

    async def _presence(self, code: str) -> None:
        await self.store.publish(
            code, "teacher", dumps({"type": "presence", "students": await self.store.count(code)})
        )

    async def _send(self, client: Client, message: dict) -> None:
        client.offer(dumps(message))

    async def _teacher_welcome(self, code: str, lesson: dict) -> dict:
        qs = lesson["questions"]
        current = qs[-1] if qs else None
        answers = await self.store.answers(code, current["id"]) if current else {}
        return {
            "type": "welcome",
            "role": "teacher",
            "code": code,
            "join_url": lesson["join_url"],
            "state": lesson["state"],
            "questions": qs,
            "students": await self.store.count(code),
            "answers": [{"who": codes.alias(p), **a} for p, a in answers.items()],
            "ended": lesson["ended"],
            "summary": questions.summary(qs) if lesson["ended"] else None,
        }

    async def _student_welcome(self, code: str, lesson: dict, participant: str) -> dict:
        qs = lesson["questions"]
        current = qs[-1] if qs else None
        mine = None
        if current:
            mine = (await self.store.answers(code, current["id"])).get(participant)
        return {
            "type": "welcome",
            "role": "student",
            "code": code,
            "participant": participant,
            "state": lesson["state"],
            "question": questions.public(current) if current and not current["revealed"] else None,
            "reveal": self._reveal_message(current) if current and current["revealed"] else None,
            "my_answer": mine["value"] if mine else None,
            "ended": lesson["ended"],
            "summary": questions.summary(qs) if lesson["ended"] else None,
        }

    @staticmethod
    def _reveal_message(q: dict) -> dict:
        return {
            "type": "reveal",
            "question": {**questions.public(q), "truth": q["truth"], "tolerance": q["tolerance"]},
            "stats": q["stats"],
            "values": q.get("values", []),
        }

    async def _loop(self, ws: WebSocket, code: str, client: Client) -> None:
        teacher = client.role == "teacher"
        limit = (
            self.settings.live_teacher_message_bytes
            if teacher
            else self.settings.live_student_message_bytes
        )
        adapter = TeacherMessage if teacher else StudentMessage
        strikes = 0
        while True:
            try:
                data = await self._receive(ws, limit)
                if not teacher and data.get("type") in TEACHER_ONLY:
                    raise PermissionError("Only the teacher's browser can drive this lesson.")
                message = adapter.validate_python(data)
            except (ValueError, ValidationError, PermissionError) as error:
                strikes += 1
                if strikes > MAX_STRIKES:
                    raise Refused(
                        "malformed", "Too many malformed or forbidden messages.", POLICY
                    ) from error
                if isinstance(error, PermissionError):
                    await self._error(client, "not-teacher", str(error))
                else:
                    await self._error(
                        client, "malformed", f"Ignored a malformed message: {problem(error)}"
                    )
                continue
            if isinstance(message, Ping):
                await self._send(client, {"type": "pong"})
            elif isinstance(message, StateMessage):
                await self._state(code, message.state)
            elif isinstance(message, Ask):
                await self._ask(code, client, message)
            elif isinstance(message, Reveal):
                await self._reveal(code, client)
            elif isinstance(message, End):
                await self._end(code)
            elif isinstance(message, Answer):
                await self._answer(code, client, message)

    async def _error(self, client: Client, kind: str, message: str) -> None:
        await self._send(client, {"type": "error", "kind": kind, "message": message})

    async def _state(self, code: str, state: LessonState) -> None:
        data = state.model_dump()
        await self.store.update(
            code, publish=("student", dumps({"type": "state", "state": data})), state=data
        )

    async def _ask(self, code: str, client: Client, message: Ask) -> None:
        qs = await self.store.get(code, "questions") or []
        if qs and not qs[-1]["revealed"]:
            return await self._error(
                client, "question-open", "Reveal the current question before asking another."
            )
        if len(qs) >= self.settings.live_max_questions:
            return await self._error(
                client,
                "too-many-questions",
                f"A lesson holds at most {self.settings.live_max_questions} questions.",
            )
        q = {"id": f"q{len(qs) + 1}", **message.question.model_dump(), "revealed": False}
        await self.store.update(code, questions=[*qs, q], open=q["id"], ended=False)
        await self.store.publish(
            code, "student", dumps({"type": "question", "question": questions.public(q)})
        )
        await self.store.publish(code, "teacher", dumps({"type": "question", "question": q}))

    async def _reveal(self, code: str, client: Client) -> None:
        qs = await self.store.get(code, "questions") or []
        if not qs or qs[-1]["revealed"]:
            return await self._error(client, "no-question", "There is no open question to reveal.")
        q = qs[-1]
        values = [a["value"] for a in (await self.store.answers(code, q["id"])).values()]
        q.update(revealed=True, stats=questions.reveal_stats(values, q), values=values)
        await self.store.update(
            code, open=None, questions=qs, publish=("all", dumps(self._reveal_message(q)))
        )

    async def _end(self, code: str) -> None:
        qs = await self.store.get(code, "questions") or []
        await self.store.update(
            code,
            ended=True,
            publish=("all", dumps({"type": "ended", "summary": questions.summary(qs)})),
        )

    async def _answer(self, code: str, client: Client, message: Answer) -> None:
        if not client.rate.allow():
            return await self._error(
                client,
                "answer-rate",
                f"Too many answers: at most {self.settings.live_answers_per_second:g} a second.",
            )
        answer = {"value": message.value, "name": clean_name(message.name)}
        # the teacher's message, with the count filled in by the store
        head = dumps(
            {
                "type": "answer",
                "question": message.question,
                "who": codes.alias(client.participant),
                **answer,
                "answered": 0,
            }
        )
        announce = (head[:-2], "}")  # ...,"answered": | count | }
        answered = await self.store.put_answer(
            code, message.question, client.participant, answer, announce
        )
        if answered is None:
            return await self._error(client, "question-closed", "That question is no longer open.")
        await self._send(
            client, {"type": "answered", "question": message.question, "value": message.value}
        )


_service: LiveService | None = None


def get_service() -> LiveService:
    global _service
    if _service is None:
        _service = LiveService(get_live_settings())
    return _service
