"""The officer's and planner's day in a real browser (Debian's Chromium, driven by Playwright)
against a live server with the demo district."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import Demo
from live import client_for
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture
def page(browser: Any, demo: Demo) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(60_000)
    try:
        yield p
    finally:
        context.close()


def nav(page: Any, name: str) -> None:
    """Follow a link of the main menu."""
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()


def sign_in(page: Any, demo: Demo, username: str) -> None:
    page.goto(demo.url + "/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(demo.passwords[username])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/beranda$"))


def test_sign_in_page_is_indonesian_and_wrong_password_is_refused(page: Any, demo: Demo) -> None:
    page.goto(demo.url + "/beranda")  # not signed in: the sign-in page, then back here
    assert page.url.endswith("/?next=/beranda")
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("pk.sari")
    page.get_by_label("Kata sandi").fill("not the password")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    # English on request, and back.
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    # A language link never leads to another host.
    page.goto(demo.url + "/bahasa?lang=id&next=/%5Cexample.org")
    assert page.url.startswith(demo.url)


def test_officers_day(page: Any, demo: Demo, shots: Path) -> None:
    sign_in(page, demo, "pk.sari")
    # Beranda: the placement at risk is there, as a link.
    risk = page.locator("section", has=page.get_by_role("heading", name=re.compile("Berisiko")))
    expect(risk.get_by_role("link", name=demo.ids["risk_client"])).to_be_visible()
    page.screenshot(path=str(shots / "web-beranda.png"), full_page=True)

    # Klien: find the client, open it, "Cari lokasi".
    nav(page, "Klien")
    page.get_by_label("Cari id klien").fill("K-WEB")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name=demo.ids["client"]).click()
    page.get_by_role("link", name="Cari lokasi").click()
    table = page.locator("#suggestions")
    assert table.locator("tbody tr").count() >= 1
    assert "jarak terdekat yang memenuhi semua syarat" in table.inner_text()
    rejected = page.locator("#rejected").inner_text()
    assert "terlalu jauh dari rumah" in rejected
    svg = page.locator("svg.map")
    assert svg.locator(".mark-home").count() == 1
    assert svg.locator(".mark-suggested").count() >= 1
    assert "km" in (svg.locator(".scale").text_content() or "")
    page.screenshot(path=str(shots / "web-klien.png"), full_page=True)

    # Propose the first suggestion, then confirm it.
    first = table.locator("tbody tr").first
    site_id = first.locator("td").nth(1).inner_text()
    first.get_by_role("button", name=f"Usulkan {site_id}").click()
    expect(page.get_by_role("status")).to_contain_text("Penempatan diusulkan")
    page.get_by_role("button", name=f"Konfirmasi {site_id}").click()
    expect(page.get_by_role("status")).to_contain_text("Penempatan dikonfirmasi dan aktif")

    # Jam kerja: log four hours today.
    page.get_by_role("link", name=re.compile(r"^Catat jam")).click()
    page.get_by_label("Jam", exact=True).fill("4")
    page.get_by_role("button", name="Catat jam").click()
    expect(page.get_by_role("status")).to_contain_text("Jam tersimpan")
    assert page.locator("#hours-done").inner_text().startswith("4")
    assert page.locator("#hours-left").inner_text() == "36.0"
    page.screenshot(path=str(shots / "web-jam.png"), full_page=True)

    # More than the verdict's hours a day is refused with the Pasal, and nothing is saved.
    page.get_by_label("Jam", exact=True).fill("4")
    page.get_by_role("button", name="Catat jam").click()
    expect(page.get_by_role("alert")).to_contain_text("Pasal 85(5)")
    assert page.locator("#hours-done").inner_text().startswith("4")

    # Laporan: the at-risk placement is flagged in words, and the CSV downloads.
    nav(page, "Laporan")
    row = page.locator("#report tr", has=page.get_by_text(demo.ids["risk_client"], exact=True))
    assert "BERISIKO" in row.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("client_id,placement_id,site_id,status")
    assert f"{demo.ids['risk_client']}," in text


def test_lost_race_is_told_in_plain_words(page: Any, demo: Demo) -> None:
    sign_in(page, demo, "pk.sari")
    page.goto(demo.url + "/klien/K-RACE-A?cari=1")
    row = page.locator("#suggestions tbody tr", has=page.get_by_text(demo.ids["race_site"]))
    row.get_by_role("button", name=f"Usulkan {demo.ids['race_site']}").click()
    # Meanwhile another officer's program takes the site's only place.
    api = client_for(demo.server, demo.tokens["officer"])
    r = api.post("/v1/placements", json={"client_id": "K-RACE-B", "site_id": "RACE-1"})
    assert api.post(f"/v1/placements/{r.json()['placement_id']}/confirm").status_code == 200
    api.close()
    page.get_by_role("button", name="Konfirmasi RACE-1").click()
    alert = page.locator("#race").inner_text()
    assert "baru saja diambil oleh petugas lain" in alert
    assert "sudah penuh (1 dari 1 tempat terisi)" in alert
    assert "Saran berikutnya" in alert
    assert "RACE-1" not in page.locator("#suggestions").inner_text()


def test_upload_with_one_bad_row_imports_nothing(
    page: Any, demo: Demo, tmp_path: Path, shots: Path
) -> None:
    sign_in(page, demo, "perencana.budi")
    nav(page, "Lokasi")
    csv = tmp_path / "lokasi.csv"
    csv.write_text(
        "site_id,name,kind,lat,lon,capacity,open_days,hours_per_day\n"
        "UP-1,Masjid Baru,place_of_worship,-7.42,109.23,2,mon;tue,4\n"
        "UP-2,Taman Kota,park,-7.43,109.24,-1,mon;tue,4\n",
        encoding="utf-8",
    )
    page.get_by_label("Berkas", exact=True).set_input_files(str(csv))
    page.get_by_role("button", name="Unggah berkas lokasi", exact=True).click()
    problems = page.locator("#upload-problems").inner_text()
    assert "Tidak ada yang diimpor" in problems
    assert "baris 3" in problems
    assert "capacity" in problems
    assert "UP-1" not in page.locator("#sites").inner_text()
    page.screenshot(path=str(shots / "web-lokasi.png"), full_page=True)
    # The officer's role may read the registry but not change it.
    assert page.locator("svg.map .mark-full, svg.map .mark-suggested").count() > 0


def test_planner_runs_the_example_scenario(page: Any, demo: Demo, shots: Path) -> None:
    sign_in(page, demo, "perencana.budi")
    nav(page, "Perencanaan")
    page.get_by_role("button", name="Jalankan skenario contoh").click()
    page.wait_for_selector("#scenarios", timeout=240_000)
    table = page.locator("#scenarios").inner_text()
    assert "pos-bapas-wangon" in table
    assert "dasar" in table
    assert page.locator("#new-sites tbody tr").count() == 3
    assert page.locator("svg.map .mark-new").count() == 3
    assert "Yang berubah" in page.locator("pre.brief").inner_text()
    page.screenshot(path=str(shots / "web-perencanaan.png"), full_page=True)


def test_cohort_dry_run_then_confirm_some(page: Any, demo: Demo, shots: Path) -> None:
    sign_in(page, demo, "pk.sari")
    nav(page, "Penempatan kohort")
    page.get_by_role("button", name=re.compile("Uji coba")).click()
    placed = int(page.locator("#placed").inner_text())
    assert placed > 0
    boxes = page.locator("#plan input[type=checkbox]")
    assert boxes.count() == placed
    page.screenshot(path=str(shots / "web-kohort.png"), full_page=True)
    for k in range(2, boxes.count()):
        boxes.nth(k).uncheck()
    page.get_by_role("button", name="Konfirmasi yang dipilih").click()
    rows = page.locator("#outcomes tbody tr")
    assert rows.count() == 2
    assert all("berhasil" in rows.nth(k).inner_text() for k in range(2))


def test_officer_of_another_bapas_sees_none_of_it(page: Any, demo: Demo) -> None:
    sign_in(page, demo, "pk.cilacap")
    nav(page, "Klien")
    expect(page.get_by_role("heading", name="Klien (0)")).to_be_visible()
    r = page.goto(demo.url + f"/klien/{demo.ids['client']}?cari=1")
    assert r is not None and r.status == 404
    assert "tidak ditemukan" in page.get_by_role("alert").inner_text()
    page.goto(demo.url + "/lokasi")
    expect(page.get_by_role("heading", name="Daftar lokasi (0)")).to_be_visible()
    page.goto(demo.url + "/laporan")
    assert page.locator("#report tbody tr").count() == 0
    r = page.goto(demo.url + "/perencanaan")
    assert r is not None and r.status == 403


def test_forms_need_the_sessions_csrf_token(page: Any, demo: Demo) -> None:
    sign_in(page, demo, "pk.sari")
    r = page.request.post(
        demo.url + f"/klien/{demo.ids['client']}/usulkan",
        form={"site_id": "S00001", "csrf": "forged"},
    )
    assert r.status == 403
    cookie = next(c for c in page.context.cookies() if c["name"] == "pnm_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"


def test_no_request_leaves_the_app(page: Any, demo: Demo, shots: Path) -> None:
    """Every request of every page (and of /docs) goes to the app, and nowhere else."""
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    sign_in(page, demo, "pk.sari")
    for path in (
        "/beranda",
        "/klien",
        f"/klien/{demo.ids['client']}?cari=1",
        "/jam",
        "/lokasi",
        "/lokasi/S00001",
        "/kohort",
        "/laporan",
        "/docs",
    ):
        page.goto(demo.url + path)
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Penempatan")
    page.screenshot(path=str(shots / "web-docs.png"))
    app = urlsplit(demo.url).netloc
    others = sorted({u for u in seen if urlsplit(u).netloc != app and not u.startswith("data:")})
    assert others == []
    assert len(seen) > 20


def test_planner_uploads_a_scenario_file(page: Any, demo: Demo, tmp_path: Path) -> None:
    sign_in(page, demo, "perencana.budi")
    nav(page, "Perencanaan")
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "Berkas"\n[base]\nsites = "data/sites.geojson"\n', encoding="utf-8")
    page.get_by_label("Berkas skenario (TOML)").set_input_files(str(bad))
    page.get_by_role("button", name="Jalankan berkas skenario").click()
    problems = page.locator("#scenario-problems")
    expect(problems).to_contain_text("[base] sites")
    expect(problems).to_contain_text("tidak dapat menyebut berkas lain")
    good = tmp_path / "kecil.toml"
    good.write_text(
        'title = "Uji kecil"\n'
        "[base]\n"
        'generate = { district = "banyumas", clients = 60, sites = 20, seed = 3 }\n'
        "[demand]\n"
        'source = "base"\n'
        "[[edits]]\n"
        'name = "tambah"\n'
        "add_capacity = { S00001 = 2 }\n",
        encoding="utf-8",
    )
    page.get_by_label("Berkas skenario (TOML)").set_input_files(str(good))
    page.get_by_role("button", name="Jalankan berkas skenario").click()
    expect(page.get_by_role("heading", name="Hasil terakhir: Uji kecil")).to_be_visible(
        timeout=240_000
    )
    assert "tambah" in page.locator("#scenarios").inner_text()
