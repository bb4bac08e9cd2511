"""Live lessons across workers: a real redis-server started here, two app processes sharing it (as
`--workers 2` or two machines behind a load balancer would), the teacher on one and the students on
the other; then Redis goes away (a clear message, the pages retry) and comes back (they resume)."""

import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from live_harness import (  # noqa: E402
    REDIS_SERVER,
    close,
    expect_same_screen,
    join,
    open_teacher,
    redis_server,
    students_connected,
    workers,
)

PROGRAM = """import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = (w * x).sum()
y.backward()
"""


@pytest.fixture(scope="module")
def redis(tmp_path_factory, browser_type_launch_args):
    if not Path(REDIS_SERVER).exists():
        message = f"{REDIS_SERVER} not found: apt-get install -y redis-server"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("redis")
    with redis_server(directory) as (url, port, process):
        yield {"url": url, "port": port, "dir": directory, "process": process}


@pytest.fixture(scope="module")
def two_workers(redis):
    with workers(2, {"GRADTRACE_REDIS_URL": redis["url"]}) as urls:
        yield urls


def test_a_teacher_on_one_worker_drives_students_on_the_other(browser, two_workers, redis):
    first, second = two_workers
    teacher = open_teacher(browser, first, "?code=" + quote(PROGRAM))
    students = [join(browser, second, teacher.code) for _ in range(2)]
    students_connected(teacher, 2)
    teacher.show_view("backward")
    teacher.scrub_to(5)
    teacher.page.locator("g.tensor[data-name='w']").click()
    for student in students:
        assert student.document["code"] == PROGRAM
        expect_same_screen(student, teacher)

    teacher.page.get_by_test_id("live-field").select_option("grad")
    teacher.page.get_by_test_id("live-index").fill("2")
    teacher.page.get_by_test_id("live-ask").click()
    for student, value in zip(students, ["3", "-3"]):  # w.grad = x: element 2 is 3
        expect(student.page.get_by_test_id("live-prompt")).to_have_text("w.grad[2]")
        student.page.get_by_test_id("live-answer").fill(value)
        student.page.get_by_test_id("live-send").click()
    expect(teacher.page.get_by_test_id("live-histogram")).to_have_attribute("data-answered", "2")
    teacher.page.get_by_test_id("live-reveal").click()
    for student in students:
        expect(student.page.get_by_test_id("live-revealed")).to_contain_text(
            "w.grad[2] = 3 · 1 of 2 within ±0.15 (50%)"
        )

    # Redis goes away: a clear message on every page, and the pages keep retrying
    redis["process"].terminate()
    redis["process"].wait(timeout=10)
    expect(students[0].page.get_by_test_id("live-message")).to_contain_text("Redis", timeout=20_000)
    expect(students[0].page.get_by_test_id("live-status")).not_to_have_attribute(
        "data-status", "live"
    )
    expect(teacher.page.get_by_test_id("live-error")).to_contain_text("Redis")
    response = teacher.page.request.get(f"{second}/live/{teacher.code}")
    assert response.status == 503 and "cannot reach its lesson store" in response.text()

    # ... and comes back (with its data): the pages reconnect by themselves and follow again
    with redis_server(redis["dir"], redis["port"]):
        for app in (teacher, *students):
            expect(app.page.get_by_test_id("live-status")).to_have_attribute(
                "data-status", "live", timeout=30_000
            )
        teacher.scrub_to(2)
        for student in students:
            expect_same_screen(student, teacher)
            expect(student.page.get_by_test_id("live-message")).to_have_text("")
        students_connected(teacher, 2)
        for app in (teacher, *students):
            close(app)
