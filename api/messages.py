"""Messages in Indonesian (the default) and English, chosen by ``Accept-Language``.

The validator (``matcher.validate``) states its rules in English with the Pasal cited; the
patterns below give the same rule in Indonesian. A rule without a pattern is shown as it is.
"""

from __future__ import annotations

import re
from typing import Any

from matcher.rules import RULES, text

LANGS = ("id", "en")


def pick_language(accept_language: str | None) -> str:
    """``en`` when English is preferred over Indonesian in the header, else ``id``."""
    if not accept_language:
        return "id"
    best, best_q = "id", -1.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower()[:2]
        if lang in LANGS and q > best_q:
            best, best_q = lang, q
    return best


_RULES_ID: tuple[tuple[str, str], ...] = (
    (r"^required$", "wajib diisi"),
    (r"^required; one of (.*)$", r"wajib diisi; salah satu dari \1"),
    (r"^must be text$", "harus berupa teks"),
    (r"^unknown value; allowed: (.*)$", r"nilai tidak dikenal; yang diizinkan: \1"),
    (r"^required whole number$", "wajib diisi dengan bilangan bulat"),
    (r"^must be a whole number$", "harus bilangan bulat"),
    (r"^required number$", "wajib diisi dengan angka"),
    (r"^must be a number$", "harus berupa angka"),
    (r"^must be a finite number$", "harus angka yang terhingga"),
    (r"^must be true or false$", "harus true atau false"),
    (r"^must be a list of names.*$", "harus daftar nama (dipisah ';' dalam CSV)"),
    (r"^must be a list of ids.*$", "harus daftar id (dipisah ';' dalam CSV)"),
    (r"^required date \(YYYY-MM-DD\)$", "wajib diisi dengan tanggal (YYYY-MM-DD)"),
    (r"^must be a date YYYY-MM-DD$", "harus tanggal YYYY-MM-DD"),
    (r"^latitude must be within .*$", "lintang harus di antara -90..90 (derajat WGS84)"),
    (r"^longitude must be within .*$", "bujur harus di antara -180..180 (derajat WGS84)"),
    (r"^0,0 is not a place in Indonesia.*$", "0,0 bukan tempat di Indonesia (koordinat kosong?)"),
    (r"^must be 'lat,lon,radius_km' triples.*$", "harus tiga angka 'lat,lon,radius_km' per zona"),
    (r"^each zone must be .*$", "setiap zona harus 'lat,lon,radius_km' (tiga angka)"),
    (r"^zone centre must be .*$", "pusat zona harus WGS84 yang sah dan radius_km dalam (0, 100]"),
    (r"^must be >= 0 \(clients at the same time\)$", "harus >= 0 (klien pada waktu yang sama)"),
    (
        r"^must be 1-8 \(Pasal 85\(5\): at most 8 hours a day\)$",
        "harus 1-8 (Pasal 85(5): paling lama 8 jam sehari)",
    ),
    (r"^required: weekdays the site is open.*$", "wajib diisi: hari buka lokasi (mon..sun)"),
    (
        r"^must be 8-240 hours in total \(Pasal 85\(4\) KUHP\)$",
        "harus 8-240 jam seluruhnya (Pasal 85(4) KUHP)",
    ),
    (
        r"^must be 1-8: at most 8 hours a day \(Pasal 85\(5\) KUHP\)$",
        "harus 1-8: paling lama 8 jam sehari (Pasal 85(5) KUHP)",
    ),
    (r"^is before start_date (.*)$", r"sebelum start_date \1"),
    (
        r"^more than 6 months after start_date (\S+) \(latest (\S+); Pasal 85\(5\) KUHP\)$",
        r"lebih dari 6 bulan setelah start_date \1 (paling lambat \2; Pasal 85(5) KUHP)",
    ),
    (r"^required: weekdays the client can work.*$", "wajib diisi: hari klien bisa bekerja"),
    (
        r"^kerja sosial needs an offence threatened with under 5 years.*$",
        "pidana kerja sosial hanya untuk tindak pidana yang diancam penjara kurang dari 5 tahun "
        "(Pasal 85(1) KUHP)",
    ),
    (
        r"^kerja sosial replaces at most 6 months' prison.*$",
        "pidana kerja sosial hanya menggantikan penjara paling lama 6 bulan (Pasal 85(1) KUHP)",
    ),
    (
        r"^kerja sosial replaces a fine of at most category II.*$",
        "pidana kerja sosial hanya menggantikan denda paling banyak kategori II, Rp10.000.000 "
        "(Pasal 85(1) KUHP)",
    ),
    (r"^must be within \(0, 200\] km$", "harus dalam (0, 200] km"),
    (r"^must be within 12-120$", "harus 12-120"),
    (r"^a client cannot be separated from itself$", "klien tidak bisa dipisahkan dari dirinya"),
    (r"^duplicate id \(first at (.*)\)$", r"id ganda (pertama di \1)"),
    (r"^names no client in this input$", "tidak menunjuk klien yang ada"),
    (r"^names no site in this input$", "tidak menunjuk lokasi yang ada"),
    (r"^names no active site of this Bapas$", "tidak menunjuk lokasi aktif Bapas ini"),
    (r"^names no client of this Bapas$", "tidak menunjuk klien Bapas ini"),
    (r"^belongs to another Bapas$", "milik Bapas lain"),
    (
        r"^the cohort is empty.*$",
        "kohort kosong: sebut client_ids, clients, atau pending=true",
    ),
    (r"^give client_id or client, not both$", "sebut client_id atau client, tidak keduanya"),
    (
        r"^must be min_lon,min_lat,max_lon,max_lat.*$",
        "harus min_lon,min_lat,max_lon,max_lat (empat angka, derajat WGS84)",
    ),
    (r"^CSV must be UTF-8$", "CSV harus UTF-8"),
    (r"^CSV header lacks column\(s\): (.*)$", r"kepala CSV tidak memuat kolom: \1"),
    (r"^not valid CSV: (.*)$", r"bukan CSV yang sah: \1"),
    (r"^not valid JSON: (.*)$", r"bukan JSON yang sah: \1"),
    (r"^GeoJSON must be a FeatureCollection$", "GeoJSON harus FeatureCollection"),
    (r"^a FeatureCollection needs a 'features' array$", "FeatureCollection perlu larik 'features'"),
    (r"^the file holds no sites$", "berkas tidak memuat lokasi"),
    (r"^must be a GeoJSON Point$", "harus GeoJSON Point"),
)
_COMPILED = tuple((re.compile(p), r) for p, r in _RULES_ID)
_PASAL = re.compile(r"Pasal \d+\(\d+\)")


def rule_text(rule: str, lang: str) -> str:
    """A validator rule in the request's language."""
    if lang == "en":
        return rule
    for pattern, repl in _COMPILED:
        if pattern.match(rule):
            return pattern.sub(repl, rule)
    return rule


def pasal_of(rule: str) -> str | None:
    """The Pasal a rule cites (``"Pasal 85(4)"``), if the law is the rule."""
    m = _PASAL.search(rule)
    return m.group(0) if m else None


# Pydantic error types -> Indonesian; the English text is pydantic's own message.
_PYDANTIC_ID = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal",
    "literal_error": "nilai tidak dikenal; yang diizinkan: {expected}",
    "enum": "nilai tidak dikenal; yang diizinkan: {expected}",
    "int_type": "harus bilangan bulat",
    "int_parsing": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_type": "harus berupa angka",
    "float_parsing": "harus berupa angka",
    "finite_number": "harus angka yang terhingga",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "string_type": "harus berupa teks",
    "string_too_long": "paling panjang {max_length} karakter",
    "string_too_short": "paling sedikit {min_length} karakter",
    "string_pattern_mismatch": "format tidak sesuai pola {pattern}",
    "date_type": "harus tanggal YYYY-MM-DD",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_from_datetime_inexact": "harus tanggal YYYY-MM-DD",
    "list_type": "harus berupa daftar",
    "too_long": "paling banyak {max_length} butir",
    "too_short": "paling sedikit {min_length} butir",
    "greater_than_equal": "harus >= {ge}",
    "greater_than": "harus > {gt}",
    "less_than_equal": "harus <= {le}",
    "less_than": "harus < {lt}",
    "model_type": "harus berupa objek",
    "dict_type": "harus berupa objek",
    "json_invalid": "JSON tidak valid",
    "json_type": "JSON tidak valid",
    "value_error": "{msg}",
}


def pydantic_rule(error: dict[str, Any], lang: str) -> str:
    """One pydantic error's message in the request's language."""
    msg = str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    if kind in RULES:  # a rule of matcher.rules raised as a pydantic error: look it up there
        try:
            return text(kind, lang, **(error.get("ctx") or {}))
        except (KeyError, IndexError):
            return msg
    if lang == "en":
        return msg
    template = _PYDANTIC_ID.get(str(error.get("type", "")))
    if template is None:
        return msg
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    ctx.setdefault("msg", msg.removeprefix("Value error, "))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return msg


TITLES: dict[str, tuple[str, str]] = {
    "bad-request": ("Permintaan tidak valid", "Bad request"),
    "unauthorized": ("Token tidak ada atau tidak sah", "Missing or invalid token"),
    "forbidden": ("Tidak diizinkan untuk peran ini", "Not allowed for this role"),
    "not-found": ("Tidak ditemukan", "Not found"),
    "method-not-allowed": ("Metode tidak diizinkan", "Method not allowed"),
    "validation": ("Data tidak valid", "Invalid data"),
    "not-eligible": ("Penempatan tidak memenuhi syarat", "Placement not eligible"),
    "conflict": ("Konflik dengan data yang ada", "Conflict with existing data"),
    "site-full": ("Lokasi sudah penuh", "Site is full"),
    "invalid-state": ("Status tidak memungkinkan tindakan ini", "State does not allow this"),
    "payload-too-large": ("Isi permintaan terlalu besar", "Request body too large"),
    "cohort-too-large": ("Kohort terlalu besar", "Cohort too large"),
    "unsupported-media-type": ("Jenis isi tidak didukung", "Unsupported media type"),
    "not-acceptable": ("Format jawaban tidak tersedia", "Response format not available"),
    "not-ready": ("Layanan belum siap", "Service not ready"),
    "internal": ("Kesalahan internal", "Internal error"),
    "too-many-requests": ("Terlalu banyak permintaan gagal", "Too many failed requests"),
    "work-too-large": ("Pekerjaan terlalu besar", "Work too large"),
    "cancelled": ("Dibatalkan", "Cancelled"),
}
