"""Pause Python's cyclic garbage collector while building large structures."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """With hundreds of thousands of rows alive, each full collection re-traverses millions
    of objects (measured: it halves the merge time and speeds up reading a big master).
    Reference counting still frees everything; the caller's gc state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
