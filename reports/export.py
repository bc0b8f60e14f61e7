"""Writing the report's tables to CSV (one file, a block per table) or XLSX (a sheet per table)."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from partners.views import _cell as csv_safe_text

PROGRESS_EVERY = 500
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe(value):
    """Numbers stay numbers; text that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    return csv_safe_text(value)


def write_csv(tables, stream, *, progress=None):
    """Write to a text stream: a BOM (Excel then reads UTF-8), then each table under its title."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([safe(table.title)])
        writer.writerow([safe(header) for header in table.headers])
        for count, row in enumerate(table.rows, start=1):
            writer.writerow([safe(value) for value in row])
            if progress and count % PROGRESS_EVERY == 0:
                progress(index, count)
        if progress:
            progress(index + 1, 0)


def _sheet_title(title, used):
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title))[:28].strip() or "Blad"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def write_xlsx(tables, stream, *, progress=None):
    """Write a workbook (write-only mode: memory stays flat for many rows) to a binary stream."""
    workbook = Workbook(write_only=True)
    used = set()
    bold = Font(bold=True)
    for index, table in enumerate(tables):
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        header = []
        for value in table.headers:
            cell = WriteOnlyCell(sheet, value=safe(value))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for count, row in enumerate(table.rows, start=1):
            sheet.append([_text_cell(sheet, value) for value in row])
            if progress and count % PROGRESS_EVERY == 0:
                progress(index, count)
        if progress:
            progress(index + 1, 0)
    workbook.save(stream)


def _text_cell(sheet, value):
    value = safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def render(tables, file_format, *, progress=None):
    """The file's bytes."""
    if file_format == "csv":
        text = io.StringIO()
        write_csv(tables, text, progress=progress)
        return text.getvalue().encode("utf-8")
    binary = io.BytesIO()
    write_xlsx(tables, binary, progress=progress)
    return binary.getvalue()
