"""Building the records and check rows of 50,000 people creates a few hundred thousand objects; Python's
cyclic garbage collector would walk every live object again and again meanwhile (a third of the time).
None of these objects form cycles, so the collector waits until the batch is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
