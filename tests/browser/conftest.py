"""Browser tests: the real app under uvicorn, driven by Playwright with Debian's Chromium."""

import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import CHROMIUM, CHROMIUM_ARGS, app_server  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# The machine may be busy (2 cores shared with other test suites): give layouts room.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a Playwright-downloaded browser."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def server_url(browser_type_launch_args):
    """The real app for the whole session (after the Chromium check, so a missing browser skips first)."""
    with app_server() as url:
        yield url


@pytest.fixture
def artifacts() -> Path:
    """Screenshots land in tests/browser/artifacts/ (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
