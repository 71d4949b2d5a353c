"""`python -m huifang_callback` runs the service; `python -m huifang_callback sample …` the sample CLI."""

from __future__ import annotations

import sys

from huifang_callback.entrypoints.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
