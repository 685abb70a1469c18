"""Excel workbooks (openpyxl): results, suggestions and reports with real types, a frozen
header, column widths and a sheet explaining every column; and the blank templates for sites
and clients, with the allowed values as drop-down lists.

CSV for an Indonesian-locale Excel (``excel_csv``): a byte-order mark, ``;`` between cells
and decimal commas, so that the file opens in columns with its numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from api.files.columns import (
    CLIENT_COLUMNS,
    ID_MEANINGS,
    SITE_COLUMNS,
    Column,
    explanation_rows,
)

HEADER_FILL = "DDEBF7"
DATE_FORMAT = "DD/MM/YYYY"
MAX_WIDTH = 60


@dataclass
class Sheet:
    """One sheet: a title, column names, rows of typed values, and each column's meaning."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    meanings: dict[str, tuple[str, str]] = field(default_factory=dict)
    """column -> (Indonesian, English); columns without one are not explained."""


def write_workbook(path: Path | BinaryIO, sheets: Sequence[Sheet], lang: str = "id") -> None:
    """The sheets, then ``Penjelasan`` (``Columns`` in English) explaining every column."""
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    for sheet in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = sheet.title[:31]
        _table(ws, list(sheet.columns), sheet.rows)
    explained = [
        [s.title, c, *(_meaning(s, c, lang),)] for s in sheets for c in s.columns if c in s.meanings
    ]
    ws = wb.create_sheet("Columns" if lang == "en" else "Penjelasan")
    head = ["sheet", "column", "meaning"] if lang == "en" else ["lembar", "kolom", "arti"]
    _table(ws, head, explained)
    _save(wb, path)


def _meaning(sheet: Sheet, column: str, lang: str) -> str:
    id_, en = sheet.meanings[column]
    return en if lang == "en" else id_


def _table(ws: Any, columns: list[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    widths = [len(str(c)) for c in columns]
    for row in rows:
        ws.append([_typed(v) for v in row])
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], len(_shown(v)))
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for i, w in enumerate(widths):
        ws.column_dimensions[_letter(i + 1)].width = min(w + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def _typed(v: Any) -> Any:
    """A value as a real cell: numbers and dates stay themselves, lists become ``a;b``."""
    if isinstance(v, list | tuple | set | frozenset):
        items = sorted(v) if isinstance(v, set | frozenset) else v
        return ";".join(str(x) for x in items)
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return v
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def _shown(v: Any) -> str:
    v = _typed(v)
    if isinstance(v, date):
        return "00/00/0000"
    if isinstance(v, float):
        return f"{v:.3f}"
    return "" if v is None else str(v)


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(i))


_FIXED_TIME = datetime(2000, 1, 1)


def _save(wb: Any, path: Path | BinaryIO) -> None:
    # a fixed creation time: the same data gives the same workbook contents
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


# --------------------------------------------------------------------------------------------
# Templates


def write_template(
    what: str, path: Path, lang: str = "id", rows: Sequence[dict[str, Any]] = ()
) -> None:
    """A workbook for ``sites`` or ``clients``: the header of the data contract, drop-down
    lists for the one-of columns (yes/no included), date cells as dates, a ``Penjelasan``
    sheet with an example of every column, and the lists on a hidden ``Pilihan`` sheet.

    Blank by default (an example row would be imported as data if nobody deleted it); with
    ``rows`` (data-contract dicts) it is filled, typed, as a person would fill it."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = SITE_COLUMNS if what == "sites" else CLIENT_COLUMNS
    title = {"sites": ("Lokasi", "Sites"), "clients": ("Klien", "Clients")}[what]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[1] if lang == "en" else title[0]
    _table(
        ws, [c.name for c in columns], [[_filled(c, r.get(c.name)) for c in columns] for r in rows]
    )
    if not rows:  # widths for what will be typed, not for the header alone
        for i, c in enumerate(columns, start=1):
            width = max(len(c.name), len(c.example), 10) + 2
            ws.column_dimensions[_letter(i)].width = min(width, MAX_WIDTH)
    lists = wb.create_sheet("Pilihan")
    rows_max = 2000
    for i, c in enumerate(columns, start=1):
        letter = _letter(i)
        if c.kind == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        if not (c.choices or c.many):
            continue
        values = c.choices or c.many
        lists.cell(row=1, column=i, value=c.name)
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=i, value=v)
        rng = f"{letter}2:{letter}{rows_max}"
        allowed = ", ".join(values)
        if c.choices:
            dv = DataValidation(
                type="list",
                formula1=f"=Pilihan!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=not c.required,
                showErrorMessage=True,
                errorTitle=c.name,
                error=("one of: " if lang == "en" else "salah satu dari: ") + allowed,
            )
        else:
            # several values per cell: no drop-down can hold that, so the cell says what to type
            dv = DataValidation(allow_blank=True)
            dv.showErrorMessage = False
        dv.showInputMessage = True
        dv.promptTitle = c.name[:32]
        sep = " (; between several)" if c.many and lang == "en" else ""
        sep = sep or (" (pisahkan dengan ;)" if c.many else "")
        dv.prompt = (allowed + sep)[:255]
        dv.add(rng)
        ws.add_data_validation(dv)
    lists.sheet_state = "hidden"
    info = wb.create_sheet("Columns" if lang == "en" else "Penjelasan")
    head = (
        ["column", "required", "meaning", "allowed values", "example"]
        if lang == "en"
        else ["kolom", "wajib", "arti", "nilai yang diizinkan", "contoh"]
    )
    _table(info, head, explanation_rows(columns, lang))
    _save(wb, path)


def _filled(c: Column, v: Any) -> Any:
    """A contract value as the cell a person would type: numbers and dates typed, yes/no as
    ya/tidak, lists ``;``-separated, exclusion zones as ``lat,lon,radius_km`` triples."""
    if v is None or v == "":
        return None
    if c.kind == "bool" and isinstance(v, bool):
        return "ya" if v else "tidak"
    if c.kind == "date" and isinstance(v, str):
        return date.fromisoformat(v)
    if isinstance(v, str):  # a CSV cell: typed where its column is typed
        return _from_text(c, v.strip())
    if c.name == "exclusion_zones":
        zones = [(z["lat"], z["lon"], z["radius_km"]) if isinstance(z, dict) else z for z in v]
        return ";".join(f"{a},{b},{r}" for a, b, r in zones) or None
    return _typed(v)


def _from_text(c: Column, v: str) -> Any:
    try:
        if c.kind == "int":
            return int(v)
        if c.kind == "number":
            return float(v)
        if c.kind == "date":
            return date.fromisoformat(v)
    except ValueError:
        return v  # left as written: the reader reports it, with its row
    if c.kind == "bool" and v.lower() in ("true", "false"):
        return "ya" if v.lower() == "true" else "tidak"
    return v or None


# --------------------------------------------------------------------------------------------
# CSV for Excel


def excel_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[str]) -> bytes:
    """CSV as an Indonesian-locale Excel reads it: UTF-8 with BOM, ``;``, CRLF, decimal commas
    in the ``numeric`` columns."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(columns)
    at = [c in numeric for c in columns]
    for row in rows:
        w.writerow(
            [
                str(v).replace(".", ",") if is_num and v not in (None, "") else _plain(v)
                for v, is_num in zip(row, at, strict=True)
            ]
        )
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


# --------------------------------------------------------------------------------------------
# The supervision report (Pasal 85(8))

SUPERVISION_MEANINGS: dict[str, tuple[str, str]] = {
    "client_id": ID_MEANINGS["client_id"],
    "placement_id": ("nomor penempatan", "placement number"),
    "site_id": ID_MEANINGS["site_id"],
    "status": ("status penempatan (atau unplaced: belum ditempatkan)", "placement status"),
    "hours_ordered": ("jam menurut putusan (Pasal 85(4))", "hours ordered (Pasal 85(4))"),
    "hours_done": ("jam yang sudah dikerjakan", "hours done"),
    "hours_remaining": ("jam yang masih harus dikerjakan", "hours still to do"),
    "hours_per_day": ("jam sehari (Pasal 85(5))", "hours a day (Pasal 85(5))"),
    "start_date": ("tanggal mulai", "start date"),
    "deadline": ("batas selesai (Pasal 85(5))", "deadline (Pasal 85(5))"),
    "days_left": ("hari kalender sampai batas selesai", "calendar days to the deadline"),
    "workdays_left": (
        "hari kerja bersama yang tersisa (hari klien, hari buka lokasi, tanpa hari libur)",
        "common working days left (client's days, site's days, no holidays)",
    ),
    "at_risk": (
        "jam tersisa tidak lagi muat sebelum batas selesai",
        "the remaining hours no longer fit before the deadline",
    ),
    "state": ("berjalan, pelanggaran atau selesai", "berjalan, pelanggaran or selesai"),
    "mangkir": ("hari tidak hadir tanpa alasan yang sah", "days absent without a valid reason"),
    "warnings": ("surat peringatan yang sudah keluar", "written warnings issued"),
    "breach": ("pemberitahuan pelanggaran untuk jaksa", "a breach notice for the jaksa is due"),
    "next_day": ("hari kerja berikutnya di kalender", "the next day on the work calendar"),
    "shortfall": ("kekurangan jam sebelum tenggat", "hours short before the deadline"),
}


def supervision_xlsx(report: dict[str, Any], columns: Sequence[str], lang: str = "id") -> bytes:
    """The supervision report for the jaksa as a workbook: dates as dates, hours as numbers."""
    rows = [
        [
            date.fromisoformat(r[c])
            if c in ("start_date", "deadline") and isinstance(r[c], str)
            else r[c]
            for c in columns
        ]
        for r in report["rows"]
    ]
    buf = io.BytesIO()
    title = "Supervision" if lang == "en" else "Pengawasan"
    write_workbook(buf, [Sheet(title, list(columns), rows, SUPERVISION_MEANINGS)], lang)
    return buf.getvalue()
