"""A child's order through ``penempatan match``, and one placement's life through
``penempatan calendar``: the calendar, a refused day, the warnings, the breach notice, the
completion statement, and the .ics and CSV files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

DATA = Path(__file__).parent / "data"

SITES = (DATA / "calendar-sites.csv").read_text(encoding="utf-8")
CHILD = (DATA / "calendar-child.csv").read_text(encoding="utf-8")
ADULT = (DATA / "calendar-adult.csv").read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize(("hours", "code"), [(6, 2), (7, 0), (120, 0), (121, 2)])
def test_match_takes_a_child_order_of_7_to_120_hours(tmp_path: Path, hours: int, code: int):
    """Acceptance: 7 and 120 hours are accepted; 6 and 121 stop with exit 2 citing Pasal 76."""
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "clients.csv").write_text(CHILD.format(hours=hours), encoding="utf-8")
    r = run(
        "match",
        "--sites",
        str(tmp_path / "sites.csv"),
        "--clients",
        str(tmp_path / "clients.csv"),
        "--out",
        str(tmp_path / "r.json"),
        "-q",
    )
    assert r.returncode == code, r.stderr
    if code:
        assert f"hours = {hours}" in r.stderr and "Pasal 76(3) UU No. 11 Tahun 2012" in r.stderr
        assert "Traceback" not in r.stderr and not (tmp_path / "r.json").exists()
    else:
        result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert [p["site_id"] for p in result["placements"]] == ["S1"]


def _calendar(tmp_path: Path, attendance: str, *more: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "clients.csv").write_text(ADULT, encoding="utf-8")
    (tmp_path / "att.csv").write_text("date,outcome,hours,reason\n" + attendance, "utf-8")
    return run(
        "calendar",
        "--sites",
        str(tmp_path / "sites.csv"),
        "--clients",
        str(tmp_path / "clients.csv"),
        "--client-id",
        "K-0107",
        "--site-id",
        "S2",
        "--confirmed",
        "2027-01-04",
        "--attendance",
        str(tmp_path / "att.csv"),
        *more,
    )


def test_calendar_refuses_a_sunday_and_an_over_long_day_citing_the_pasal(tmp_path: Path):
    r = _calendar(tmp_path, "2027-01-04,hadir,4,\n2027-01-10,hadir,4,\n2027-01-06,hadir,6,\n")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "att.csv row 3: date = '2027-01-10'" in r.stderr and "log_not_scheduled" in r.stderr
    assert "Minggu" in r.stderr
    assert "log_over_day_limit" in r.stderr and "Pasal 85(5)-(6) KUHP" in r.stderr


def test_calendar_walks_to_a_breach_notice(tmp_path: Path):
    """hadir, mangkir, izin sakit, mangkir, mangkir: two warnings, then the breach notice that
    lists the days, hours done and remaining, and the three options of Pasal 85(7)."""
    att = (
        "2027-01-04,hadir,4,\n2027-01-06,mangkir,,\n2027-01-08,izin,,sakit\n"
        "2027-01-11,mangkir,,\n2027-01-13,mangkir,,\n"
    )
    r = _calendar(tmp_path, att, "--letters", str(tmp_path / "surat"))
    assert r.returncode == 0, r.stderr
    assert "status pelanggaran" in r.stdout
    names = sorted(p.name for p in (tmp_path / "surat").iterdir())
    assert names == ["pemberitahuan-pelanggaran.txt", "peringatan-1.txt", "peringatan-2.txt"]
    notice = (tmp_path / "surat" / "pemberitahuan-pelanggaran.txt").read_text(encoding="utf-8")
    assert "Jam kerja selesai: 4 jam" in notice and "Sisa jam kerja: 12 jam" in notice
    assert "Rabu, 13 Januari 2027: mangkir" in notice and "izin (sakit)" in notice
    assert "Pasal 85(7) KUHP" in notice and "  c. membayar" in notice
    assert "Bapas hanya melaporkan" in notice


def test_calendar_walks_to_completion_with_ics_and_csv(tmp_path: Path):
    att = "".join(f"2027-01-{d:02d},hadir,4,\n" for d in (4, 6, 8, 11))
    r = _calendar(
        tmp_path,
        att[: att.rindex("2027-01-11")],
        "--ics",
        str(tmp_path / "k.ics"),
        "--csv",
        str(tmp_path / "k.csv"),
    )
    assert r.returncode == 0, r.stderr
    cal = icalendar.Calendar.from_ical((tmp_path / "k.ics").read_bytes())
    (event,) = cal.walk("VEVENT")
    assert str(event["dtstart"].dt) == "2027-01-11" and "4 jam" in str(event["summary"])
    assert (tmp_path / "k.csv").read_text("utf-8").splitlines() == [
        "date,weekday,hours,cumulative_hours",
        "2027-01-11,Senin,4,16",
    ]
    r = _calendar(tmp_path, att, "--letters", str(tmp_path / "surat"))
    assert r.returncode == 0, r.stderr
    assert "status selesai" in r.stdout
    text = (tmp_path / "surat" / "surat-keterangan-selesai.txt").read_text(encoding="utf-8")
    assert "SURAT KETERANGAN SELESAI" in text and "seluruh 16 jam" in text
    assert "4 Januari 2027 sampai 11 Januari 2027" in text
