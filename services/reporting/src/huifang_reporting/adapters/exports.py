"""A summary table to XLSX (openpyxl) and CSV, with Chinese headers (English beneath in XLSX).

Comments and names are people's text: cells that would start a formula are neutralised
(`huifang_infra.spreadsheet_safety`), so opening an export never runs what a resident typed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from huifang_infra.spreadsheet_safety import csv_cell, store_as_text
from openpyxl import Workbook
from openpyxl.styles import Font


def to_csv(summary: dict[str, Any]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = summary["columns"]
    writer.writerow([csv_cell(zh) for _, zh, _ in columns])
    for row in summary["rows"]:
        writer.writerow([csv_cell(row.get(key, "")) for key, _, _ in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(summary: dict[str, Any]) -> bytes:
    """Row 1: title; row 2: estate and period; row 3: Chinese headers; row 4: English; then the data."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = summary["title"]
    sheet.append([f"{summary['title']} {summary['title_en']}"])
    sheet.append([f"{summary['estate_name']} ({summary['estate_id']})", summary["period"], summary["timezone"]])
    columns = summary["columns"]
    sheet.append([zh for _, zh, _ in columns])
    sheet.append([en for _, _, en in columns])
    for cell in (*sheet[1], *sheet[3]):
        cell.font = Font(bold=True)
    for row in summary["rows"]:
        sheet.append([row.get(key, "") for key, _, _ in columns])
    comment = summary.get("manager_comment")
    if comment:
        sheet.append([])
        sheet.append(["管理处负责人评语", comment["comment"], comment["written_by"]])
    store_as_text(cell for row in sheet.iter_rows() for cell in row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
