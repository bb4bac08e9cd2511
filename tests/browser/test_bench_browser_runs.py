"""bench/browser.py still runs: one tiny size, one round, against the session's server."""

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "browser.py"


def test_bench_prints_a_timing_row(server_url):
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "50", "--rounds", "1", "--base-url", server_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\s*\d+\s+\d+\s+\d+ ms", result.stdout, re.MULTILINE), result.stdout
