"""Handing freed memory back to the system, for processes that free a lot at once."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def give_back_free_memory(collect: bool = False) -> None:
    """Return the allocator's free memory to the system (glibc keeps it for later allocations
    otherwise, and the process stays as large as it ever was). With `collect`, first free
    what only reference cycles keep (an rdflib graph is one: it and its namespace manager)."""
    if collect:
        gc.collect()
    trim = getattr(_LIBC, "malloc_trim", None)  # glibc's; other C libraries give memory back themselves
    if trim is not None:
        trim(0)
