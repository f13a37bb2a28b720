"""glibc's mmap threshold stays where it is set once a model is loaded (``service/heap.py``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys

import pytest

from service.heap import fix_mmap_threshold

# An 8 MB block after a 20 MB one was freed: without a held threshold, glibc has raised it
# to 20 MB and the block comes from the heap; held at 4 MB, the block is a mapping of its own.
MAPPED_AFTER_A_LARGE_FREE = """
import ctypes, sys
from service.heap import fix_mmap_threshold

class Info(ctypes.Structure):  # glibc's struct mallinfo2
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
if sys.argv[1] == "fixed":
    fix_mmap_threshold()
big = bytearray(20 << 20)
del big
before = libc.mallinfo2().hblks
block = bytearray(8 << 20)
print(libc.mallinfo2().hblks - before)
"""


def _glibc_with_mallinfo2() -> bool:
    name = ctypes.util.find_library("c")
    return bool(name) and hasattr(ctypes.CDLL(name), "mallinfo2")


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="needs glibc 2.33 or later")
def test_blocks_above_the_threshold_stay_mapped_after_a_larger_free():
    def mapped(mode: str) -> int:
        done = subprocess.run([sys.executable, "-c", MAPPED_AFTER_A_LARGE_FREE, mode],
                              capture_output=True, text=True, check=True)
        return int(done.stdout)

    assert mapped("default") == 0  # glibc raised its threshold: the block is on the heap
    assert mapped("fixed") == 1
    assert fix_mmap_threshold()

