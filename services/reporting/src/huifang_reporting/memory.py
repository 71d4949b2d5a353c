"""Keeping the garbage collector's full passes short in the service process.

A group overview builds some twenty thousand small dicts for a thousand estates. They outlive the
young generations while the answer is built and encoded, so every few requests Python runs a full
collection, which walks every object the process holds — the modules, the app, the settings,
some ninety thousand objects that live as long as the process. Measured on the overview, those
passes alone made its p95 four times its median (about 80 ms of CPU against 20 ms). Freezing what
exists once the app is built takes those objects out of every later pass (`gc.freeze`): the p95 came
back to 22 ms of CPU.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect once, then exempt every object alive now from later collections (process start only)."""
    gc.collect()
    gc.freeze()
