"""Shared by the live-lesson browser tests: a teacher page that goes live, student pages that join,
and what each screen shows (step, view, selection)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from browser_harness import DRAW_TIMEOUT_MS, ROOT, GradtracePage, free_port, wait_until_serving
from playwright.sync_api import Browser, expect

VIEWPORT = {"width": 1400, "height": 850}


def open_teacher(browser: Browser, base_url: str, query: str = "") -> GradtracePage:
    """A teacher's page at `query` that pressed Go live; returns the page (its join code in .code)."""
    teacher = GradtracePage(browser.new_context(viewport=VIEWPORT).new_page(), base_url).open(query)
    teacher.page.get_by_test_id("go-live").click()
    expect(teacher.page.get_by_test_id("live-status")).to_have_text("● live")
    teacher.code = teacher.page.get_by_test_id("live-code").text_content()
    return teacher


def join(browser: Browser, base_url: str, code: str) -> GradtracePage:
    """A student's page at /live/CODE, once it shows the teacher's graph."""
    student = GradtracePage(browser.new_context(viewport=VIEWPORT).new_page(), base_url)
    student.page.goto(f"{base_url}/live/{code}")
    expect(student.page.get_by_test_id("live-status")).to_have_attribute("data-status", "live")
    student.page.wait_for_function(  # the teacher's program has run on this page (not just connected)
        "() => !!window.gradtrace.store.get().doc", timeout=DRAW_TIMEOUT_MS
    )
    return student


def screen(app: GradtracePage) -> dict:
    """What a page shows: the step counter, the view, the inspected node's title (or None)."""
    page = app.page
    title = page.locator("#inspector-body h2")
    return {
        "step": page.get_by_test_id("step").text_content(),
        "view": page.locator("#graph").get_attribute("data-view"),
        "selection": title.text_content() if title.count() else None,
    }


def expect_same_screen(student: GradtracePage, teacher: GradtracePage):
    want = screen(teacher)
    expect(student.page.get_by_test_id("step")).to_have_text(want["step"])
    expect(student.page.locator("#graph")).to_have_attribute("data-view", want["view"])
    if want["selection"] is not None:
        expect(student.page.locator("#inspector-body h2")).to_have_text(want["selection"])


def students_connected(teacher: GradtracePage, n: int):
    expect(teacher.page.get_by_test_id("live-count")).to_have_attribute("data-students", str(n))


def close(app: GradtracePage):
    app.page.context.close()


# ---------------------------------------------------------------------------------- several workers
# Two uvicorn processes sharing one Redis stand for `--workers 2` (or two machines behind a load
# balancer): a teacher on one, students on the other.

REDIS_SERVER = "/usr/bin/redis-server"


@contextlib.contextmanager
def redis_server(directory: Path, port: int | None = None):
    """A real redis-server on a free port, persisting every write (so a restart keeps the lessons)."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--dir",
            str(directory),
            "--protected-mode",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("redis-server did not start")
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", port, process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def workers(count: int, env: dict):
    """`count` separate app processes (uvicorn) with `env` added; yields their base URLs."""
    processes, urls = [], []
    try:
        for _ in range(count):
            port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "app.main:app",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env={**os.environ, **env},
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes):
            wait_until_serving(url + "/live", process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
