"""The parts of live lessons: join codes and tokens, a reveal's numbers and the summary, the in-process
store's expiry, and the hub: a stalled client never holds up the others."""

import asyncio
import math
import statistics

import pytest

from app.live import codes, questions
from app.live import store as live_store
from app.live.hub import SLOW_CLIENT, Client, Hub
from app.live.store import MemoryStore

LOOK_ALIKES = set("IL1O0B8S5Z2")


def test_join_codes_are_six_letters_without_look_alikes():
    made = {codes.new_code() for _ in range(2000)}
    assert all(
        len(c) == 6 and c.isalpha() and c.isupper() and not LOOK_ALIKES & set(c) for c in made
    )
    assert len(made) > 1990  # 20**6 codes: collisions are rare (and create() retries them)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("KMQTXA", "KMQTXA"),
        ("kmq txa", "KMQTXA"),
        (" kmq-txa ", "KMQTXA"),
        ("KMQTX", None),
        ("KMQTXAA", None),
        ("KMQTXO", None),
        ("KMQ1XA", None),
        ("ＫＭＱＴＸＡ", None),
        ("", None),
    ],
)
def test_a_typed_code_is_normalized_or_refused(typed, code):
    assert codes.normalize(typed) == code


def test_teacher_tokens_are_checked_against_their_digest_only():
    token = codes.new_token()
    stored = codes.digest(token)
    assert token not in stored and codes.token_matches(token, stored)
    assert not codes.token_matches(token + "x", stored) and not codes.token_matches(None, stored)
    assert not codes.token_matches("", stored)


def test_a_students_alias_does_not_give_away_their_participant_id():
    participant = codes.new_participant()
    assert codes.valid_participant(participant) and participant not in codes.alias(participant)
    assert (
        codes.alias(participant) == codes.alias(participant) != codes.alias(codes.new_participant())
    )


QUESTION = {
    "id": "q1",
    "node": "t1",
    "label": "W",
    "field": "grad",
    "index": 0,
    "truth": 10.0,
    "tolerance": 1.0,
    "revealed": False,
}


@pytest.mark.parametrize(
    "values", [[10.0], [9.0, 11.0, 12.0, -10.0], [10.5] * 7 + [100.0], [1e14, -1e14]]
)
def test_a_reveal_gives_the_spread_and_the_fraction_within_tolerance(values):
    stats = questions.reveal_stats(values, QUESTION)
    inside = [v for v in values if abs(v - 10.0) <= 1.0]
    assert stats["answered"] == len(values) and stats["within"] == len(inside)
    assert stats["fraction_within"] == len(inside) / len(values)
    assert (stats["min"], stats["max"]) == (min(values), max(values))
    assert stats["median"] == statistics.median(values)
    assert math.isclose(stats["mean"], statistics.fmean(values))
    assert math.isclose(stats["stdev"], statistics.pstdev(values))


def test_nobody_answering_is_a_reveal_too():
    assert questions.reveal_stats([], QUESTION)["answered"] == 0


def test_students_see_a_question_without_its_true_value():
    assert "truth" not in questions.public(QUESTION) and "tolerance" not in questions.public(
        QUESTION
    )


def test_the_summary_counts_answered_and_right_per_question():
    revealed = {
        **QUESTION,
        "revealed": True,
        "stats": questions.reveal_stats([10.0, 10.9, 3.0], QUESTION),
    }
    open_one = {**QUESTION, "id": "q2", "label": "b", "field": "data", "index": 2}
    assert questions.summary([revealed, open_one]) == [
        {
            "id": "q1",
            "prompt": "W.grad",
            "truth": 10.0,
            "revealed": True,
            "answered": 3,
            "right": 2,
        },
        {
            "id": "q2",
            "prompt": "b.data[2]",
            "truth": None,
            "revealed": False,
            "answered": 0,
            "right": None,
        },
    ]


def test_the_in_process_store_forgets_a_lesson_after_its_idle_time(monkeypatch):
    clock = [1000.0]  # the store's monotonic clock, moved by hand (no sleeping on a busy machine)
    monkeypatch.setattr(live_store.time, "monotonic", lambda: clock[0])

    async def scenario():
        store = MemoryStore(idle=200, max_lessons=10)
        assert await store.create("KMQTXA", {"token_digest": "d"})
        assert not await store.create("KMQTXA", {"token_digest": "other"})  # codes are unique
        clock[0] += 120
        await store.update("KMQTXA", state={"step": 1})  # the teacher's activity keeps it
        clock[0] += 120
        assert (await store.lesson("KMQTXA"))["state"] == {"step": 1}
        clock[0] += 201
        return await store.lesson("KMQTXA")

    assert asyncio.run(scenario()) is None


class FakeSocket:
    """Records what was sent; a stalled one never finishes a send (a phone that stopped reading)."""

    def __init__(self, stalled=False):
        self.stalled, self.sent, self.closed = stalled, [], None

    async def send_text(self, text):
        if self.stalled:
            await asyncio.Event().wait()
        self.sent.append(text)

    async def close(self, code, reason=""):
        self.closed = code


def test_a_stalled_client_never_holds_up_the_others_and_is_dropped():
    async def scenario():
        hub = Hub()
        stalled, healthy = FakeSocket(stalled=True), [FakeSocket() for _ in range(50)]
        clients = [Client(ws, "student", None, queue_size=8) for ws in (stalled, *healthy)]
        for c in clients:
            hub.add("KMQTXA", c)
        for i in range(20):
            hub.deliver("KMQTXA", "student", f"step {i}")
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)  # the stalled socket's close is sent by its own task
        for c in clients:
            await c.stop()
        return stalled, healthy, clients[0]

    stalled, healthy, stalled_client = asyncio.run(scenario())
    assert all(ws.sent == [f"step {i}" for i in range(20)] for ws in healthy)
    assert stalled_client.closed and stalled.sent == [] and stalled.closed == SLOW_CLIENT


def test_the_hub_sends_each_audience_only_its_messages():
    async def scenario():
        hub = Hub()
        teacher, student = FakeSocket(), FakeSocket()
        clients = [Client(teacher, "teacher", None, 8), Client(student, "student", "p", 8)]
        for c in clients:
            hub.add("KMQTXA", c)
        for audience in ("teacher", "student", "all"):
            hub.deliver("KMQTXA", audience, audience)
        hub.deliver("OTHERS", "all", "another lesson")
        await asyncio.sleep(0.01)
        for c in clients:
            await c.stop()
        return teacher.sent, student.sent

    assert asyncio.run(scenario()) == (["teacher", "all"], ["student", "all"])
