"""Whether `python -m <module>` can run at all, asked before starting it.

A service still being written may have no `__main__` yet; the supervisor says so and starts the others
instead of launching a process that dies at once with a traceback nobody asked for.
"""

from __future__ import annotations

import importlib.util


def why_not_runnable(module: str) -> str | None:
    """None when `python -m module` has something to run; else the reason, for the user."""
    try:
        spec = importlib.util.find_spec(module)
    except Exception as exc:  # a package whose __init__ fails to import: report it, never crash
        return f"{module} cannot be imported: {type(exc).__name__}: {exc}"
    if spec is None:
        return f"{module} is not installed (run `make install`)"
    if spec.submodule_search_locations is None:
        return None  # a plain module runs as it is
    try:
        main = importlib.util.find_spec(f"{module}.__main__")
    except Exception as exc:
        return f"{module}.__main__ cannot be imported: {type(exc).__name__}: {exc}"
    if main is None:
        return f"{module} has no __main__ yet, so `python -m {module}` has nothing to run"
    return None
