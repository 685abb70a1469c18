"""Every rule a person reads about, once: its key, its Pasal (or a policy note), its Indonesian and
English text and why it exists. The api and the files only look texts up here.

This branch (issue 9, hostile input) adds the input rules below; the lead's ``matcher/rules.py``
holds the others, and the two are merged as one table. A text may name ``{placeholders}``:
:func:`text` fills them from keyword arguments.
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


_RULES: tuple[Rule, ...] = (
    Rule(
        key="extent_lat",
        pasal="",
        id="lintang harus di antara {lo}..{hi} (wilayah Indonesia, atau wilayah kebijakan Bapas)",
        en="latitude must be within {lo}..{hi} (Indonesia's extent, or the Bapas policy's)",
        why="A point outside the country is a typo or swapped columns; accepted, the client would "
        "only end up unplaced with no_site_in_reach and nobody would see the cause.",
    ),
    Rule(
        key="extent_lat_sign",
        pasal="",
        id="lintang harus di antara {lo}..{hi} (wilayah Indonesia); {flipped} ada di dalamnya: "
        "tanda minus hilang?",
        en="latitude must be within {lo}..{hi} (Indonesia's extent); {flipped} is inside: "
        "minus sign lost?",
        why="Java lies south of the equator: a lost minus sign (7.39 for -7.39) is the commonest "
        "typo in a coordinate, and the message names the likely cause.",
    ),
    Rule(
        key="extent_lon",
        pasal="",
        id="bujur harus di antara {lo}..{hi} (wilayah Indonesia, atau wilayah kebijakan Bapas)",
        en="longitude must be within {lo}..{hi} (Indonesia's extent, or the Bapas policy's)",
        why="As for latitude: a point outside the country is an error, not a far-away client.",
    ),
    Rule(
        key="extent_lon_swapped",
        pasal="",
        id="bujur harus di antara {lo}..{hi} (wilayah Indonesia); lintang dan bujur tertukar?",
        en="longitude must be within {lo}..{hi} (Indonesia's extent); latitude and longitude "
        "swapped?",
        why="A longitude that would be a valid latitude, beside a latitude that would be a valid "
        "longitude, means the two columns were swapped.",
    ),
    Rule(
        key="extent_lon_sign",
        pasal="",
        id="bujur harus di antara {lo}..{hi} (wilayah Indonesia); {flipped} ada di dalamnya: "
        "tanda minus berlebih?",
        en="longitude must be within {lo}..{hi} (Indonesia's extent); {flipped} is inside: "
        "a stray minus sign?",
        why="Indonesia lies east of Greenwich: a negative longitude is a sign typo.",
    ),
    Rule(
        key="id_format",
        pasal="",
        id="harus 1-64 karakter: huruf, angka dan . _ : - (diawali huruf atau angka)",
        en="must be 1-64 characters: letters, digits and . _ : - (starting with a letter or digit)",
        why="Ids appear in URLs, file names and letters: the same rule for every door (API body, "
        "import, files), so an id accepted anywhere can be read everywhere.",
    ),
    Rule(
        key="text_too_long",
        pasal="",
        id="paling panjang {max} karakter",
        en="at most {max} characters",
        why="A name is shown in tables and letters; a 50,000-character name is an error.",
    ),
    Rule(
        key="capacity_range",
        pasal="",
        id="harus 0-{max} (klien pada waktu yang sama)",
        en="must be 0-{max} (clients at the same time)",
        why="No site supervises more than a few hundred people at once; a larger number is a typo "
        "and would overflow the database and the solver's integers.",
    ),
    Rule(
        key="date_range",
        pasal="",
        id="harus tanggal antara {lo} dan {hi}",
        en="must be a date from {lo} to {hi}",
        why="A court order of kerja sosial exists only since the KUHP of 2023; a date far in the "
        "future (year 9999) is a typo and breaks date arithmetic (6 months later).",
    ),
    Rule(
        key="crs_not_wgs84",
        pasal="",
        id="crs {crs} bukan WGS84: koordinat harus derajat bujur/lintang (EPSG:4326 atau CRS84)",
        en="crs {crs} is not WGS84: coordinates must be lon/lat degrees (EPSG:4326 or CRS84)",
        why="Metres of a projected CRS read as degrees put every site somewhere else.",
    ),
    Rule(
        key="too_deep",
        pasal="",
        id="bersarang terlalu dalam (lebih dari {max} tingkat)",
        en="nested too deeply (more than {max} levels)",
        why="A deeply nested document exhausts the parser's stack; no valid file is that deep.",
    ),
    Rule(
        key="csv_semicolon",
        pasal="",
        id="berkas ini dipisah dengan ';' bukan ',': simpan ulang sebagai CSV dengan koma",
        en="this file is separated by ';', not ',': save it again as comma-separated CSV",
        why="Spreadsheets in Indonesian locales export ';'-separated files; saying so once beats "
        "one error per row.",
    ),
    Rule(
        key="other_bapas_client",
        pasal="",
        id="tidak menunjuk klien Bapas ini",
        en="names no client of this Bapas",
        why="A Bapas may only refer to its own clients; the answer is the same whether the id "
        "exists in another Bapas or nowhere.",
    ),
    Rule(
        key="work_too_large",
        pasal="",
        id="pekerjaan diperkirakan {work} satuan, di atas batas {cap}: kecilkan skenario",
        en="the work is estimated at {work} units, over the cap of {cap}: make the study smaller",
        why="One planning request must not take the service's memory and time from every "
        "officer; the estimate is made before anything is computed.",
    ),
)

RULES: dict[str, Rule] = {r.key: r for r in _RULES}


def text(key: str, lang: str = "en", **params: Any) -> str:
    """The rule's sentence in ``lang`` (``id`` or ``en``), placeholders filled."""
    rule = RULES[key]
    template = rule.id if lang == "id" else rule.en
    return template.format(**params)
