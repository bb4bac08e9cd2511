"""tools/screenshot.py, which makes the README's pictures, still runs and writes real PNGs."""

import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_tool_writes_both_pictures(browser_type_launch_args, tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "screenshot.py"), "--out", str(tmp_path)],
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    for name, size in [("screenshot.png", (1600, 1000)), ("classroom.png", (1600, 900))]:
        content = (tmp_path / name).read_bytes()
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", content[16:24]) == size
