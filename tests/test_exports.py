import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.exports import csv_response, neutralise_cell, xlsx_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DANGEROUS = [
    "=1+1",
    "+33 1 23",
    "-cmd",
    "@SUM(A1)",
    "\t=x",
    "\r=x",
    '  =HYPERLINK("http://evil.example/","clic")',
    " \t+1",
    "\n-2",
]

HEADER = ["Projet", "Juré", "Note pondérée", "Écart", "Date", "Soumis le", "Conflit"]
ROWS = [
    [
        "Café solidaire d'Ivry",
        "Hélène Çelik",
        Decimal("83.33"),
        -2,
        date(2026, 6, 15),
        datetime(2026, 6, 15, 12, 30, tzinfo=UTC),
        False,
    ],
    ["=1+1", "@SUM(A1)", Decimal("-4.5"), -0.25, None, None, True],
]


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    return text, list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


# neutralise_cell


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_is_quoted(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Jardin partagé",
        "Projet = utile",
        "3 + 4",
        "e-mail",
        "contact@example.org",
        "",
        "   ",
        "'déjà cité",
    ],
)
def test_harmless_text_is_unchanged(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize(
    "value",
    [
        0,
        -5,
        12,
        -3.5,
        2.25,
        Decimal("83.33"),
        Decimal("-83.33"),
        True,
        False,
        None,
        date(2026, 6, 15),
        datetime(2026, 6, 15, 14, 30, tzinfo=UTC),
    ],
)
def test_numbers_dates_bools_and_none_pass_through(value):
    assert neutralise_cell(value) is value


def test_other_objects_become_neutralised_text():
    class Name:
        def __str__(self):
            return "=danger"

    assert neutralise_cell(Name()) == "'=danger"


# CSV


def test_csv_headers():
    response = csv_response("notes-session-3.csv", HEADER, ROWS)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notes-session-3.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_csv_non_ascii_filename_is_encoded():
    response = csv_response("notes-évaluations.csv", HEADER, [])

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''notes-%C3%A9valuations.csv" in disposition


def test_csv_bom_semicolons_crlf_and_accents():
    response = csv_response("notes.csv", HEADER, ROWS)
    text, rows = read_csv(response)

    assert text.count("\r\n") == 3
    assert "\n" not in text.replace("\r\n", "")
    assert text.splitlines()[0] == "Projet;Juré;Note pondérée;Écart;Date;Soumis le;Conflit"
    assert rows[0] == HEADER
    assert rows[1] == [
        "Café solidaire d'Ivry",
        "Hélène Çelik",
        "83,33",
        "-2",
        "15/06/2026",
        "15/06/2026 14:30",  # Paris time, summer
        "Non",
    ]


def test_csv_numbers_stay_numbers_and_text_is_neutralised():
    response = csv_response("notes.csv", HEADER, ROWS)
    _, rows = read_csv(response)

    assert rows[2] == ["'=1+1", "'@SUM(A1)", "-4,5", "-0,25", "", "", "Oui"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_quotes_every_formula_like_cell(value):
    response = csv_response("notes.csv", ["Texte"], [[value]])
    _, rows = read_csv(response)

    assert rows[1] == ["'" + value]


def test_csv_header_cells_are_neutralised_too():
    response = csv_response("notes.csv", ["=cmd|' /C calc'!A0"], [])
    _, rows = read_csv(response)

    assert rows[0] == ["'=cmd|' /C calc'!A0"]


def test_csv_cells_with_separators_and_newlines_are_quoted():
    value = 'Projet ; "guillemets"\nseconde ligne'
    response = csv_response("notes.csv", ["Texte", "Note"], [[value, Decimal("1.5")]])
    text, rows = read_csv(response)

    assert rows[1] == [value, "1,5"]
    assert '"Projet ; ""guillemets""\nseconde ligne";1,5\r\n' in text


def test_csv_decimal_never_uses_exponent_notation():
    response = csv_response("notes.csv", ["Note"], [[Decimal("1E+2")], [1e-05]])
    _, rows = read_csv(response)

    assert rows[1:] == [["100"], ["0,00001"]]


def test_csv_accepts_a_generator_of_tuples():
    response = csv_response("notes.csv", ["A", "B"], ((i, f"ligne {i}") for i in range(3)))
    _, rows = read_csv(response)

    assert rows[1:] == [["0", "ligne 0"], ["1", "ligne 1"], ["2", "ligne 2"]]


# XLSX


def test_xlsx_headers():
    response = xlsx_response("notes-session-3.xlsx", "Notes", HEADER, ROWS)

    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="notes-session-3.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"PK")


def test_xlsx_header_row_is_bold_and_frozen():
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Session 3", HEADER, ROWS))

    assert sheet.title == "Session 3"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])


def test_xlsx_column_widths_are_fitted():
    sheet = read_xlsx(
        xlsx_response("notes.xlsx", "Notes", ["A", "Long"], [["x", "y" * 30], ["x", "z" * 200]])
    )

    assert sheet.column_dimensions["A"].width == 8
    assert 30 < sheet.column_dimensions["B"].width <= 60


def test_xlsx_values_keep_their_types_and_accents():
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Notes", HEADER, ROWS))
    row = [cell for cell in sheet[2]]

    assert row[0].value == "Café solidaire d'Ivry"
    assert row[1].value == "Hélène Çelik"
    assert row[2].value == pytest.approx(83.33)
    assert row[2].data_type == "n"
    assert row[3].value == -2
    assert row[3].data_type == "n"
    assert row[4].value == datetime(2026, 6, 15)
    assert row[4].is_date
    assert row[4].number_format == "DD/MM/YYYY"
    # Excel has no time zones: the portal's local time is written.
    assert row[5].value == datetime(2026, 6, 15, 14, 30)
    assert row[5].is_date
    assert row[6].value is False
    assert row[6].data_type == "b"


def test_xlsx_negative_numbers_and_formula_like_text():
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Notes", HEADER, ROWS))
    row = [cell for cell in sheet[3]]

    assert row[0].value == "'=1+1"
    assert row[0].data_type == "s"
    assert row[1].value == "'@SUM(A1)"
    assert row[1].data_type == "s"
    assert row[2].value == pytest.approx(-4.5)
    assert row[2].data_type == "n"
    assert row[3].value == pytest.approx(-0.25)
    assert row[3].data_type == "n"
    assert row[4].value is None
    assert row[6].value is True


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_quotes_every_formula_like_cell(value):
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Notes", ["Texte"], [[value]]))
    cell = sheet["A2"]

    # XML parsers read a carriage return back as a line feed.
    assert cell.value == ("'" + value).replace("\r", "\n")
    assert cell.data_type == "s"


def test_xlsx_header_cells_are_neutralised_too():
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Notes", ["=1+1"], []))

    assert sheet["A1"].value == "'=1+1"
    assert sheet["A1"].data_type == "s"


def test_xlsx_error_codes_and_control_characters_stay_plain_text():
    sheet = read_xlsx(xlsx_response("notes.xlsx", "Notes", ["Texte"], [["#N/A"], ["bip\x07 fin"]]))

    assert sheet["A2"].value == "#N/A"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "bip fin"


def test_xlsx_sheet_title_is_made_valid():
    sheet = read_xlsx(
        xlsx_response("notes.xlsx", "Session [3/4] : notes des jurés et classement", ["A"], [])
    )

    assert sheet.title == "Session -3-4- - notes des jurés"
    assert len(sheet.title) <= 31
