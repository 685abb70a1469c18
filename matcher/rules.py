"""Every rule a person reads about, once: its key, its Pasal (or "" and a policy note), its
Indonesian and English text, and why it exists.

The api and the files only look texts up here (``RULES[key]``, :func:`text`), never reword them.
This branch (issue 13) adds the rules of the work calendar, attendance, warnings and children's
orders; the statutes' numbers and citations live in :mod:`matcher.law`.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.law import KERJA_SOSIAL, PELAYANAN_MASYARAKAT

POLICY = "kebijakan Bapas, bukan undang-undang"
"""The ``pasal`` of a rule that is Bapas policy, not statute (overridable in policy.toml)."""


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    pasal: str
    id: str
    en: str
    why: str


_ENTRIES: tuple[Rule, ...] = (
    # --- the order's type and its limits (matcher.validate) ---
    Rule(
        "sentence_kerja_sosial_hours",
        KERJA_SOSIAL.pasal_hours,
        f"pidana kerja sosial {KERJA_SOSIAL.hours_min}-{KERJA_SOSIAL.hours_max} jam",
        f"kerja sosial must be {KERJA_SOSIAL.hours_min}-{KERJA_SOSIAL.hours_max} hours in total",
        "The KUHP sets the total hours of kerja sosial.",
    ),
    Rule(
        "sentence_pelayanan_masyarakat_hours",
        PELAYANAN_MASYARAKAT.pasal_hours,
        f"pidana pelayanan masyarakat untuk Anak paling singkat {PELAYANAN_MASYARAKAT.hours_min} "
        f"jam dan paling lama {PELAYANAN_MASYARAKAT.hours_max} jam",
        f"a child's pelayanan masyarakat must be {PELAYANAN_MASYARAKAT.hours_min}-"
        f"{PELAYANAN_MASYARAKAT.hours_max} hours in total",
        "The SPPA sets the total hours of a child's community service.",
    ),
    Rule(
        "sentence_child_age",
        PELAYANAN_MASYARAKAT.pasal_age,
        "pidana pelayanan masyarakat hanya untuk Anak: umur 12 sampai belum 18 tahun saat "
        "tindak pidana",
        "pelayanan masyarakat is for a child: aged 12 to under 18 at the offence",
        "The SPPA applies to children only; the age at the offence decides.",
    ),
    Rule(
        "sentence_adult_age",
        KERJA_SOSIAL.pasal_age,
        "klien di bawah 18 tahun saat tindak pidana adalah Anak: perintahnya pidana pelayanan "
        "masyarakat (UU SPPA), bukan kerja sosial",
        "a client under 18 at the offence is a child: the order is pelayanan masyarakat "
        "(SPPA), not kerja sosial",
        "A child's order follows the SPPA; kerja sosial is the KUHP's adult penalty.",
    ),
    # --- the work calendar (matcher.calendar) ---
    Rule(
        "calendar_shortfall",
        KERJA_SOSIAL.pasal_period,
        "sisa jam tidak lagi muat sebelum tenggat",
        "the remaining hours no longer fit before the deadline",
        "The verdict's period must hold every hour; warn the day it stops fitting, not after.",
    ),
    # --- logging a day (matcher.attendance) ---
    Rule(
        "log_not_scheduled",
        KERJA_SOSIAL.pasal_per_day,
        "bukan hari kerja menurut kalender (hari tersedia klien, hari buka lokasi, bukan hari "
        "libur nasional, bukan jam sekolah Anak)",
        "not a working day on the calendar (client's days, site's open days, no public "
        "holiday, not a child's school time)",
        "The work is fitted around the client's livelihood on the days agreed; a Sunday logged "
        "for a Monday-to-Friday client is a mistake or a record that cannot be supervised.",
    ),
    Rule(
        "log_over_day_limit",
        KERJA_SOSIAL.pasal_per_day,
        "melebihi jam per hari dalam putusan (dan batas lokasi)",
        "more than the verdict's hours a day (and the site's)",
        "The verdict states the hours a day; the site's day is shorter sometimes; the law's "
        "ceiling (8) is not the verdict's.",
    ),
    Rule(
        "log_before_start",
        KERJA_SOSIAL.pasal_period,
        "sebelum tanggal mulai (konfirmasi penempatan atau start_date putusan)",
        "before the start (the placement's confirmation or the verdict's start_date)",
        "Hours count only from the placement's start.",
    ),
    Rule(
        "log_after_deadline",
        KERJA_SOSIAL.pasal_period,
        "setelah tenggat penyelesaian dalam putusan",
        "after the verdict's completion deadline",
        "The verdict sets the period; work after it is for the court to order.",
    ),
    Rule(
        "log_after_completion",
        KERJA_SOSIAL.pasal_hours,
        "semua jam dalam putusan sudah selesai",
        "every hour ordered is already done",
        "After completion nothing more is owed.",
    ),
    Rule(
        "log_beyond_remaining",
        KERJA_SOSIAL.pasal_hours,
        "melebihi sisa jam dalam putusan",
        "more than the hours remaining on the order",
        "No one works more than the court ordered.",
    ),
    Rule(
        "log_in_future",
        "",
        "tanggal di masa depan",
        "a date in the future",
        "Attendance is recorded after the day, never ahead of it.",
    ),
    Rule(
        "log_day_recorded",
        "",
        "hari itu sudah punya catatan kehadiran",
        "that day already has an attendance record",
        "One outcome per scheduled day, so that counts of absences are honest.",
    ),
    Rule(
        "log_hours_outcome",
        "",
        "jam kerja hanya dicatat untuk hadir atau dipulangkan (sebagian hari)",
        "hours are logged only for hadir, or dipulangkan (part of a day)",
        "An absence earns no hours.",
    ),
    Rule(
        "log_izin_reason",
        "",
        "izin harus dengan alasan yang sah: sakit, bekerja, keluarga atau sidang",
        "izin needs a valid reason: sakit, bekerja, keluarga or sidang",
        "Pasal 85(7) turns on 'tanpa alasan yang sah': the reason is what separates izin "
        "from mangkir.",
    ),
    # --- warnings and breach (matcher.attendance) ---
    Rule(
        "warning_ladder",
        POLICY,
        "tangga peringatan: setiap mangkir menaikkan satu anak tangga sampai pemberitahuan "
        "pelanggaran kepada jaksa",
        "warning ladder: each mangkir climbs one step, up to a breach notice to the jaksa",
        "The law names the consequences (Pasal 85(7)) but not the steps; the ladder is a Bapas's "
        "own, kept as data, and the product never decides the consequence.",
    ),
    # --- children (policy, matcher.eligibility and the api's confirm) ---
    Rule(
        "child_site_unsuitable",
        POLICY,
        "lokasi tidak ditandai layak untuk Anak",
        "site not marked suitable for children",
        "A child's service is meant to educate (SPPA Pasal 76); a Bapas marks the sites fit.",
    ),
    Rule(
        "child_hazard",
        POLICY,
        "pekerjaan berbahaya untuk Anak (ketinggian, bahan kimia, angkat berat, lalu lintas, "
        "memegang uang)",
        "hazardous work for a child (heights, chemicals, heavy lifting, traffic, cash)",
        "Children do no hazardous work.",
    ),
    Rule(
        "child_school_clash",
        POLICY,
        "bentrok dengan jam sekolah Anak: tidak ada hari bersama di luar hari sekolah",
        "clashes with the child's school: no common day outside school days",
        "School comes first; a child works on days off school or a few hours after it.",
    ),
    Rule(
        "child_adult_offender",
        POLICY,
        "di lokasi itu bekerja klien dewasa dengan tindak pidana seksual atau kekerasan",
        "an adult client convicted of a sexual or violent offence works at that site",
        "A child is never placed beside an adult sexual or violent offender.",
    ),
    Rule(
        "child_pk_anak",
        POLICY,
        "penempatan Anak harus menyebut PK Anak (pembimbing kemasyarakatan untuk Anak)",
        "a child's placement must name a PK Anak (probation officer for children)",
        "A child is guided by a PK trained for children.",
    ),
)

RULES: dict[str, Rule] = {r.key: r for r in _ENTRIES}


def text(key: str, lang: str = "id") -> str:
    """The rule's sentence in ``lang`` ("id" or "en")."""
    r = RULES[key]
    return r.en if lang == "en" else r.id
