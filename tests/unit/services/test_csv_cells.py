"""Exported cells are neutralised for spreadsheets and come back unchanged through the importer."""

from __future__ import annotations

import pytest

from complaintdesk.services.csv_cells import FORMULA_STARTS, restore_cell, safe_cell

TEXTS = ["'=", "=", "''x", "+1", "-", "@", "'=SUM(A1)", "'", "''", "'abc", "abc", "", "\t=1", "=+-@", "'+1"]


@pytest.mark.parametrize("text", TEXTS)
def test_a_cell_round_trips_through_export_and_import_even_when_it_starts_with_an_apostrophe(text: str) -> None:
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("text", TEXTS)
def test_no_exported_cell_starts_a_formula(text: str) -> None:
    assert not str(safe_cell(text)).startswith(FORMULA_STARTS)


def test_a_lone_customer_apostrophe_in_an_older_export_is_kept() -> None:
    assert restore_cell("'abc") == "'abc"
