"""``penempatan calendar``: one placement's work calendar from its files, its attendance record
replayed, the warning letters, the breach notice and the completion statement.

The attendance file is a CSV with ``date,outcome,hours,reason`` (outcome: hadir, izin, mangkir,
dipulangkan, dibatalkan; reason for izin: sakit, bekerja, keluarga, sidang). Every row is checked
against the rows before it as the service checks a logged day; a refused row stops the command
with exit 2, one line per problem naming the rule and its Pasal.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.console import fail, out
from api.cli.match import ClientsOpt, ConfigOpt, SitesOpt, load_inputs
from matcher.attendance import OUTCOMES, DayRecord, State, check_entry, state
from matcher.calendar import DAY_NAMES_ID, Terms, terms_for
from matcher.law import law_of
from matcher.rules import RULES

ATTENDANCE_COLUMNS = ("date", "outcome", "hours", "reason")


def read_attendance(path: Path) -> list[tuple[str, DayRecord]]:
    """Rows of an attendance CSV as (source, record); exit 2 with every malformed row."""
    problems: list[str] = []
    rows: list[tuple[str, DayRecord]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail([f"{path}: file not found"]) from None
    except UnicodeDecodeError:
        raise fail([f"{path}: CSV must be UTF-8"]) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("date", "outcome") if c not in (reader.fieldnames or [])]
    if missing:
        raise fail([f"{path}: CSV header lacks column(s): {', '.join(missing)}"])
    for n, raw in enumerate(reader, start=2):
        src = f"{path.name} row {n}"
        try:
            day = date.fromisoformat((raw.get("date") or "").strip())
        except ValueError:
            problems.append(f"{src}: date = {raw.get('date')!r}: must be a date YYYY-MM-DD")
            continue
        outcome = (raw.get("outcome") or "").strip().lower()
        if outcome not in OUTCOMES:
            problems.append(
                f"{src}: outcome = {outcome!r}: unknown value; allowed: {', '.join(OUTCOMES)}"
            )
            continue
        try:
            hours = float((raw.get("hours") or "0").strip() or 0)
        except ValueError:
            problems.append(f"{src}: hours = {raw.get('hours')!r}: must be a number")
            continue
        if not 0 <= hours <= 8:
            problems.append(f"{src}: hours = {hours:g}: must be within 0-8")
            continue
        rows.append((src, DayRecord(day, outcome, hours, (raw.get("reason") or "").strip())))
    if problems:
        raise fail(problems)
    return rows


def replay(
    terms: Terms, rows: list[tuple[str, DayRecord]], as_of: date
) -> tuple[list[DayRecord], list[str]]:
    """The rows accepted in order, and a line per refusal (rule, Pasal, detail)."""
    accepted: list[DayRecord] = []
    problems: list[str] = []
    for src, rec in sorted(rows, key=lambda r: r[1].day):
        refusals = check_entry(terms, accepted, rec, today=as_of)
        if refusals:
            problems += [
                f"{src}: {r.field} = {r.value!r}: aturan {r.rule}: {r.message_id}" for r in refusals
            ]
        else:
            accepted.append(rec)
    return accepted, problems


def calendar(
    sites: SitesOpt,
    clients: ClientsOpt,
    client_id: Annotated[str, typer.Option("--client-id", help="The client")],
    site_id: Annotated[str, typer.Option("--site-id", help="The site of the placement")],
    confirmed: Annotated[
        str, typer.Option("--confirmed", help="The day the placement was confirmed (YYYY-MM-DD)")
    ],
    attendance: Annotated[
        Path | None, typer.Option("--attendance", help="Attendance CSV: date,outcome,hours,reason")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report day (default: the last record's day)")
    ] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Write the calendar as .ics")] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write the calendar as CSV")
    ] = None,
    letters: Annotated[
        Path | None, typer.Option("--letters", help="Folder for warnings, breach, completion")
    ] = None,
    placement_id: Annotated[str, typer.Option(help="Placement number on letters")] = "1",
    pk: Annotated[str, typer.Option(help="The PK's name on letters")] = "",
    bapas: Annotated[str, typer.Option(help="The Bapas on letters")] = "Bapas",
    config: ConfigOpt = None,
) -> None:
    """A placement's work calendar, its attendance replayed, and its letters."""
    from api.files.letters import Case, breach_notice, completion_statement, warning_letter
    from api.files.workcalendar import calendar_csv, calendar_ics

    problems: list[str] = []
    days: dict[str, date] = {}
    for name, value in (("--confirmed", confirmed), ("--as-of", as_of)):
        if value is None:
            continue
        try:
            days[name] = date.fromisoformat(value)
        except ValueError:
            problems.append(f"{name} = {value!r}: must be a date YYYY-MM-DD")
    if problems:
        raise fail(problems)
    inputs = load_inputs(sites, clients, config)
    site_list, client_list, policy = inputs.sites, inputs.clients, inputs.policy
    client = next((c for c in client_list if c.client_id == client_id), None)
    site = next((s for s in site_list if s.site_id == site_id), None)
    if client is None:
        problems.append(f"{clients}: client_id = {client_id!r}: names no client in this file")
    if site is None:
        problems.append(f"{sites}: site_id = {site_id!r}: names no site in this file")
    if client is None or site is None:
        raise fail(problems)
    terms = terms_for(client, site, policy, days["--confirmed"])
    rows = read_attendance(attendance) if attendance is not None else []
    last = max((r.day for _, r in rows), default=terms.start)
    day = days.get("--as-of") or last
    records, refused = replay(terms, rows, day)
    if refused:
        raise fail(refused)
    st = state(terms, records, policy.ladder, as_of=day)
    _print_state(client_id, site.name, terms, st)
    if csv_path is not None:
        csv_path.write_text(calendar_csv(st.calendar), encoding="utf-8")
        out.print(f"Kalender ditulis ke {csv_path}")
    if ics is not None:
        ics.write_bytes(calendar_ics(st.calendar, placement_id=placement_id, site_name=site.name))
        out.print(f"Kalender iCalendar ditulis ke {ics}")
    if letters is not None:
        letters.mkdir(parents=True, exist_ok=True)
        case = Case(
            client_id=client.client_id,
            placement_id=placement_id,
            site_id=site.site_id,
            site_name=site.name,
            sentence=client.sentence,
            hours=client.hours,
            deadline=client.deadline,
            start=terms.start,
            bapas=bapas,
            pk=pk,
        )
        written = []
        for step in st.steps:
            if step.kind == "peringatan":
                at = state(
                    terms, [r for r in records if r.day <= step.day], policy.ladder, as_of=step.day
                )
                path = letters / f"peringatan-{step.number}.txt"
                path.write_text(warning_letter(case, step, at), encoding="utf-8")
                written.append(path.name)
        if st.breach is not None:
            at = state(
                terms,
                [r for r in records if r.day <= st.breach.day],
                policy.ladder,
                as_of=st.breach.day,
            )
            (letters / "pemberitahuan-pelanggaran.txt").write_text(
                breach_notice(case, at, records), encoding="utf-8"
            )
            written.append("pemberitahuan-pelanggaran.txt")
        if st.done:
            (letters / "surat-keterangan-selesai.txt").write_text(
                completion_statement(case, st, records, day=day), encoding="utf-8"
            )
            written.append("surat-keterangan-selesai.txt")
        out.print(f"Surat ditulis ke {letters}/: {', '.join(written) or '(belum ada)'}")


def _print_state(client_id: str, site_name: str, terms: Terms, st: State) -> None:
    law = law_of(terms.sentence)
    out.print(f"[bold]Kalender kerja {client_id} di {site_name}[/bold]")
    t = Table()
    for col in ("tanggal", "hari", "jam"):
        t.add_column(col, justify="right" if col == "jam" else "left")
    for s in st.calendar.slots:
        t.add_row(s.day.isoformat(), DAY_NAMES_ID[s.day.weekday()], str(s.hours))
    if st.calendar.slots:
        out.print(t)
    out.print(
        f"{law.name_id} ({law.law}): {st.hours_done:g} dari {terms.hours:g} jam selesai, sisa "
        f"{st.remaining:g}; paling banyak {terms.day_limit} jam sehari; mulai "
        f"{terms.start.isoformat()}, tenggat {terms.deadline.isoformat()}; status {st.status}",
        soft_wrap=True,
    )
    counts = ", ".join(f"{k} {v}" for k, v in st.counts.items() if v)
    if counts:
        out.print(f"Kehadiran sampai {st.as_of.isoformat()}: {counts}")
    for step in st.steps:
        what = {"peringatan": f"surat peringatan ke-{step.number}", "catat": "dicatat"}.get(
            step.kind, "pemberitahuan pelanggaran kepada jaksa"
        )
        out.print(f"Mangkir ke-{step.count} ({step.day.isoformat()}): {what}")
    if st.calendar.shortfall is not None:
        sf = st.calendar.shortfall
        rule = RULES["calendar_shortfall"]
        since = f" sejak {sf.since.isoformat()}" if sf.since else ""
        out.print(
            f"[bold red]PERINGATAN[/bold red] {rule.indonesian}{since} ({law.pasal_period}): "
            f"{sf.message_id}",
            soft_wrap=True,
        )
    elif st.calendar.finishes is not None:
        out.print(f"Selesai menurut kalender: {st.calendar.finishes.isoformat()}")
