"""The label catalogue's two halves agree: every contracts enum code has a zh-CN label (contracts) and an
English one (web/src/shared/labels.en.json), and neither half names a code the other lacks."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
pytestmark = pytest.mark.unit


def _export_labels():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("export_labels", WEB / "scripts" / "export_labels.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_code_has_a_chinese_and_an_english_label() -> None:
    zh = _export_labels().catalogue()
    en = json.loads((WEB / "src" / "shared" / "labels.en.json").read_text(encoding="utf-8"))
    assert set(en) == set(zh), "enums named in one half only"
    for kind, codes in zh.items():
        assert list(en[kind]) == list(codes), f"{kind}: English codes differ from the contracts'"
        assert all(codes.values()), f"{kind}: a code without its Chinese label"
        assert all(en[kind].values()), f"{kind}: a code without its English label"


def test_the_generated_file_is_what_the_build_bundles(tmp_path: Path) -> None:
    out = tmp_path / "labels.zh-CN.json"
    assert _export_labels().main([str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["Metric"]["complaint_satisfaction"] == "投诉处理满意率"
    assert written["SurveyDimension"]["overall"] == "总体"


def test_departments_are_named_in_both_languages() -> None:
    departments = json.loads((WEB / "src" / "shared" / "departments.json").read_text(encoding="utf-8"))
    assert list(departments["zh-CN"]) == list(departments["en"])
