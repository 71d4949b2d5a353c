"""Golden examples, kept forever: one per TYPE.vN, each valid for its version and readable as the latest."""

from __future__ import annotations

import jsonschema
import pytest
from huifang_contracts.registry import REGISTRY, decode

from tests.contracts.support import EXAMPLES_DIR, SCHEMAS_DIR, example, load_json

pytestmark = pytest.mark.unit

VERSIONS = [cls.schema_name() for cls in REGISTRY.all_versions()]


def test_every_registered_version_has_a_golden_example_and_no_example_is_orphaned() -> None:
    on_disk = sorted(path.stem for path in EXAMPLES_DIR.glob("*.json"))
    assert on_disk == sorted(VERSIONS)


@pytest.mark.parametrize("name", VERSIONS)
def test_golden_example_decodes_to_the_latest_version(name: str) -> None:
    envelope = example(name)
    assert f"{envelope.type}.v{envelope.version}" == name
    event = decode(envelope)
    assert type(event) is REGISTRY.latest(envelope.type)


@pytest.mark.parametrize("name", VERSIONS)
def test_golden_example_matches_the_checked_in_schemas(name: str) -> None:
    document = load_json(EXAMPLES_DIR / f"{name}.json")
    jsonschema.Draft202012Validator(load_json(SCHEMAS_DIR / "envelope.json")).validate(document)
    jsonschema.Draft202012Validator(load_json(SCHEMAS_DIR / f"{name}.json")).validate(document["payload"])
