"""Tabular exports (CSV and XLSX) that a spreadsheet cannot turn into formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return — or whose first non-blank character is one of ``= + - @`` — would be
read as a formula by Excel or LibreOffice (CSV injection). Such text gets a
leading single quote, so it is shown as typed. Real numbers, dates, booleans
and empty cells are left alone: a negative score stays a number.

CSV files follow French Excel: UTF-8 with a BOM, ``;`` between cells, CRLF,
decimal comma, dates as ``dd/mm/yyyy``.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.audit import record_export
from core.permissions import not_found

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters that open a formula when they start a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that still open a formula after leading blanks.
FORMULA_START_AFTER_BLANKS = ("=", "+", "-", "@")

PASS_THROUGH_TYPES = (bool, int, float, Decimal, date, time, timedelta)

CSV_DATE_FORMAT = "%d/%m/%Y"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60
# Characters that Excel refuses in a sheet title; it also caps titles at 31.
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
SHEET_TITLE_MAX_LENGTH = 31


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START_AFTER_BLANKS)


def neutralise_cell(value):
    """Return ``value`` safe to put in a spreadsheet cell.

    Numbers (bool, int, float, Decimal), dates, times, durations and None
    are returned unchanged. Anything else becomes text; text that a
    spreadsheet would read as a formula gets a leading ``'``.
    """
    if value is None or isinstance(value, PASS_THROUGH_TYPES):
        return value
    text = str(value)
    if is_dangerous(text):
        return "'" + text
    return text


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _local_naive(value: datetime) -> datetime:
    """Aware datetimes in the portal's zone without tzinfo; naive ones unchanged."""
    if timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _decimal_comma(value: Decimal) -> str:
    # "f" never switches to exponent notation: Decimal("1E+2") -> "100".
    return format(value, "f").replace(".", ",")


def format_csv_cell(value) -> str:
    """The text written in a CSV cell, in French conventions, neutralised."""
    value = neutralise_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        return _decimal_comma(value)
    if isinstance(value, float):
        # repr is the shortest exact form; through Decimal to avoid "1e-05".
        return _decimal_comma(Decimal(repr(value)))
    if isinstance(value, datetime):
        return _local_naive(value).strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(CSV_DATE_FORMAT)
    return str(value)


def csv_bytes(header: list[str], rows: Iterable[Sequence]) -> bytes:
    """The table as a CSV file for French Excel (BOM, ``;``, CRLF), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([format_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([format_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(filename: str, header: list[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, filename)


def _xlsx_value(value):
    value = neutralise_cell(value)
    if isinstance(value, str):
        # Control characters that XML cannot carry are dropped.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        # Excel has no time zones: write the portal's local time.
        return _local_naive(value)
    return value


def _display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(XLSX_DATETIME_FORMAT)
    if isinstance(value, date):
        return len(XLSX_DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_title(title: str) -> str:
    cleaned = title.translate(SHEET_TITLE_FORBIDDEN).strip("' ")
    return cleaned[:SHEET_TITLE_MAX_LENGTH] or "Export"


def _write_row(sheet, row_number: int, values: Sequence, widths: dict[int, int], bold=None):
    for column, raw in enumerate(values, start=1):
        value = _xlsx_value(raw)
        cell = sheet.cell(row=row_number, column=column, value=value)
        if isinstance(value, str):
            # Text stays text: no formula, no error code such as "#N/A".
            cell.data_type = "s"
        elif isinstance(value, datetime):
            cell.number_format = XLSX_DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = XLSX_DATE_FORMAT
        if bold is not None:
            cell.font = bold
        widths[column] = max(widths.get(column, 0), _display_width(value))


def xlsx_bytes(sheet_title: str, header: list[str], rows: Iterable[Sequence]) -> bytes:
    """The table as an XLSX workbook of one sheet, every cell neutralised."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    widths: dict[int, int] = {}

    _write_row(sheet, 1, header, widths, bold=Font(bold=True))
    for row_number, row in enumerate(rows, start=2):
        _write_row(sheet, row_number, row, widths)

    sheet.freeze_panes = "A2"
    for column, width in widths.items():
        fitted = min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = fitted

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet_title: str, header: list[str], rows: Iterable[Sequence]
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet_title, header, rows), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)


FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def table_bytes(fmt: str, what: str, header: list[str], rows: Iterable[Sequence]) -> bytes:
    """The table as ``fmt`` (csv or xlsx): what a background export writes in its file."""
    if fmt == "csv":
        return csv_bytes(header, rows)
    if fmt == "xlsx":
        return xlsx_bytes(what, header, rows)
    raise ValueError(f"Format inconnu : {fmt}")


def export_response(
    *,
    actor,
    subject,
    what: str,
    fmt: str,
    filename: str,
    header: list[str],
    rows: Iterable[Sequence],
) -> HttpResponse:
    """Answer the table as ``fmt`` (csv or xlsx) and note the export in the audit trail.

    ``what`` names the file for the trail and is the sheet's title;
    ``filename`` has no extension. Another format answers 404.
    """
    if fmt not in FORMATS:
        not_found()
    rows = list(rows)
    if fmt == "csv":
        response = csv_response(f"{filename}.csv", header, rows)
    else:
        response = xlsx_response(f"{filename}.xlsx", what, header, rows)
    record_export(actor=actor, subject=subject, what=what, fmt=fmt, rows=len(rows), columns=header)
    return response
