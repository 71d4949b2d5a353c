"""Write the Chinese labels of every contracts enum as JSON for the web build (the label catalogue's zh-CN half).

The contracts' `LabelledEnum`s are the one source of each code's Chinese label; the screens read this
file, bundled at build time, and add their English labels from `src/shared/labels.en.json` (a test keeps
the two halves key for key). Run by `make install` before `npm run build`:

    uv run python web/scripts/export_labels.py [OUT]     # default .cache/web/generated/labels.zh-CN.json
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

from huifang_contracts import enums
from huifang_contracts.labels import LabelledEnum

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / ".cache" / "web" / "generated" / "labels.zh-CN.json"


def catalogue() -> dict[str, dict[str, str]]:
    """Enum name → code → Chinese label, in declaration order."""
    return {
        name: kind.labels_zh()
        for name, kind in vars(enums).items()
        if inspect.isclass(kind) and issubclass(kind, LabelledEnum) and kind is not LabelledEnum
    }


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(catalogue(), ensure_ascii=False, indent=1) + "\n"
    if not out.is_file() or out.read_text(encoding="utf-8") != text:  # unchanged: no rebuild triggered
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
