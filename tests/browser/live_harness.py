"""Shared by the live-lesson browser tests: a teacher page that goes live, student pages that join,
and what each screen shows (step, view, selection)."""
from playwright.sync_api import Browser, expect

from browser_harness import GradtracePage

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
    return student


def screen(app: GradtracePage) -> dict:
    """What a page shows: the step counter, the view, the inspected node's title (or None)."""
    page = app.page
    title = page.locator("#inspector-body h2")
    return {"step": page.get_by_test_id("step").text_content(),
            "view": page.locator("#graph").get_attribute("data-view"),
            "selection": title.text_content() if title.count() else None}


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
