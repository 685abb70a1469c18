"""Every rule a person reads about, once, in Indonesian and English (DESIGN.md).

Callers look texts up here (``text(key, lang, **fields)``); they never reword or translate.
Each entry: its key, the Pasal that makes it a rule (``""`` where it is policy or the data
contract), the Indonesian and English text (``str.format`` fields in braces) and why it exists.

This branch (issue 12) holds the entries about reading an office's files (the column checks
that speak once for the whole file, the forgiving spellings, the summary of repeated problems)
and the short name of each reason a client stays unplaced (``reason.<code>``, for tables that
count clients by reason; each client's own sentence is ``matcher.explain``'s). The lead merges
them with the rest of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    pasal: str
    id: str
    en: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        key="file.unknown_column_close",
        pasal="",
        id="`{column}`: kolom tidak dikenal, maksudnya `{suggestion}`?",
        en="`{column}`: unknown column, did you mean `{suggestion}`?",
        why="a misspelt column would otherwise be ignored and every row would report the "
        "real column as empty: one line for the file names the cause",
    ),
    Rule(
        key="file.unknown_columns_ignored",
        pasal="",
        id="kolom tidak dikenal, diabaikan: {columns}",
        en="unknown columns, ignored: {columns}",
        why="the data contract ignores unknown columns (an office's own notes, an address); "
        "saying so once shows nothing was lost by accident",
    ),
    Rule(
        key="file.missing_columns",
        pasal="",
        id="kolom wajib tidak ada: {columns}",
        en="required column(s) missing: {columns}",
        why="a missing column is one problem of the file, not one per row",
    ),
    Rule(
        key="file.duplicate_column",
        pasal="",
        id="kolom `{column}` muncul lebih dari sekali",
        en="column `{column}` appears more than once",
        why="two columns with one meaning cannot both be right",
    ),
    Rule(
        key="file.unnamed_column",
        pasal="",
        id="kolom {number} berisi data tetapi tidak bernama",
        en="column {number} holds data but has no name",
        why="data under no heading cannot be read safely",
    ),
    Rule(
        key="file.ragged_row",
        pasal="",
        id="baris {row}: {cells} sel, padahal kepala tabel punya {columns} kolom",
        en="row {row}: {cells} cells but the header has {columns} columns",
        why="a row that does not line up with the header would put values in the wrong fields",
    ),
    Rule(
        key="file.legacy_encoding",
        pasal="",
        id="berkas bukan UTF-8; dibaca sebagai {encoding} (periksa huruf beraksen)",
        en="the file is not UTF-8; read as {encoding} (check accented letters)",
        why="older Excel saves CSV in the Windows code page; reading it is safer than refusing, "
        "but a person should look at the accented letters",
    ),
    Rule(
        key="file.no_header",
        pasal="",
        id="berkas kosong (tidak ada baris kepala tabel)",
        en="empty file (no header row)",
        why="without a header no value can be placed in a field",
    ),
    Rule(
        key="file.no_rows",
        pasal="",
        id="berkas tidak memuat baris data",
        en="the file holds no data rows",
        why="an empty import is almost always the wrong file or sheet",
    ),
    Rule(
        key="file.not_found",
        pasal="",
        id="berkas tidak ditemukan",
        en="file not found",
        why="a wrong path is the commonest mistake; say which file",
    ),
    Rule(
        key="file.unreadable",
        pasal="",
        id="berkas tidak bisa dibaca: {error}",
        en="cannot read the file: {error}",
        why="a file that cannot be opened is one problem, named with the system's reason",
    ),
    Rule(
        key="file.unsupported",
        pasal="",
        id="format {suffix} tidak didukung untuk {what}; gunakan {formats}",
        en="format {suffix} is not supported for {what}; use {formats}",
        why="only formats whose reading is tested are read; the others are named",
    ),
    Rule(
        key="file.bad_csv",
        pasal="",
        id="bukan CSV yang sah: {error}",
        en="not valid CSV: {error}",
        why="a broken quote swallows the rest of the file; stop at the line it starts",
    ),
    Rule(
        key="file.bad_workbook",
        pasal="",
        id="bukan buku kerja Excel (.xlsx) yang bisa dibaca: {error}",
        en="not a readable Excel workbook (.xlsx): {error}",
        why="an uploaded file may break the parser in any way; it is bad input, never a crash",
    ),
    Rule(
        key="file.no_sheet",
        pasal="",
        id="lembar `{sheet}` tidak ada; yang ada: {sheets}",
        en="no sheet `{sheet}`; the workbook has: {sheets}",
        why="a workbook names its sheets; a wrong name gets the list of the right ones",
    ),
    Rule(
        key="file.same_problem_more",
        pasal="",
        id="...dan {count} baris lain dengan masalah yang sama ({field}: {rule})",
        en="...and {count} more rows with the same problem ({field}: {rule})",
        why="a problem repeated in thousands of rows is one problem; twenty examples show it",
    ),
    Rule(
        key="value.weekday_names",
        pasal="Pasal 85(5)",
        id="hari ditulis mon..sun atau Senin..Minggu (juga Jumat/Jum'at), dipisah ; atau ,",
        en="weekdays are written mon..sun or Senin..Minggu (also Jumat/Jum'at), separated "
        "by ; or ,",
        why="the client's working days must fit around the livelihood (85(5)); offices write "
        "the days in Indonesian",
    ),
    Rule(
        key="value.date_formats",
        pasal="",
        id="tanggal ditulis YYYY-MM-DD atau DD/MM/YYYY (tidak pernah MM/DD)",
        en="dates are written YYYY-MM-DD or DD/MM/YYYY (never MM/DD)",
        why="Indonesia writes day before month; MM/DD is refused because 03/04 would be "
        "ambiguous and a wrong deadline breaks Pasal 85(5)",
    ),
    Rule(
        key="value.booleans",
        pasal="",
        id="ya/tidak, true/false atau 1/0",
        en="ya/tidak, true/false or 1/0",
        why="Excel writes TRUE/FALSE, people write ya/tidak",
    ),
    Rule(
        key="value.decimal_comma",
        pasal="",
        id="koma desimal diterima di kolom angka bila berkas dipisah dengan ;",
        en="decimal commas are accepted in numeric columns when the file is separated by ;",
        why="an Indonesian-locale Excel writes 110,25 and separates cells with ;; with , as "
        "separator a comma is never a decimal",
    ),
    Rule(
        key="reason.no_site_in_reach",
        pasal="",
        id="tidak ada lokasi dalam jangkauan",
        en="no site within reach",
        why="a placement far from home is a cause of absence (the travel limit)",
    ),
    Rule(
        key="reason.no_eligible_site",
        pasal="",
        id="lokasi dalam jangkauan tidak memenuhi syarat",
        en="sites in reach, none eligible",
        why="every site in reach breaks a hard rule; each client's own reason lists which",
    ),
    Rule(
        key="reason.deadline_unreachable",
        pasal="Pasal 85(5)",
        id="jam kerja tidak cukup sebelum tenggat",
        en="the hours cannot be done before the deadline",
        why="at most 8 hours a day within at most 6 months (85(5))",
    ),
    Rule(
        key="reason.eligible_sites_full",
        pasal="",
        id="lokasi yang memenuhi syarat sudah penuh",
        en="the eligible sites are full",
        why="capacity: a site takes a limited number of clients at a time",
    ),
    Rule(
        key="reason.separation_conflict",
        pasal="",
        id="bentrok dengan rekan pelaku di lokasi yang sama",
        en="a co-offender at the same site",
        why="co-offenders are never placed at the same site (policy)",
    ),
    Rule(
        key="reason.fixed_site_ineligible",
        pasal="",
        id="lokasi putusan hakim tidak memenuhi syarat",
        en="the court-fixed site is not eligible",
        why="the court may name the site; the law's conditions still hold, and the PK raises "
        "it with the jaksa and the court",
    ),
    Rule(
        key="reason.fixed_site_full",
        pasal="",
        id="lokasi putusan hakim sudah penuh",
        en="the court-fixed site is full",
        why="a court-fixed site has the same capacity as any other",
    ),
)

_BY_KEY = {r.key: r for r in RULES}


def rule(key: str) -> Rule:
    return _BY_KEY[key]


def has(key: str) -> bool:
    return key in _BY_KEY


def text(key: str, lang: str = "id", **fields: Any) -> str:
    """The rule's sentence in ``lang`` (``"id"`` or ``"en"``) with ``fields`` filled in."""
    r = _BY_KEY[key]
    return (r.en if lang == "en" else r.id).format(**fields)


def number(n: int, lang: str = "id") -> str:
    """A count as a person of that language writes it: 2.980 (id), 2,980 (en)."""
    s = f"{n:,}"
    return s if lang == "en" else s.replace(",", ".")
