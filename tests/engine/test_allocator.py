"""engine/allocator.py: freed array memory stays in the process for the next graph (glibc)."""

import platform

import numpy as np
import pytest

from engine import allocator

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@pytest.mark.skipif(
    not GLIBC, reason="malloc tuning applies to glibc only; elsewhere it is a no-op"
)
def test_freed_arrays_of_a_graph_stay_resident_for_the_next_one():
    assert allocator.keep_freed_memory()
    arrays = [
        np.ones(4096, dtype=np.float32) for _ in range(2000)
    ]  # 2,000 × 16 KB, as a graph's intermediates
    resident = _resident_bytes()
    del arrays
    kept = _resident_bytes()
    # glibc's default would give most of these 32 MB back to the OS (trim above 128 KB) at once
    assert resident - kept < 4 << 20


def test_without_glibc_it_reports_that_nothing_changed(monkeypatch):
    class NoMallopt:
        def __init__(self, name):
            pass

    monkeypatch.setattr(allocator.ctypes, "CDLL", NoMallopt)
    assert allocator.keep_freed_memory() is False
