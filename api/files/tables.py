"""Reading sites and clients the way an office has them: Excel workbooks and CSV as Excel
writes it, besides the contract's own GeoJSON, JSON and GeoPackage (read by ``geo.io``).

Forgiving where it is safe (``matcher.rules``, keys ``file.*`` and ``value.*``):

* XLSX (openpyxl): the first sheet or a named one; cells keep their types (numbers, dates,
  booleans); merged cells count as the value of their top-left cell; title rows above the
  header and blank rows are skipped. The header is the row (among the first ten) naming the
  most known columns.
* CSV: the encoding is UTF-8 with or without a byte-order mark (or UTF-16 with one, as
  Excel's "Unicode Text" is), else Windows-1252 (then Latin-1) with a warning; the
  delimiter is whichever of ``,`` ``;`` tab the header uses most; with ``;`` a decimal comma
  in a numeric column (``110,25``) reads as ``110.25``.
* Column names are case-, space-, ``_``- and ``-``-insensitive (``Site ID`` is ``site_id``);
  a few Indonesian headings are known too (``nama``, ``kapasitas``, ``kecamatan`` ...).

Exact where it matters: a missing required column or an unknown column close to a known one
is one problem for the whole file (never one per row), and nothing is read past it. Values
are still the validator's business (``matcher.validate``), as for every other format.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from geo.io import (
    CLIENT_FIELDS,
    SITE_FIELDS,
    CsvRowError,
    FileFormatError,
    RawRecord,
    numbered_rows,
)
from geo.io import read_clients as geo_read_clients
from geo.io import read_sites as geo_read_sites
from matcher.rules import RULES, Message

PathLike = str | os.PathLike[str]

COURT_ORDER_FIELDS = ("threatened_max_years", "imposed_prison_months", "imposed_fine_rp")


@dataclass(frozen=True, slots=True)
class Schema:
    """What a table of sites or of clients holds."""

    what_id: str
    what_en: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    numeric: frozenset[str]
    dates: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()
    """Other names a column goes by in an office's sheet (Indonesian headings)."""

    def by_key(self) -> dict[str, str]:
        out = {column_key(a): f for a, f in self.aliases}
        out.update({column_key(f): f for f in self.fields})
        return out


_COMMON_ALIASES = (
    ("latitude", "lat"),
    ("lintang", "lat"),
    ("longitude", "lon"),
    ("lng", "lon"),
    ("bujur", "lon"),
    ("kabupaten", "district"),
    ("kecamatan", "subdistrict"),
)


SITES = Schema(
    "lokasi",
    "sites",
    (*SITE_FIELDS, "child_suitable"),  # child_suitable: the children's policy (issue 13)
    required=("site_id", "lat", "lon", "capacity", "open_days"),
    numeric=frozenset({"lat", "lon", "capacity", "hours_per_day"}),
    aliases=(
        *_COMMON_ALIASES,
        ("nama", "name"),
        ("jenis", "kind"),
        ("kapasitas", "capacity"),
        ("hari_buka", "open_days"),
    ),
)
CLIENTS = Schema(
    "klien",
    "clients",
    (*CLIENT_FIELDS, *COURT_ORDER_FIELDS, "sentence", "school_days"),  # a child's order
    # the data contract lists the fields a client must have first (to available_days), with
    # the one optional field among them, age
    required=tuple(
        f for f in CLIENT_FIELDS[: CLIENT_FIELDS.index("available_days") + 1] if f != "age"
    ),
    numeric=frozenset(
        {"lat", "lon", "age", "hours", "hours_per_day", "max_travel_km", *COURT_ORDER_FIELDS}
    ),
    dates=frozenset({"start_date", "deadline"}),
    aliases=(
        *_COMMON_ALIASES[:5],
        ("jam", "hours"),
        ("jam_per_hari", "hours_per_day"),
        ("tanggal_mulai", "start_date"),
        ("tenggat", "deadline"),
        ("hari_tersedia", "available_days"),
    ),
)


@dataclass(frozen=True, slots=True)
class Note:
    """A problem or a warning about the whole file: a rule of ``matcher.rules`` and its fields."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def message(self) -> Message:
        return RULES[self.key].say(**self.fields)

    def text(self, lang: str = "id") -> str:
        return self.message().text(lang)


@dataclass
class Table:
    """Records read from one file, with what was wrong with the file as a whole."""

    name: str
    records: list[RawRecord] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    delimiter: str | None = None
    encoding: str | None = None

    def lines(self, notes: Iterable[Note], lang: str = "id") -> list[str]:
        return [f"{self.name}: {n.text(lang)}" for n in notes]


TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")


def read_sites(path: PathLike, *, sheet: str | None = None, lang: str = "id") -> Table:
    """Sites from ``.xlsx``, ``.csv`` (as Excel writes it), ``.geojson``/``.json``, ``.gpkg``."""
    return _read_path(path, SITES, sheet, lang, geo_read_sites)


def read_clients(path: PathLike, *, sheet: str | None = None, lang: str = "id") -> Table:
    """Clients from ``.xlsx``, ``.csv`` (as Excel writes it) or ``.json``."""
    return _read_path(path, CLIENTS, sheet, lang, geo_read_clients)


def _read_path(path: PathLike, schema: Schema, sheet: str | None, lang: str, geo_reader: Any):
    p = Path(path)
    table = Table(str(p))
    if not p.is_file():
        table.errors.append(Note("file.not_found"))
        return table
    suffix = p.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        try:
            data = p.read_bytes()
        except OSError as exc:
            table.errors.append(Note("file.unreadable", {"error": exc.strerror or str(exc)}))
            return table
        return read_table(data, p.name, schema, sheet=sheet, lang=lang, table=table)
    try:
        records = geo_reader(p)
    except FileFormatError as exc:
        if exc.message.startswith("unsupported extension"):
            formats = ".xlsx, .csv, " + (".geojson, .json, .gpkg" if schema is SITES else ".json")
            what = schema.what_en if lang == "en" else schema.what_id
            table.errors.append(
                Note("file.unsupported", {"suffix": suffix, "what": what, "formats": formats})
            )
        else:
            table.errors.append(Note("file.unreadable", {"error": exc.message}))
        return table
    return _check_records(table, records, schema)


def read_table(
    data: bytes,
    name: str,
    schema: Schema,
    *,
    sheet: str | None = None,
    lang: str = "id",
    table: Table | None = None,
) -> Table:
    """A workbook (by its zip signature) or CSV text as records of ``schema``."""
    table = table or Table(name)
    row_word = "row" if lang == "en" else "baris"
    workbook = data[:4] == b"PK\x03\x04"  # an .xlsx is a zip file
    rows = _xlsx_rows(data, sheet, table) if workbook else _csv_rows(data, table)
    if table.errors:
        return table
    rows = [(n, cells) for n, cells in rows if not _blank(cells)]
    if not rows:
        table.errors.append(Note("file.no_header"))
        return table
    at = _header_index(rows[:10], schema)
    header = rows[at][1]
    columns = _columns(header, schema, table)
    body = rows[at + 1 :]
    _check_unnamed(columns, body, table)
    if table.errors:
        return table
    decimal_comma = table.delimiter == ";"
    ragged: list[tuple[int, int]] = []
    for line, cells in body:
        named = [c for c in cells[len(columns) :] if not _empty(c)]
        if named:
            ragged.append((line, len(cells)))
            continue
        values: dict[str, Any] = {}
        for name_, cell in zip(columns, cells, strict=False):
            if name_ is None:
                continue
            values[name_] = _cell(name_, cell, schema, decimal_comma)
        for name_ in columns[len(cells) :]:
            if name_ is not None:
                values[name_] = ""
        table.records.append(RawRecord(f"{name} {row_word} {line}".strip(), values))
    if ragged:
        line, n = ragged[0]
        table.errors.append(
            Note("file.ragged_row", {"row": line, "cells": n, "columns": len(columns)})
        )
        if len(ragged) > 1:
            table.errors.append(
                Note(
                    "file.same_problem_more",
                    {
                        "count": len(ragged) - 1,
                        "field": "-",
                        "rule": Note(
                            "file.ragged_row", {"row": "N", "cells": "n", "columns": len(columns)}
                        ).text(lang),
                    },
                )
            )
    if not table.records and not table.errors:
        table.errors.append(Note("file.no_rows"))
    return table


# --------------------------------------------------------------------------------------------
# Columns


def column_key(name: str) -> str:
    """The name as compared: lower case without spaces, ``_`` or ``-``."""
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def _header_index(rows: Sequence[tuple[int, list[Any]]], schema: Schema) -> int:
    """The row naming the most known columns (the first on a tie; the first row if none)."""
    known = set(schema.by_key())
    best, best_n = 0, 0
    for i, (_, cells) in enumerate(rows):
        n = sum(1 for c in cells if isinstance(c, str) and column_key(c) in known)
        if n > best_n:
            best, best_n = i, n
    return best


def _columns(header: Sequence[Any], schema: Schema, table: Table) -> list[str | None]:
    """Each header cell as the contract's field, the name as written (unknown, kept), or None
    (no name); file problems go to ``table``."""
    by_key = schema.by_key()
    names: list[str | None] = []
    for cell in header:
        raw = "" if cell is None else str(cell).strip()
        names.append(by_key.get(column_key(raw), raw) if raw else None)
    present = {n for n in names if n is not None}
    seen: set[str] = set()
    for n in names:
        if n is not None and n in seen:
            table.errors.append(Note("file.duplicate_column", {"column": n}))
        elif n is not None:
            seen.add(n)
    absent = [f for f in schema.fields if f not in present]
    absent_keys = {column_key(f): f for f in absent}
    explained: set[str] = set()
    ignored = []
    for n in names:
        if n is None or n in schema.fields:
            continue
        close = difflib.get_close_matches(column_key(n), list(absent_keys), n=1, cutoff=0.75)
        if close:
            suggestion = absent_keys[close[0]]
            explained.add(suggestion)
            table.errors.append(
                Note("file.unknown_column_close", {"column": n, "suggestion": suggestion})
            )
        else:
            ignored.append(n)
    missing = [f for f in schema.required if f not in present and f not in explained]
    if missing:
        table.errors.append(Note("file.missing_columns", {"columns": ", ".join(missing)}))
    if ignored:
        table.warnings.append(Note("file.unknown_columns_ignored", {"columns": ", ".join(ignored)}))
    table.columns = [n for n in names if n is not None]
    return names


def _check_unnamed(
    columns: Sequence[str | None], body: Sequence[tuple[int, list[Any]]], table: Table
) -> None:
    for i, name in enumerate(columns):
        if name is None and any(i < len(cells) and not _empty(cells[i]) for _, cells in body):
            table.errors.append(Note("file.unnamed_column", {"number": i + 1}))


def _check_records(table: Table, records: list[RawRecord], schema: Schema) -> Table:
    """GeoJSON, JSON and GeoPackage records: the same column names and column checks."""
    keys: list[str] = []
    for rec in records:
        for k in rec.values:
            if k not in keys:
                keys.append(k)
    names = _columns(keys, schema, table)
    rename = {k: n for k, n in zip(keys, names, strict=True) if n is not None and n != k}
    if table.errors:
        return table
    table.records = [
        RawRecord(rec.source, {rename.get(k, k): v for k, v in rec.values.items()})
        for rec in records
    ]
    if not table.records:
        table.errors.append(Note("file.no_rows"))
    return table


# --------------------------------------------------------------------------------------------
# Cells


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _blank(cells: Sequence[Any]) -> bool:
    return all(_empty(c) for c in cells)


def _cell(name: str, v: Any, schema: Schema, decimal_comma: bool) -> Any:
    if v is None:
        return ""
    if isinstance(v, str):
        v = v.strip()
        if decimal_comma and name in schema.numeric and _DECIMAL_COMMA.match(v):
            return v.replace(",", ".")
        return v
    if isinstance(v, datetime) and name not in schema.dates:
        return v.isoformat()
    return v


# --------------------------------------------------------------------------------------------
# CSV


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-16 with its BOM (Excel's "Unicode
    Text"), UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (reads any byte)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" (tab-separated)
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text_: str) -> str:
    """``,`` ``;`` or tab: the one the first non-blank line holds most outside quotes."""
    line = next((ln for ln in text_.splitlines() if ln.strip()), "")
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(data: bytes, table: Table) -> list[tuple[int, list[Any]]]:
    content, encoding = decode(data)
    table.encoding = encoding
    if encoding in ("cp1252", "latin-1"):
        table.warnings.append(Note("file.legacy_encoding", {"encoding": encoding}))
    table.delimiter = sniff_delimiter(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=table.delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for line, cells in numbered_rows(reader):
            rows.append((line, list(cells)))
    except CsvRowError as exc:
        # the rows before the bad one are kept, as the file's one error says where it broke
        table.errors.append(Note("file.bad_csv", {"error": f"{exc.line}: {exc.error}"}))
    return rows


# --------------------------------------------------------------------------------------------
# XLSX


def sheet_names(data: bytes) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _xlsx_rows(data: bytes, sheet: str | None, table: Table) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:
        # not read-only: merged cells are only known to a fully loaded sheet
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # an uploaded file may break the parser in any way: never a 500
        table.errors.append(Note("file.bad_workbook", {"error": str(exc) or type(exc).__name__}))
        return []
    names = [ws.title for ws in wb.worksheets]  # sheets of cells (not chart sheets)
    if (sheet is not None and sheet not in names) or not names:
        table.errors.append(
            Note("file.no_sheet", {"sheet": sheet or "", "sheets": ", ".join(names) or "-"})
        )
        return []
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        # down its first column only: a kecamatan merged over three rows belongs to each row,
        # but a heading merged over two columns names one column, not two
        c = merged.min_col - 1
        top = grid[merged.min_row - 1][c]
        for r in range(merged.min_row, merged.max_row + 1):
            grid[r - 1][c] = top
    wb.close()
    return [(i + 1, cells) for i, cells in enumerate(grid)]
