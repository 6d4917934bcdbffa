from __future__ import annotations

import csv
import io

import pytest

from shared.spreadsheet import csv_text, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+44 7700 900123", "-2+3", "@SUM(A1)", "\tx", "\rx", "=", "-", "+"])
def test_text_that_could_start_a_formula_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, 0, 12, "-3", "-2.5", "+1", "-1e3", "plain text", "", None, "a=b", "'=x"])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


def test_a_whole_file_is_defused_headings_and_all() -> None:
    written = csv_text(["=Heading", "Value"], [["@x", -4], ["ok", "-4"]])
    assert list(csv.reader(io.StringIO(written))) == [["'=Heading", "Value"], ["'@x", "-4"], ["ok", "-4"]]
