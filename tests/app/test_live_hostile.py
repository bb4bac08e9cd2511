"""Hostile clients of a live lesson: oversized and malformed messages, floods of answers, forged teacher
messages, guessed tokens, a full lesson, an expired code. Each is refused with its own message, and
nothing one student sends changes another's answer or the lesson."""

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us

from live_client import closed_with, live_app, new_lesson, receive_until, socket  # noqa: E402

QUESTION = {
    "node": "t1",
    "label": "W",
    "field": "grad",
    "index": 0,
    "truth": 102.0,
    "tolerance": 5.0,
}


@pytest.fixture
def client(monkeypatch):
    with live_app(
        monkeypatch,
        live_student_message_bytes=1024,
        live_answer_burst=3,
        live_answers_per_second=1.0,
        live_max_participants=3,
    ) as client:
        yield client


def test_an_oversized_message_is_refused_and_the_socket_closed(client):
    code = new_lesson(client)
    with socket(client, code) as student:
        student.send_text(json.dumps({"type": "ping", "pad": "x" * 2000}))
        assert student.receive_json() == {
            "type": "error",
            "kind": "too-large",
            "message": "Message too large: the limit is 1,024 bytes.",
        }
        assert closed_with(student) == 1009


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "{not json",
            "Ignored a malformed message: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[1, 2]", "Ignored a malformed message: a message is a JSON object"),
        (
            '{"type": "shout"}',
            "Ignored a malformed message: Input tag 'shout' found using 'type' does not match any "
            "of the expected tags: 'answer', 'ping'",
        ),
        (
            '{"type": "answer", "question": "q1", "value": "3"}',
            "Ignored a malformed message: answer.value: Value error, the answer must be a JSON number",
        ),
        (
            '{"type": "answer", "question": "q1", "value": true}',
            "Ignored a malformed message: answer.value: Value error, the answer must be a JSON number",
        ),
        (
            '{"type": "answer", "question": "q1", "value": NaN}',
            "Ignored a malformed message: answer.value: Value error, the answer must be a finite "
            "number below 1e15 in size",
        ),
        (
            '{"type": "answer", "question": "q1", "value": 1e300}',
            "Ignored a malformed message: answer.value: Value error, the answer must be a finite "
            "number below 1e15 in size",
        ),
        (
            '{"type": "ping", "extra": 1}',
            "Ignored a malformed message: ping.extra: Extra inputs are not permitted",
        ),
    ],
)
def test_a_malformed_message_gets_an_error_and_the_socket_stays_open(client, text, message):
    code = new_lesson(client)
    with socket(client, code) as student:
        student.send_text(text)
        assert student.receive_json() == {"type": "error", "kind": "malformed", "message": message}
        student.send_json({"type": "ping"})
        assert student.receive_json() == {"type": "pong"}


def test_binary_frames_are_refused_as_malformed(client):
    code = new_lesson(client)
    with socket(client, code) as student:
        student.send_bytes(b"\x00\x01")
        assert (
            student.receive_json()["message"]
            == "Ignored a malformed message: messages are JSON text, not binary"
        )


def test_a_stream_of_malformed_messages_closes_the_socket(client):
    code = new_lesson(client)
    with socket(client, code) as student:
        for _ in range(21):
            student.send_text("nope")
        assert closed_with(student) == 1008


@pytest.mark.parametrize(
    "first", ['{"type": "ping"}', "garbage", '{"type": "hello", "role": "admin"}']
)
def test_the_first_message_must_be_a_hello(client, first):
    code = new_lesson(client)
    with client.websocket_connect(f"/api/live/{code}/ws") as ws:
        ws.send_text(first)
        assert ws.receive_json()["kind"] == "bad-hello"
        assert closed_with(ws) == 1008


def test_a_silent_socket_is_closed_after_the_hello_time(monkeypatch):
    with live_app(monkeypatch, live_hello_seconds=0.2) as client:
        code = new_lesson(client)
        with client.websocket_connect(f"/api/live/{code}/ws") as ws:
            assert ws.receive_json() == {
                "type": "error",
                "kind": "no-hello",
                "message": "No hello within 0.2 s.",
            }
            assert closed_with(ws) == 1008


def test_forged_teacher_messages_from_a_student_change_nothing(client):
    code = new_lesson(client)
    with socket(client, code, "teacher") as teacher:
        teacher.send_json(
            {"type": "state", "state": {"code": "import torch", "view": "backward", "step": 4}}
        )
        with socket(client, code) as student:
            forged = [
                {"type": "state", "state": {"code": "evil", "step": 0}},
                {"type": "ask", "question": QUESTION},
                {"type": "reveal"},
                {"type": "end"},
            ]
            for message in forged:
                student.send_json(message)
                assert student.receive_json() == {
                    "type": "error",
                    "kind": "not-teacher",
                    "message": "Only the teacher's browser can drive this lesson.",
                }
        with socket(client, code) as late:
            assert late.welcome["state"] == {
                "code": "import torch",
                "view": "backward",
                "step": 4,
                "iteration": None,
                "selection": None,
            }
            assert late.welcome["question"] is None and late.welcome["ended"] is False


@pytest.mark.parametrize("hello", [{}, {"token": "guessed-token"}, {"token": ""}])
def test_a_teacher_hello_without_the_token_is_refused(client, hello):
    code = new_lesson(client)
    client.cookies.clear()  # the cookie POST /api/live set is the teacher's
    with client.websocket_connect(f"/api/live/{code}/ws") as ws:
        ws.send_json({"type": "hello", "role": "teacher", **hello})
        assert ws.receive_json() == {
            "type": "error",
            "kind": "not-teacher",
            "message": "Only the teacher's browser can drive this lesson.",
        }
        assert closed_with(ws) == 4403


def test_a_flood_of_answers_is_rate_limited_and_never_touches_another_students_answer(client):
    code = new_lesson(client)
    with (
        socket(client, code, "teacher") as teacher,
        socket(client, code) as calm,
        socket(client, code) as flooder,
    ):
        teacher.send_json({"type": "ask", "question": QUESTION})
        question = receive_until(teacher, "question")["question"]["id"]
        calm.send_json({"type": "answer", "question": question, "value": 100.0, "name": "calm"})
        assert receive_until(calm, "answered")["value"] == 100.0
        for i in range(40):
            flooder.send_json({"type": "answer", "question": question, "value": float(i)})
        replies = []
        while len(replies) < 40:  # the question itself arrives first
            reply = flooder.receive_json()
            if reply["type"] in ("answered", "error"):
                replies.append(reply)
        accepted = [r for r in replies if r["type"] == "answered"]
        limited = [r for r in replies if r.get("kind") == "answer-rate"]
        assert (
            len(accepted) in (3, 4) and len(accepted) + len(limited) == 40
        )  # the burst (plus a refill)
        assert limited[0]["message"] == "Too many answers: at most 1 a second."
        counts = [receive_until(teacher, "answer")["answered"] for _ in range(1 + len(accepted))]
        assert counts[-1] == 2  # one answer per student, however many were sent
        teacher.send_json({"type": "reveal"})
        reveal = receive_until(calm, "reveal")
        assert sorted(reveal["values"]) == sorted([100.0, accepted[-1]["value"]])
        assert reveal["stats"]["answered"] == 2 and reveal["stats"]["within"] == 1


def test_answers_to_a_closed_or_unknown_question_are_refused(client):
    code = new_lesson(client)
    with socket(client, code, "teacher") as teacher, socket(client, code) as student:
        student.send_json({"type": "answer", "question": "q1", "value": 1})
        assert receive_until(student, "error")["kind"] == "question-closed"
        teacher.send_json({"type": "ask", "question": QUESTION})
        receive_until(student, "question")
        teacher.send_json({"type": "reveal"})
        receive_until(student, "reveal")
        student.send_json({"type": "answer", "question": "q1", "value": 1})
        assert receive_until(student, "error") == {
            "type": "error",
            "kind": "question-closed",
            "message": "That question is no longer open.",
        }


def test_display_names_lose_control_and_direction_characters(client):
    code = new_lesson(client)
    with socket(client, code, "teacher") as teacher, socket(client, code) as student:
        teacher.send_json({"type": "ask", "question": QUESTION})
        receive_until(student, "question")
        student.send_json(
            {
                "type": "answer",
                "question": "q1",
                "value": 1,
                "name": "  <b>Ada</b>\u202e\x00\n  Lovelace " + "x" * 100,
            }
        )
        answer = receive_until(teacher, "answer")
        assert (
            answer["name"] == ("<b>Ada</b> Lovelace " + "x" * 100)[:40]
        )  # pages insert it as text
        assert set(answer) == {
            "type",
            "question",
            "who",
            "value",
            "name",
            "answered",
        }  # no participant secret


def test_a_full_lesson_refuses_one_more_student(client):
    code = new_lesson(client)
    with socket(client, code), socket(client, code), socket(client, code):
        with client.websocket_connect(f"/api/live/{code}/ws") as ws:
            ws.send_json({"type": "hello", "role": "student"})
            assert ws.receive_json() == {
                "type": "error",
                "kind": "full",
                "message": "This lesson is full (3 students).",
            }
            assert closed_with(ws) == 4429


def test_a_resuming_student_keeps_their_answer_and_cannot_take_a_made_up_identity(client):
    code = new_lesson(client)
    with socket(client, code, "teacher") as teacher:
        teacher.send_json({"type": "ask", "question": QUESTION})
        receive_until(teacher, "question")
        with socket(client, code) as student:
            assert (
                student.welcome["question"]["id"] == "q1"
            )  # a late joiner gets the open question at once
            assert "truth" not in student.welcome["question"]
            student.send_json({"type": "answer", "question": "q1", "value": 7})
            receive_until(student, "answered")
            participant = student.welcome["participant"]
        with socket(client, code, participant=participant) as again:
            assert again.welcome["participant"] == participant and again.welcome["my_answer"] == 7
        with socket(client, code, participant="not a valid id!") as other:
            assert (
                other.welcome["participant"] != "not a valid id!"
                and other.welcome["my_answer"] is None
            )


def test_an_expired_code_gets_the_clear_page_and_socket_error(monkeypatch):
    with live_app(monkeypatch, live_idle_seconds=1) as client:
        code = new_lesson(client)
        assert client.get(f"/live/{code}").status_code == 200
        time.sleep(1.2)
        page = client.get(f"/live/{code}")
        assert (
            page.status_code == 404
            and f"There is no live lesson {code}: it has ended or expired" in page.text
        )
        assert client.get(f"/live/{code}/qr.svg").status_code == 404
        with client.websocket_connect(f"/api/live/{code}/ws") as ws:
            ws.send_json({"type": "hello", "role": "student"})
            assert (
                ws.receive_json()["message"]
                == f"No live lesson with code {code}: it has ended or expired."
            )
            assert closed_with(ws) == 4404


def test_a_full_server_refuses_a_new_lesson_with_503(monkeypatch):
    with live_app(monkeypatch, live_max_lessons=1) as client:
        new_lesson(client)
        response = client.post("/api/live")
        assert response.status_code == 503
        assert response.json() == {
            "detail": "live lessons are unavailable: this server already holds 1 live lessons"
        }
