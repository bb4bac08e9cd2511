"""Keep freed array memory in the process instead of handing it back to the OS at every free.

An autograd graph keeps every intermediate array alive until backward, then frees them all. With
glibc's defaults the freed top of the heap is returned to the OS (trimmed above 128 KB) and the next
graph page-faults all of it in again: for 500 arrays of 16 KB that is most of the time of the ops
themselves. PyTorch's allocator avoids this; for numpy arrays we ask glibc to trim only above
256 MB, and to serve arrays up to 32 MB from the heap rather than fresh mmap pages. Elsewhere
(no glibc) nothing changes.
"""

import ctypes

TRIM_THRESHOLD = 256 << 20
MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # malloc.h


def keep_freed_memory() -> bool:
    """Tune glibc's malloc as above; whether it took."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # not glibc: musl, macOS, Windows
        return False
    return bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)) and bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )
