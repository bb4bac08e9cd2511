"""Driving the gradtrace page from tests: open it, run a program, step, inspect."""
from playwright.sync_api import Page, expect

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
        run = run if run is not None else self.page.evaluate("window.gradtrace ? window.gradtrace.runs : 1")
        self.page.wait_for_selector(f"#graph[data-run='{run}'][data-state='drawn']", timeout=DRAW_TIMEOUT_MS)

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

    def field(self, name: str) -> str:
        return self.page.locator(f"[data-field='{name}']").text_content()

    def show_view(self, view: str):
        self.page.get_by_test_id(f"view-{view}").click()
        self.page.wait_for_selector(f"#graph[data-view='{view}']")
