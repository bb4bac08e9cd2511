"""A live lesson in Chromium: one teacher and three students. Students follow the teacher's step, view
and selection; a late joiner catches up; a student explores and snaps back; a question gathers
answers into the teacher's histogram and the reveal reaches every student; the teacher's reload
keeps the lesson; a student cannot drive; the lesson's summary; wrong codes get a clear page."""

import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from live_harness import close, expect_same_screen, join, open_teacher, screen, students_connected  # noqa: E402

PROGRAM = """import torch
W = torch.tensor(4.0, requires_grad=True)
x = torch.tensor(3.0)
b = torch.tensor(5.0, requires_grad=True)
z = W * x + b
L = z * z
L.backward()
"""
HOSTILE_NAME = '<img src=x onerror="document.title=1">'  # within the 40-character name limit


@pytest.fixture(scope="module")
def classroom(browser, server_url):
    """One lesson for the module (the tests run in order, like a lesson): the teacher and 3 students."""
    teacher = open_teacher(browser, server_url, "?code=" + quote(PROGRAM))
    students = [join(browser, server_url, teacher.code) for _ in range(3)]
    students_connected(teacher, 3)
    yield teacher, students
    for app in (teacher, *students):
        close(app)


def node_id(app, name: str) -> str:
    return app.page.locator(f"g.tensor[data-name='{name}']").get_attribute("data-node-id")


def test_students_follow_the_teachers_step_view_and_selection(classroom):
    teacher, students = classroom
    for student in students:  # the program arrived and ran on each student's page
        assert student.document["code"] == PROGRAM
    teacher.show_view("backward")
    teacher.scrub_to(9)
    teacher.page.locator("g.tensor[data-name='W']").click()
    assert screen(teacher) == {"step": "9", "view": "backward", "selection": "W"}
    for student in students:
        expect_same_screen(student, teacher)
    teacher.press("ArrowLeft")
    teacher.show_view("forward")
    for student in students:
        expect_same_screen(student, teacher)
        assert student.errors == []


def test_a_late_joiner_gets_the_current_state_at_once(classroom, browser, server_url):
    teacher, _ = classroom
    teacher.scrub_to(11)
    late = join(browser, server_url, teacher.code)
    expect_same_screen(late, teacher)
    students_connected(teacher, 4)
    close(late)
    students_connected(teacher, 3)


def test_a_student_explores_freely_and_snaps_back(classroom):
    teacher, (explorer, *others) = classroom
    explorer.press("Home")
    follow = explorer.page.get_by_test_id("live-follow")
    expect(follow).not_to_be_checked()  # stepping alone stops following
    explorer.tensor("b").click()
    teacher.scrub_to(6)
    for student in others:
        expect_same_screen(student, teacher)
    expect(explorer.page.get_by_test_id("step")).to_have_text("0")
    expect(explorer.page.locator("#inspector-body h2")).to_have_text("b")
    follow.check()
    expect_same_screen(explorer, teacher)


def test_a_question_gathers_answers_in_a_histogram_and_the_reveal_reaches_every_student(classroom):
    teacher, students = classroom
    doc = teacher.document
    w = next(n for n in doc["nodes"] if n.get("name") == "W")
    truth = w["grad"]  # the run document's final W.grad (the engine matches PyTorch: tests/engine)
    teacher.press("End")
    teacher.page.locator("g.tensor[data-name='W']").click()
    teacher.page.get_by_test_id("live-ask").click()
    expect(teacher.page.get_by_test_id("live-prompt")).to_have_text("W.grad = ?")
    for student in students:
        expect(student.page.get_by_test_id("live-prompt")).to_have_text("W.grad")
        expect_same_screen(
            student, teacher
        )  # the end of the run, W selected: its grad is on screen but hidden
        row = student.page.locator(f".node[data-node-id='{w['id']}'] text.row3")
        expect(row).not_to_have_text("")
        expect(row).to_be_hidden()
        expect(student.page.locator("#inspector-body [data-field=grad]")).to_be_hidden()
        expect(student.page.locator("#narration")).to_be_hidden()
    expect(teacher.page.locator(f".node[data-node-id='{w['id']}'] text.row3")).to_be_visible()
    first = students[0]
    first.page.get_by_test_id("live-answer").fill("twelve")
    first.page.get_by_test_id("live-send").click()
    expect(first.page.get_by_test_id("live-answer-error")).to_have_text(
        "Type a number, like 12, -0.5 or 3e-2."
    )
    answers = [truth, truth + 1, -truth]  # right, within 5 %, wrong
    names = ["Ada", HOSTILE_NAME, None]
    for student, value, name in zip(students, answers, names):
        if name:
            student.page.get_by_test_id("live-name").fill(name)
        student.page.get_by_test_id("live-answer").fill(str(value))
        student.page.get_by_test_id("live-send").click()
        expect(student.page.get_by_test_id("live-answer-note")).to_contain_text("Sent")
    expect(teacher.page.get_by_test_id("live-answered")).to_have_text("3")
    histogram = teacher.page.get_by_test_id("live-histogram")
    expect(histogram).to_have_attribute("data-answered", "3")
    counts = [
        int(c)
        for c in histogram.locator("rect.bar").evaluate_all(
            "bars => bars.map(b => b.dataset.count)"
        )
    ]
    assert sum(counts) == 3 and max(counts) == 2  # truth and truth + 1 share a bin
    names_line = teacher.page.get_by_test_id("live-names")
    expect(names_line).to_have_text(f"Answered: Ada, {HOSTILE_NAME}")  # as text, never HTML
    assert names_line.locator("img").count() == 0 and teacher.page.title() != "1"
    teacher.page.get_by_test_id("live-reveal").click()
    result = f"W.grad = {truth:g} · 2 of 3 within ±{abs(truth) * 0.05:g} (67%)"
    expect(teacher.page.get_by_test_id("live-result")).to_contain_text(result)
    for student, right in zip(students, [True, True, False]):
        revealed = student.page.get_by_test_id("live-revealed")
        expect(revealed).to_contain_text(result)
        expect(revealed).to_have_attribute("data-right", str(right).lower())
        expect(student.page.locator(f".node[data-node-id='{w['id']}'] text.row3")).to_be_visible()
    expect(histogram.locator("line.truth")).to_have_count(1)


def test_the_teachers_reload_keeps_the_lesson_and_the_answers(classroom):
    teacher, students = classroom
    code = teacher.code
    teacher.page.reload()
    teacher.wait_drawn(1)
    expect(teacher.page.get_by_test_id("live-status")).to_have_text("● live")
    expect(teacher.page.get_by_test_id("live-code")).to_have_text(code)
    expect(teacher.page.get_by_test_id("live-answered")).to_have_text("3")
    expect(teacher.page.get_by_test_id("live-result")).to_contain_text("2 of 3 within")
    students_connected(teacher, 3)
    teacher.scrub_to(3)
    for student in students:
        expect_same_screen(student, teacher)


FORGE = """async ([path, messages]) => {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
  const replies = [];
  let closed = null;
  ws.onmessage = (e) => replies.push(JSON.parse(e.data));
  ws.onclose = (e) => { closed = e.code; };
  await new Promise((done) => { ws.onopen = done; });
  ws.send(JSON.stringify(messages[0]));
  await new Promise((r) => setTimeout(r, 300));
  for (const m of messages.slice(1)) if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  await new Promise((r) => setTimeout(r, 700));
  ws.close();
  return { replies, closed };
}"""


def test_a_student_cannot_drive_the_lesson(classroom):
    teacher, (mallory, *others) = classroom
    before = screen(teacher)
    path = mallory.page.locator("#app").get_attribute("data-live-socket")
    forged = [
        {"type": "state", "state": {"code": "import torch", "view": "backward", "step": 0}},
        {
            "type": "ask",
            "question": {
                "node": "t0",
                "label": "x",
                "field": "data",
                "index": 0,
                "truth": 1,
                "tolerance": 0,
            },
        },
        {"type": "reveal"},
        {"type": "end"},
    ]
    as_student = mallory.page.evaluate(
        FORGE, [path, [{"type": "hello", "role": "student"}, *forged]]
    )
    kinds = [m["kind"] for m in as_student["replies"] if m["type"] == "error"]
    assert kinds == ["not-teacher"] * 4
    as_teacher = mallory.page.evaluate(
        FORGE, [path, [{"type": "hello", "role": "teacher", "token": "guess"}, *forged]]
    )
    assert as_teacher["closed"] == 4403
    assert as_teacher["replies"] == [
        {
            "type": "error",
            "kind": "not-teacher",
            "message": "Only the teacher's browser can drive this lesson.",
        }
    ]
    mallory.page.wait_for_timeout(300)
    assert screen(teacher) == before
    for student in others:
        expect_same_screen(student, teacher)
        expect(student.page.get_by_test_id("live-summary")).to_be_hidden()


def test_ending_the_lesson_shows_each_questions_summary(classroom):
    teacher, students = classroom
    truth = next(n for n in teacher.document["nodes"] if n.get("name") == "W")["grad"]
    teacher.page.get_by_test_id("live-end").click()
    for app in (teacher, *students):
        summary = app.page.get_by_test_id("live-summary")
        expect(summary).to_be_visible()
        expect(summary.locator("tr[data-question=q1] td")).to_have_text(
            ["W.grad", f"{truth:g}", "3", "2"]
        )


@pytest.mark.parametrize(
    "path, status, message",
    [
        (
            "/live/KMQTXA",
            404,
            "There is no live lesson KMQTXA: it has ended or expired, or the code is mistyped.",
        ),
        (
            "/live/hello!",
            404,
            "A join code is six letters, like KMQTXA. Check the teacher's screen.",
        ),
        (
            "/live?code=IO0O1L",
            400,
            "A join code is six letters, like KMQTXA. Check the teacher's screen.",
        ),
    ],
)
def test_a_wrong_code_gets_a_clear_page(page, server_url, path, status, message):
    response = page.goto(server_url + path)
    assert response.status == status
    expect(page.get_by_test_id("live-join-message")).to_have_text(message)
    expect(page.get_by_test_id("live-join-code")).to_be_visible()


def test_the_join_form_takes_a_code_typed_in_lower_case_with_spaces(page, server_url, browser):
    teacher = open_teacher(browser, server_url)
    page.goto(server_url + "/live")
    typed = teacher.code.lower()
    page.get_by_test_id("live-join-code").fill(typed[:3] + " " + typed[3:])
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_test_id("live-status")).to_have_attribute("data-status", "live")
    assert page.url.endswith("/live/" + teacher.code)
    close(teacher)


def test_gradtrace_live_opens_the_page_with_a_lesson_started(browser, server_url):
    page = browser.new_page()
    page.goto(server_url + "/?golive=1")  # what `gradtrace live` opens
    expect(page.get_by_test_id("live-status")).to_have_text("● live")
    code = page.get_by_test_id("live-code").text_content()
    expect(page.get_by_test_id("live-url")).to_have_text(f"{server_url}/live/{code}")
    qr = page.get_by_test_id("live-qr")
    expect(qr).to_have_attribute("src", f"/live/{code}/qr.svg")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 100  # the server's SVG loaded
    page.context.close()
