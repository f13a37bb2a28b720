"""The heap of a process that holds a loaded model: half a million long-lived Python
objects, and large arrays freed while the bundle is read.

``fix_mmap_threshold``: glibc serves a request above its mmap threshold (128 KB at
first) with a mapping of its own, returned to the system when freed, and raises the
threshold to the size of each such block freed, up to 32 MB. Reading a bundle frees
arrays of tens of MB, so afterwards every array below that size came from the main heap,
whose freed holes stay resident: on the 20,000-comment workload `analyze` peaked 38 MB
higher for it. Setting the threshold explicitly stops the adjustment. At 4 MB the peak
is as low as at 128 KB (483 against 482 MB), while the arrays of each thread's analysis
stay on the heap instead of costing a mapping and its page faults each time (185,000
minor faults on the workload at 4 MB, 223,000 at 128 KB, 147,000 with the threshold
free). Where the C library has no ``mallopt`` (not glibc), nothing is done.

``settle``: once the engine is loaded, its objects are frozen out of the garbage
collector's full collections, which would otherwise walk all of them, a quarter of a
second each time, in the middle of whichever request happened to trigger one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h
MMAP_THRESHOLD = 4 << 20  # above a thread's arrays, below what a bundle frees


def fix_mmap_threshold() -> bool:
    """Hold glibc's mmap threshold at ``MMAP_THRESHOLD``; False where it cannot be set."""
    name = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None) if name else None
    return bool(mallopt and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def settle() -> None:
    """Freeze what is alive now, after a collection; what was frozen before (a previous
    engine) is thawed first so that, once unused, it can be collected like anything else.

    Freezing frees nothing and keeps nothing alive: reference counting still frees what is
    no longer used; only the cyclic collector's scans skip frozen objects, so a cycle
    among them waits for the next thaw (the Python docs' advice for long-lived objects;
    the batch runner freezes before it forks for the same reason)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
