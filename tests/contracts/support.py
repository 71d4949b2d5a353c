"""Where the checked-in contract files live, and the golden examples as ready-made valid payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from huifang_contracts.envelope import Envelope
from huifang_contracts.schemagen import CONTRACTS_DIR

SCHEMAS_DIR = CONTRACTS_DIR / "schemas"
EXAMPLES_DIR = CONTRACTS_DIR / "examples"


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def example(schema_name: str) -> Envelope:
    """The golden envelope `examples/<TYPE>.v<N>.json`."""
    return Envelope.from_bytes((EXAMPLES_DIR / f"{schema_name}.json").read_bytes())


def example_payload(schema_name: str, **changes: Any) -> dict[str, Any]:
    """A valid payload (from the golden example), with some fields changed."""
    return {**example(schema_name).payload, **changes}
