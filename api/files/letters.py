"""Letters in Indonesian from a placement's record: the written warning for the client, the breach
notice for the jaksa, and the completion statement (surat keterangan selesai).

The letters report; they never decide. The breach notice lists the days, the hours done and
remaining, and the consequences **as the law lets the verdict state them** (Pasal 85(7) KUHP, or
Pasal 76(2) UU SPPA for a child), with the replaced penalty where the verdict's terms are on
record; which consequence follows is for the jaksa and the court. Rule texts and citations come
from ``matcher.rules`` and ``matcher.law``; nothing here words a rule anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matcher.attendance import IZIN_REASONS, OUTCOME_ID, DayRecord, State, Step
from matcher.calendar import DAY_NAMES_ID
from matcher.law import law_of

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(d: date, *, weekday: bool = False) -> str:
    """``Senin, 11 Januari 2027`` (or without the weekday)."""
    text = f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"
    return f"{DAY_NAMES_ID[d.weekday()]}, {text}" if weekday else text


def _jam(h: float) -> str:
    return f"{h:g} jam"


@dataclass(frozen=True, slots=True)
class Case:
    """What every letter names: who, where, which order and who guides it."""

    client_id: str
    placement_id: int | str
    site_id: str
    site_name: str
    sentence: str
    hours: float
    deadline: date
    start: date
    bapas: str = "Bapas"
    pk: str = ""
    replaced_prison_months: int | None = None
    replaced_fine_rp: int | None = None


def _head(title: str, number: str, day: date, to: str, about: str) -> list[str]:
    return [
        title,
        f"Nomor: {number}",
        f"Tanggal: {tanggal(day)}",
        "",
        f"Kepada Yth. {to}",
        f"Perihal: {about}",
        "",
    ]


def _order_line(c: Case) -> str:
    law = law_of(c.sentence)
    return (
        f"{law.name_id} ({law.law}) selama {_jam(c.hours)} di {c.site_name} ({c.site_id}), "
        f"penempatan {c.placement_id}, tenggat {tanggal(c.deadline)}"
    )


def _day_line(r: DayRecord) -> str:
    what = OUTCOME_ID[r.outcome]
    if r.outcome == "izin" and r.reason in IZIN_REASONS:
        what += f" ({r.reason})"
    hours = f", {_jam(r.hours)}" if r.hours else ""
    return f"  - {tanggal(r.day, weekday=True)}: {what}{hours}"


def _sign(c: Case) -> list[str]:
    child = law_of(c.sentence).sentence == "pelayanan_masyarakat"
    who = "Pembimbing Kemasyarakatan" + (" Anak" if child else "")
    return ["", c.bapas, who, c.pk or "(nama dan tanda tangan)"]


def warning_letter(c: Case, step: Step, st: State) -> str:
    """The written warning for the client after the ``step.count``-th mangkir."""
    law = law_of(c.sentence)
    lines = _head(
        f"SURAT PERINGATAN KE-{step.number}",
        f"SP-{step.number}/{c.placement_id}/{step.day.isoformat()}",
        step.day,
        f"Klien {c.client_id}",
        "ketidakhadiran tanpa alasan yang sah (mangkir)",
    )
    lines += [
        f"Saudara menjalani {_order_line(c)}.",
        f"Pada {tanggal(step.day, weekday=True)} Saudara tidak hadir tanpa alasan yang sah. "
        f"Ini adalah ketidakhadiran tanpa alasan yang sah ke-{step.count}.",
        f"Jam kerja selesai: {_jam(st.hours_done)} dari {_jam(c.hours)}; sisa "
        f"{_jam(st.remaining)}.",
    ]
    nxt = st.calendar.slots[:3]
    if nxt:
        lines.append("Jadwal kerja berikutnya:")
        lines += [f"  - {tanggal(s.day, weekday=True)}: {_jam(s.hours)}" for s in nxt]
    if st.calendar.shortfall is not None:
        lines.append(f"Perhatian: {st.calendar.shortfall.message_id}.")
    lines += [
        "",
        f"Menurut {law.pasal_breach}, jika pidana tidak dijalankan seluruhnya atau sebagian "
        "tanpa alasan yang sah, putusan menentukan akibatnya:",
        *[f"  {chr(97 + k)}. {o};" for k, o in enumerate(law.options_id)],
        "Ketidakhadiran berikutnya dicatat dan dapat dilaporkan kepada jaksa "
        f"({law.pasal_supervision}). Jika berhalangan, beritahukan PK sebelum hari kerja dengan "
        f"alasan yang sah ({', '.join(IZIN_REASONS)}).",
        *_sign(c),
    ]
    return "\n".join(lines) + "\n"


def breach_notice(c: Case, st: State, records: Sequence[DayRecord], jaksa: str = "") -> str:
    """The breach notice for the jaksa: every recorded day, hours done and remaining, warnings
    sent, and the options the law lets the verdict state. It reports; it does not decide."""
    law = law_of(c.sentence)
    assert st.breach is not None, "a breach notice needs a breach step"
    day = st.breach.day
    lines = _head(
        f"PEMBERITAHUAN PELANGGARAN PELAKSANAAN {law.name_id.upper()}",
        f"PP/{c.placement_id}/{day.isoformat()}",
        day,
        jaksa or "Jaksa Penuntut Umum / Jaksa pengawas pelaksanaan putusan",
        f"klien {c.client_id} tidak menjalankan pidana tanpa alasan yang sah",
    )
    warned = [s for s in st.steps if s.kind == "peringatan" and s.day <= day]
    lines += [
        f"Bersama ini kami sampaikan, dalam rangka pengawasan ({law.pasal_supervision}), bahwa "
        f"klien {c.client_id} yang menjalani {_order_line(c)}, sejak {tanggal(c.start)} "
        f"tidak hadir tanpa alasan yang sah sebanyak {st.breach.count} kali.",
        "",
        "Catatan kehadiran:",
        *[_day_line(r) for r in sorted(records, key=lambda r: r.day) if r.day <= day],
        "",
        f"Jam kerja dalam putusan: {_jam(c.hours)}",
        f"Jam kerja selesai: {_jam(st.hours_done)}",
        f"Sisa jam kerja: {_jam(st.remaining)}",
        f"Tenggat penyelesaian: {tanggal(c.deadline)}",
    ]
    if st.calendar.shortfall is not None:
        lines.append(f"Kalender kerja: {st.calendar.shortfall.message_id}")
    elif st.calendar.finishes is not None:
        lines.append(
            f"Kalender kerja: sisa jam masih dapat selesai pada {tanggal(st.calendar.finishes)}"
        )
    if warned:
        lines.append(
            "Peringatan tertulis yang telah diberikan: "
            + "; ".join(f"ke-{s.number} tanggal {tanggal(s.day)}" for s in warned)
        )
    replaced = []
    if c.replaced_prison_months is not None:
        replaced.append(f"pidana penjara {c.replaced_prison_months} bulan")
    if c.replaced_fine_rp is not None:
        replaced.append(f"pidana denda Rp{c.replaced_fine_rp:,}".replace(",", "."))
    lines += [
        "",
        f"Menurut {law.pasal_breach}, putusan menentukan akibat tidak dijalankannya pidana "
        "seluruhnya atau sebagian tanpa alasan yang sah, yaitu:",
        *[f"  {chr(97 + k)}. {o};" for k, o in enumerate(law.options_id)],
    ]
    if replaced:
        lines.append(f"Pidana yang diganti menurut putusan: {', '.join(replaced)}.")
    else:
        lines.append("Pidana yang diganti: lihat amar putusan.")
    lines += [
        "Pilihan di antara akibat tersebut ada pada jaksa dan pengadilan sesuai putusan; Bapas "
        "hanya melaporkan.",
        *_sign(c),
    ]
    return "\n".join(lines) + "\n"


def completion_statement(
    c: Case, st: State, records: Sequence[DayRecord], *, day: date, to: str = ""
) -> str:
    """The surat keterangan selesai for the jaksa and the court, once every hour is done."""
    law = law_of(c.sentence)
    assert st.done, "a completion statement needs every hour done"
    worked = [r for r in records if r.hours > 0]
    first = min((r.day for r in worked), default=day)
    last = max((r.day for r in worked), default=day)
    lines = _head(
        f"SURAT KETERANGAN SELESAI MENJALANI {law.name_id.upper()}",
        f"SKS/{c.placement_id}/{day.isoformat()}",
        day,
        to or "Jaksa pengawas dan Ketua Pengadilan Negeri yang memutus perkara",
        f"klien {c.client_id} telah selesai menjalani {law.name_id}",
    )
    lines += [
        f"Yang bertanda tangan di bawah ini menerangkan bahwa klien {c.client_id} telah "
        f"menjalani {_order_line(c)}, dan telah menyelesaikan seluruh {_jam(c.hours)} dalam "
        f"putusan ({law.pasal_hours}).",
        "",
        f"Hari kerja: {len(worked)} hari, {tanggal(first)} sampai {tanggal(last)}",
        f"Jam kerja selesai: {_jam(st.hours_done)} dari {_jam(c.hours)}",
        "Kehadiran: " + ", ".join(f"{OUTCOME_ID[o]} {n}" for o, n in st.counts.items() if n),
        f"Selesai sebelum tenggat {tanggal(c.deadline)}: "
        + ("ya" if last <= c.deadline else "tidak"),
        "",
        "Tempat kerja klien dibebaskan untuk penempatan berikutnya.",
        f"Demikian surat keterangan ini dibuat untuk pengawasan ({law.pasal_supervision}).",
        *_sign(c),
    ]
    return "\n".join(lines) + "\n"
