"""Shared by tests/browser and bench/browser.py: Chromium settings, the app server, and a page driver."""

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Poll `url` until it answers; fail if `process` exits or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not start") from None
            time.sleep(0.1)


@contextlib.contextmanager
def app_server():
    """The real app (uvicorn app.main:app) on a free 127.0.0.1 port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
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
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


DRAW_TIMEOUT_MS = 20_000


class GradtracePage:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str = "") -> "GradtracePage":
        self.page.goto(self.base_url + "/" + query)
        self.wait_drawn()
        return self

    def wait_drawn(self, run: int | None = None):
        run = (
            run
            if run is not None
            else self.page.evaluate("window.gradtrace ? window.gradtrace.runs : 1")
        )
        self.page.wait_for_selector(
            f"#graph[data-run='{run}'][data-state='drawn']", timeout=DRAW_TIMEOUT_MS
        )

    def run(self, code: str):
        """Put `code` in the editor, press Run, wait until its graph is drawn."""
        self.page.evaluate("code => { window.gradtrace.editor.code = code; }", code)
        self.page.get_by_test_id("run").click()
        self.wait_drawn(self.page.evaluate("window.gradtrace.runs"))

    @property
    def document(self) -> dict:
        return self.page.evaluate("window.gradtrace.store.get().doc")

    def step(self) -> int:
        return int(self.page.get_by_test_id("step").text_content())

    def steps(self) -> int:
        return int(self.page.get_by_test_id("steps").text_content())

    def press(self, key: str):
        """A timeline key with the focus outside the editor."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        self.page.keyboard.press(key)

    def scrub_to(self, step: int):
        self.page.get_by_test_id("scrub").fill(str(step))
        expect(self.page.get_by_test_id("step")).to_have_text(str(step))

    def tensor(self, name: str):
        return self.page.locator(f"g.tensor[data-name='{name}']")

    def select(self, name: str):
        self.tensor(name).click()
        expect(self.page.locator("#inspector-body h2")).to_have_text(name)

    def variable(self, name: str):
        """The tensor bound to `name` at the end of the program (an earlier one may also be called name)."""
        return self.page.locator(f"g.tensor[data-node-id='{self.document['variables'][name]}']")

    def select_variable(self, name: str):
        self.variable(name).click()
        expect(self.page.locator("#inspector-body h2")).to_have_text(
            re.compile(f"^{re.escape(name)}′*$")
        )

    def field(self, name: str) -> str:
        return self.page.locator(f"[data-field='{name}']").text_content()

    def show_view(self, view: str):
        self.page.get_by_test_id(f"view-{view}").click()
        self.page.wait_for_selector(f"#graph[data-view='{view}']")
