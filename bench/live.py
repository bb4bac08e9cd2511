"""Live lessons at class size: simulated students (WebSocket clients on 127.0.0.1) follow a teacher.

  teacher step -> every student notified: p50 and p99 of (student received - teacher sent)
  a question: every student answers at once -> all answers on the teacher's histogram feed

One worker (lessons in the process), then Redis mode: a redis-server started here and 2 app
processes sharing it, the teacher on the first, students spread over both.
Baseline (same run, same load): a ping -> pong round trip of one student's socket; ratios against it.
Usage: python bench/live.py [--students 300] [--steps 30] [--questions 3] [--modes memory,redis]
Targets (issue 15): step p50 < 50 ms, p99 < 250 ms; all answers within 1 s; in both modes.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from live_harness import redis_server, workers  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

PROGRAM = "import torch\nx = torch.tensor(3.0, requires_grad=True)\n(x * x).backward()\n"
QUESTION = {"node": "t0", "label": "x", "field": "grad", "index": 0, "truth": 6.0, "tolerance": 0.3}


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def create_lesson(base: str) -> tuple[str, str]:
    """POST /api/live: the join code and the teacher's token (from its httpOnly cookie)."""
    with urllib.request.urlopen(
        urllib.request.Request(base + "/api/live", method="POST")
    ) as response:
        code = json.loads(response.read())["code"]
        cookie = response.headers["set-cookie"].split(";")[0]
    return code, cookie.split("=", 1)[1]


def ws_url(base: str, code: str) -> str:
    return base.replace("http://", "ws://") + f"/api/live/{code}/ws"


class Student:
    def __init__(self, ws):
        self.ws = ws
        self.steps: dict[int, float] = {}  # step -> when it arrived
        self.pongs: asyncio.Queue = asyncio.Queue()
        self.question: asyncio.Queue = asyncio.Queue()
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        async for text in self.ws:
            now = time.perf_counter()
            m = json.loads(text)
            if m["type"] == "state":
                self.steps[m["state"]["step"]] = now
            elif m["type"] == "pong":
                self.pongs.put_nowait(now)
            elif m["type"] == "question":
                self.question.put_nowait(m["question"]["id"])


async def join(url: str) -> Student:
    ws = await connect(url, max_queue=None, ping_interval=None)
    await ws.send(json.dumps({"type": "hello", "role": "student"}))
    welcome = json.loads(await ws.recv())
    assert welcome["type"] == "welcome", welcome
    return Student(ws)


async def lesson(
    teacher_base: str, student_bases: list[str], students: int, steps: int, questions: int
) -> dict:
    code, token = create_lesson(teacher_base)
    teacher = await connect(ws_url(teacher_base, code), max_queue=None, ping_interval=None)
    await teacher.send(json.dumps({"type": "hello", "role": "teacher", "token": token}))
    assert json.loads(await teacher.recv())["type"] == "welcome"
    class_ = []
    for start in range(0, students, 50):  # join in waves, as a class does
        class_ += await asyncio.gather(
            *(
                join(ws_url(student_bases[i % len(student_bases)], code))
                for i in range(start, min(students, start + 50))
            )
        )
    teacher_messages: asyncio.Queue = asyncio.Queue()

    async def read_teacher():
        async for text in teacher:
            teacher_messages.put_nowait((time.perf_counter(), json.loads(text)))

    reader = asyncio.create_task(read_teacher())

    # baseline: one student's ping -> pong round trip, with the whole class connected
    rtts = []
    for i in range(steps):
        probe = class_[i % len(class_)]
        t0 = time.perf_counter()
        await probe.ws.send(json.dumps({"type": "ping"}))
        rtts.append(await probe.pongs.get() - t0)

    latencies = []
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        await teacher.send(
            json.dumps(
                {"type": "state", "state": {"code": PROGRAM, "view": "backward", "step": step}}
            )
        )
        deadline = t0 + 5
        while any(step not in s.steps for s in class_) and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        latencies += [s.steps.get(step, float("inf")) - t0 for s in class_]
        await asyncio.sleep(0.05)

    answer_times = []
    for _ in range(questions):
        await teacher.send(json.dumps({"type": "ask", "question": QUESTION}))
        ids = await asyncio.gather(*(s.question.get() for s in class_))
        while not teacher_messages.empty():
            teacher_messages.get_nowait()
        t0 = time.perf_counter()
        await asyncio.gather(
            *(
                s.ws.send(json.dumps({"type": "answer", "question": ids[0], "value": 6.0 + i % 7}))
                for i, s in enumerate(class_)
            )
        )
        answered = 0
        while answered < len(class_):
            at, m = await asyncio.wait_for(teacher_messages.get(), 10)
            if m["type"] == "answer":
                answered = max(answered, m["answered"])
        answer_times.append(at - t0)
        await teacher.send(json.dumps({"type": "reveal"}))
        await asyncio.sleep(0.2)

    reader.cancel()
    for s in class_:
        s.reader.cancel()
        await s.ws.close()
    await teacher.close()
    return {"rtt": rtts, "step": latencies, "answers": answer_times}


def report(mode: str, result: dict) -> bool:
    ms = lambda seconds: seconds * 1000  # noqa: E731
    base = statistics.median(result["rtt"])
    p50, p99 = percentile(result["step"], 50), percentile(result["step"], 99)
    worst_answers = max(result["answers"])
    ok = p50 < 0.050 and p99 < 0.250 and worst_answers < 1.0
    print(
        f"{mode:>7}: baseline ping rtt p50 {ms(base):6.1f} ms | step -> all notified "
        f"p50 {ms(p50):6.1f} ms ({p50 / base:5.1f}x) p99 {ms(p99):6.1f} ms ({p99 / base:5.1f}x) "
        f"max {ms(max(result['step'])):6.1f} ms | all answers on the teacher's feed "
        f"{', '.join(f'{ms(t):.0f}' for t in result['answers'])} ms | {'PASS' if ok else 'FAIL'}"
    )
    return ok


def run(students: int, steps: int, questions: int, modes: list[str]) -> bool:
    ok = True
    print(f"{students} students, {steps} steps, {questions} questions")
    if "memory" in modes:
        with workers(1, {"GRADTRACE_REDIS_URL": ""}) as (base,):
            ok &= report("memory", asyncio.run(lesson(base, [base], students, steps, questions)))
    if "redis" in modes:
        with (
            tempfile.TemporaryDirectory() as directory,
            redis_server(Path(directory)) as (url, _, _),
        ):
            with workers(2, {"GRADTRACE_REDIS_URL": url}) as bases:
                ok &= report(
                    "redis", asyncio.run(lesson(bases[0], bases, students, steps, questions))
                )
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--modes", default="memory,redis")
    args = parser.parse_args()
    sys.exit(0 if run(args.students, args.steps, args.questions, args.modes.split(",")) else 1)


if __name__ == "__main__":
    main()
