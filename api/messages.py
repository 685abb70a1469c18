"""The response language (Indonesian by default, English on request) and the problem titles.

Every rule's text, in both languages, is in :mod:`matcher.rules`; nothing here translates one.
"""

from __future__ import annotations

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
}
