"""Spreadsheet-safe CSV cells. Customer text is hostile: a cell that starts with = + - @ (or a tab or
carriage return) runs as a formula when the file is opened in Excel or WPS (CSV injection). Such a
cell is written with a leading apostrophe, which spreadsheets show as text; the importer takes it off
again, so an exported file still round-trips.

A cell that itself starts with an apostrophe gets one more, so the importer's rule ("an apostrophe in
front of a formula start or of another apostrophe is ours") is reversible: text that genuinely starts
with ``'=`` leaves as ``''=`` and comes back as ``'=``. A lone leading apostrophe before anything else
(``'abc``, as files written before this rule carry it) is the customer's and is kept."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = (*FORMULA_STARTS, "'")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_ESCAPED_STARTS):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The cell as it was before ``safe_cell``."""
    if value.startswith("'") and value[1:].startswith(_ESCAPED_STARTS):
        return value[1:]
    return value
