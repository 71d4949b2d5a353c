"""Cells that a spreadsheet program would run, written so that it shows them instead (CSV injection).

A resident's comment `=cmd|' /C calc'!A0` in an export opened in Excel or LibreOffice is a formula, and
formulas can start programs (DDE) or send the sheet's data away. Every export of text that people or
other systems wrote goes through here. Per the OWASP CSV-injection guidance, a text cell starting with
`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote in CSV; in XLSX such a
cell is stored as a string (never a formula), so it keeps its exact text and is still not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

#: What a spreadsheet program takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_a_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: text that would start a formula gets a leading `'`; numbers stay numbers."""
    return f"'{value}" if starts_a_formula(value) else value


class _Cell(Protocol):
    value: Any
    data_type: str


def store_as_text(cells: Iterable[_Cell]) -> None:
    """Mark every XLSX cell holding formula-like text as a string (openpyxl makes `=…` a formula)."""
    for cell in cells:
        if starts_a_formula(cell.value):
            cell.data_type = "s"
