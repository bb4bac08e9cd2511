"""Make the README's screenshots: the real app in Debian's Chromium, a graph mid-way through backward.

    python tools/screenshot.py            # writes docs/screenshot.png and docs/classroom.png

Starts the app on a free port (tests/browser/browser_harness.py), opens a one-neuron program, steps to a
Function node of the backward pass, selects a tensor so the inspector shows its chain rule, and
takes the picture; then the same moment in classroom mode (dark theme).
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_harness import CHROMIUM, CHROMIUM_ARGS, GradtracePage, app_server  # noqa: E402

SEED = ROOT / "examples" / "seeds" / "02_neuron_sigmoid_loss.py"
FUNCTION = "SigmoidBackward0"  # the backward step to show: its callout explains the chain rule
SELECTED = "z"


def program() -> str:
    """Seed example 02 up to its backward pass (the graph is then all about backward), short title."""
    lines = SEED.read_text().splitlines()
    body = lines[1 : lines.index("print(W.grad, b.grad)") + 1]
    return "\n".join(["# A neuron: sigmoid, then squared error.", *body]) + "\n"


def backward_step(doc: dict, name: str) -> int:
    """The step right after the Function node `name` fires."""
    return next(
        i for i, e in enumerate(doc["timeline"], 1) if e["type"] == "function" and e["name"] == name
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    with app_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, color_scheme="light")
        app = GradtracePage(page, url).open("?code=" + quote(program()))
        app.scrub_to(backward_step(app.document, FUNCTION))
        app.select(SELECTED)
        page.wait_for_timeout(400)  # KaTeX and the fit settle
        page.screenshot(path=str(args.out / "screenshot.png"))

        page.set_viewport_size({"width": 1600, "height": 900})  # a 16:9 projector
        app.page.locator("[data-action=present]").click()
        page.wait_for_selector("#graph[data-rankdir='LR'][data-state='drawn']")
        page.locator("#theme").click()
        page.wait_for_timeout(400)
        page.screenshot(path=str(args.out / "classroom.png"))
        browser.close()
        if app.errors:
            sys.exit("page errors: " + "; ".join(app.errors))
    print(f"wrote {args.out / 'screenshot.png'} and {args.out / 'classroom.png'}")


if __name__ == "__main__":
    main()
