"""The words of the pages (labels, headings, buttons), in Indonesian and English.

Only the page's own furniture lives here. Every sentence about a rule (why a site is rejected,
which Pasal) comes from ``matcher`` through the services, and errors come from the services'
problems in the same two languages; nothing here rewords them.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # frame
    "app": ("Penempatan", "Penempatan"),
    "tagline": ("Penempatan pidana kerja sosial", "Community-service placement"),
    "skip": ("Langsung ke isi", "Skip to content"),
    "nav": ("Menu utama", "Main menu"),
    "beranda": ("Beranda", "Home"),
    "klien": ("Klien", "Clients"),
    "jam": ("Jam kerja", "Work hours"),
    "lokasi": ("Lokasi", "Sites"),
    "kohort": ("Penempatan kohort", "Cohort placement"),
    "laporan": ("Laporan", "Report"),
    "perencanaan": ("Perencanaan", "Planning"),
    "pengguna": ("Pengguna", "Users"),
    "keluar": ("Keluar", "Sign out"),
    "bahasa": ("English", "Bahasa Indonesia"),
    "signed_in_as": ("Masuk sebagai", "Signed in as"),
    "role_officer": ("PK (petugas)", "probation officer"),
    "role_planner": ("perencana", "planner"),
    "role_admin": ("admin", "admin"),
    "all_bapas": ("semua Bapas", "every Bapas"),
    "api_docs": ("Dokumentasi API", "API documentation"),
    # sign-in
    "masuk": ("Masuk", "Sign in"),
    "masuk_intro": (
        "Masuk dengan nama pengguna dan kata sandi dari admin Bapas Anda.",
        "Sign in with the user name and password from your Bapas admin.",
    ),
    "username": ("Nama pengguna", "User name"),
    "password": ("Kata sandi", "Password"),
    "bad_login": ("Nama pengguna atau kata sandi salah.", "Wrong user name or password."),
    "bad_csrf": (
        "Formulir kedaluwarsa atau tidak sah; muat ulang halaman dan coba lagi.",
        "The form expired or is not valid; reload the page and try again.",
    ),
    "signed_out": ("Anda sudah keluar.", "You are signed out."),
    # beranda
    "hari_ini": ("Hari ini", "Today"),
    "menunggu": ("Klien menunggu tempat", "Clients waiting for a place"),
    "berisiko": ("Berisiko melewati tenggat", "At risk of missing the deadline"),
    "berakhir": ("Tenggat minggu ini", "Deadline this week"),
    "catat_jam": ("Jam yang perlu dicatat", "Hours to log"),
    "none": ("Tidak ada.", "None."),
    "more": ("lainnya", "more"),
    "planner_home": (
        "Kelola daftar lokasi, baca laporan pengawasan, dan jalankan skenario perencanaan.",
        "Manage the site registry, read the supervision report and run planning scenarios.",
    ),
    # clients
    "cari": ("Cari", "Search"),
    "cari_klien": ("Cari id klien", "Search client id"),
    "filter": ("Tampilkan", "Show"),
    "semua": ("semua", "all"),
    "belum_ditempatkan": ("belum ditempatkan", "not placed"),
    "sudah_ditempatkan": ("sudah ditempatkan", "placed"),
    "client_id": ("Id klien", "Client id"),
    "jam_putusan": ("Jam (putusan)", "Hours (verdict)"),
    "jam_sehari": ("Jam sehari", "Hours a day"),
    "mulai": ("Mulai", "Start"),
    "tenggat": ("Tenggat", "Deadline"),
    "hari_tersedia": ("Hari tersedia", "Days available"),
    "penempatan": ("Penempatan", "Placement"),
    "status": ("Status", "Status"),
    "jam_selesai": ("Jam selesai", "Hours done"),
    "sisa_jam": ("Sisa jam", "Hours left"),
    "sisa_hari": ("Sisa hari", "Days left"),
    "sisa_hari_kerja": ("Sisa hari kerja", "Working days left"),
    "putusan": ("Putusan", "Court order"),
    "tindak_pidana": ("Jenis tindak pidana", "Offence"),
    "keahlian": ("Keahlian", "Skills"),
    "lokasi_putusan": ("Lokasi yang ditetapkan pengadilan", "Court-fixed site"),
    "cari_lokasi": ("Cari lokasi", "Find a site"),
    "saran": ("Saran lokasi", "Suggested sites"),
    "peringkat": ("Peringkat", "Rank"),
    "nama": ("Nama", "Name"),
    "jenis": ("Jenis", "Kind"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "jarak_km": ("Jarak (km)", "Distance (km)"),
    "sisa_tempat": ("Sisa tempat", "Free places"),
    "alasan": ("Alasan", "Reason"),
    "cocok_keahlian": ("cocok dengan keahlian", "matches a skill"),
    "terdekat": ("jarak terdekat yang memenuhi semua syarat", "nearest site meeting every rule"),
    "usulkan": ("Usulkan", "Propose"),
    "konfirmasi": ("Konfirmasi", "Confirm"),
    "ditolak": ("Lokasi ditolak menurut aturan", "Sites rejected by rule"),
    "aturan": ("Aturan", "Rule"),
    "pasal": ("Pasal", "Pasal"),
    "jumlah_lokasi": ("Lokasi", "Sites"),
    "penuh": ("Memenuhi syarat tetapi penuh", "Eligible but full"),
    "dalam_jangkauan": ("lokasi dalam jangkauan", "sites in reach"),
    "peta": ("Peta", "Map"),
    "peta_klien": (
        "Peta: rumah klien, lokasi yang disarankan dan yang penuh",
        "Map: the client's home, suggested and full sites",
    ),
    "rumah": ("Rumah klien", "Client's home"),
    "disarankan": ("Disarankan (nomor = peringkat)", "Suggested (number = rank)"),
    "lokasi_penuh": ("Penuh", "Full"),
    "lokasi_lain": ("Lokasi lain", "Other site"),
    "lokasi_kini": ("Penempatan sekarang", "Current placement"),
    "diusulkan_ok": (
        "Penempatan diusulkan. Konfirmasi untuk mengambil tempat.",
        "Placement proposed. Confirm it to take the place.",
    ),
    "dikonfirmasi_ok": ("Penempatan dikonfirmasi dan aktif.", "Placement confirmed and active."),
    "kalah_cepat": (
        "Tempat terakhir di lokasi {site} baru saja diambil oleh petugas lain, sehingga "
        "penempatan ini tidak dapat dikonfirmasi. Tidak ada yang berubah untuk klien ini.",
        "The last place at site {site} was just taken by another officer, so this placement "
        "could not be confirmed. Nothing changed for this client.",
    ),
    "saran_berikut": ("Saran berikutnya", "Next suggestion"),
    "tidak_ada_saran": ("Tidak ada lokasi yang dapat disarankan.", "No site can be suggested."),
    "status_proposed": ("diusulkan", "proposed"),
    "status_active": ("aktif", "active"),
    "status_completed": ("selesai", "completed"),
    "status_revoked": ("dicabut", "revoked"),
    "status_unplaced": ("belum ditempatkan", "not placed"),
    "berisiko_ya": ("BERISIKO", "AT RISK"),
    "ya": ("ya", "yes"),
    "tidak": ("tidak", "no"),
    # hours
    "catat": ("Catat jam", "Log hours"),
    "tanggal": ("Tanggal", "Date"),
    "jam_kerja": ("Jam", "Hours"),
    "tersimpan": ("Jam tersimpan.", "Hours saved."),
    "kalender": ("Kalender hari kerja", "Calendar of working days"),
    "kalender_intro": (
        "Hari kerja: hari tersedia klien dan hari buka lokasi, tanpa hari libur nasional.",
        "Working days: the client's available days and the site's open days, "
        "without public holidays.",
    ),
    "hari_kerja": ("hari kerja", "working day"),
    "libur": ("libur", "holiday"),
    "bukan_hari_kerja": ("bukan hari kerja", "not a working day"),
    "tercatat": ("tercatat", "logged"),
    "riwayat": ("Jam tercatat", "Hours logged"),
    "pilih_penempatan": ("Pilih penempatan aktif", "Choose an active placement"),
    # sites
    "registri": ("Daftar lokasi", "Site registry"),
    "kapasitas": ("Kapasitas", "Capacity"),
    "terisi": ("Terisi", "Taken"),
    "aktif": ("Aktif", "Active"),
    "disetujui": ("Disetujui", "Approved"),
    "komersial": ("Komersial", "Commercial"),
    "tambah_lokasi": ("Tambah lokasi", "Add a site"),
    "ubah": ("Ubah", "Edit"),
    "simpan": ("Simpan", "Save"),
    "nonaktifkan": ("Nonaktifkan", "Deactivate"),
    "aktifkan": ("Aktifkan", "Activate"),
    "unggah": ("Unggah berkas lokasi", "Upload a site file"),
    "unggah_intro": (
        "CSV atau GeoJSON sesuai format data. Semua baris diimpor, atau tidak ada sama sekali.",
        "CSV or GeoJSON in the data format. Every row is imported, or none at all.",
    ),
    "berkas": ("Berkas", "File"),
    "impor_ok": (
        "{created} lokasi baru, {updated} diperbarui.",
        "{created} new sites, {updated} updated.",
    ),
    "impor_gagal": (
        "Tidak ada yang diimpor. Perbaiki baris berikut lalu unggah lagi:",
        "Nothing was imported. Fix these rows and upload again:",
    ),
    "baris": ("Baris", "Row"),
    "kolom": ("Kolom", "Field"),
    "nilai": ("Nilai", "Value"),
    "masalah": ("Masalah", "Problem"),
    "peta_lokasi": ("Peta lokasi dan keterisian", "Map of sites and occupancy"),
    "ada_tempat": ("Ada tempat", "Has room"),
    "nonaktif": ("Nonaktif", "Inactive"),
    "lat": ("Lintang (lat)", "Latitude (lat)"),
    "lon": ("Bujur (lon)", "Longitude (lon)"),
    "hari_buka": ("Hari buka", "Open days"),
    "populasi": ("Yang hadir di lokasi", "Who is present"),
    "bahaya": ("Bahaya", "Hazards"),
    "beban": ("Beban fisik", "Physical demand"),
    "gender_policy": ("Kebijakan gender", "Gender policy"),
    "supervisor_gender": ("Pengawas", "Supervisors"),
    "agama": ("Agama (tempat ibadah)", "Religion (place of worship)"),
    "jenis_kerja": ("Jenis pekerjaan", "Work types"),
    "kabupaten": ("Kabupaten", "District"),
    "site_id": ("Id lokasi", "Site id"),
    "tersimpan_lokasi": ("Lokasi tersimpan.", "Site saved."),
    "planner_only": (
        "Hanya perencana yang dapat mengubah lokasi.",
        "Only planners can change sites.",
    ),
    # cohort
    "kohort_intro": (
        "Tempatkan semua klien yang menunggu secara optimal pada tempat yang masih kosong. "
        "Uji coba dulu, periksa, lalu konfirmasi semua atau sebagian.",
        "Place every waiting client optimally at the free places. Run a dry run, review it, "
        "then confirm all or some.",
    ),
    "uji_coba": ("Uji coba (tidak menyimpan apa pun)", "Dry run (saves nothing)"),
    "ringkasan": ("Ringkasan", "Summary"),
    "klien_n": ("Klien", "Clients"),
    "ditempatkan": ("Ditempatkan", "Placed"),
    "tidak_ditempatkan": ("Belum dapat ditempatkan", "Cannot be placed"),
    "status_solver": ("Status solver", "Solver status"),
    "jarak_total": ("Jarak total (km)", "Total distance (km)"),
    "pilih": ("Pilih", "Select"),
    "konfirmasi_terpilih": ("Konfirmasi yang dipilih", "Confirm the selected"),
    "hasil_konfirmasi": ("Hasil konfirmasi", "Confirmation result"),
    "berhasil": ("berhasil", "done"),
    "gagal": ("gagal", "failed"),
    "peta_kohort": ("Peta rencana penempatan", "Map of the planned placements"),
    # report
    "laporan_judul": (
        "Laporan pengawasan untuk jaksa (Pasal 85(8) KUHP)",
        "Supervision report for the prosecutor (Pasal 85(8) KUHP)",
    ),
    "unduh_csv": ("Unduh CSV", "Download CSV"),
    "per_tanggal": ("Per tanggal", "As of"),
    "lokasi_id": ("Lokasi", "Site"),
    "berisiko_kolom": ("Berisiko", "At risk"),
    "n_berisiko": ("berisiko", "at risk"),
    # planning
    "perencanaan_intro": (
        "Jalankan skenario contoh Banyumas atau unggah berkas skenario: perubahan registri "
        "yang diuji satu per satu, simulasi enam bulan, dan lokasi baru terbaik.",
        "Run the Banyumas example scenario or upload a scenario file: registry changes tested "
        "one by one, a six-month simulation, and the best new sites.",
    ),
    "jalankan_contoh": ("Jalankan skenario contoh", "Run the example scenario"),
    "berkas_skenario": ("Berkas skenario (TOML)", "Scenario file (TOML)"),
    "jalankan_berkas": ("Jalankan berkas skenario", "Run the scenario file"),
    "skenario_hint": (
        "Format seperti examples/scenario-banyumas.toml, dengan [base] generate.",
        "In the layout of examples/scenario-banyumas.toml, with [base] generate.",
    ),
    "berjalan": (
        "Sedang dihitung; ini memerlukan beberapa detik.",
        "Running; this takes a few seconds.",
    ),
    "skenario": ("Skenario", "Scenario"),
    "selisih": ("Selisih", "Change"),
    "km_rata": ("km rata-rata / p90 / maks", "km mean / p90 / max"),
    "tempat_terpakai": ("Tempat terpakai", "Places used"),
    "akses_perempuan": ("Akses perempuan", "Women's access"),
    "simulasi": ("Simulasi enam bulan", "Six months simulated"),
    "kebijakan": ("Kebijakan", "Policy"),
    "tepat_waktu": ("Selesai tepat waktu", "Finished on time"),
    "tunggu": ("Tunggu rata-rata / p90 (hari)", "Wait mean / p90 (days)"),
    "pemakaian": ("Pemakaian", "Use"),
    "persen_optimum": ("% optimum", "% of optimum"),
    "optimum_hindsight": ("optimum hindsight", "hindsight optimum"),
    "lokasi_baru": ("Lokasi baru terbaik", "Best new sites"),
    "klien_dilayani": ("Klien dilayani", "Clients served"),
    "brief": ("Ringkasan untuk Pemda", "Brief for the Pemda"),
    "peta_perencanaan": (
        "Peta: kecamatan menurut klien yang belum ditempatkan, dan lokasi baru",
        "Map: kecamatan by clients not placed, and the new sites",
    ),
    "belum_ditempatkan_kec": (
        "Klien belum ditempatkan (angka pada peta)",
        "Clients not placed (number on the map)",
    ),
    "lokasi_registri": ("Lokasi dalam registri", "Registry site"),
    "hasil_terakhir": ("Hasil terakhir", "Latest result"),
    "dihitung_pada": ("dihitung pada", "computed at"),
    "dasar": ("dasar", "base"),
    "tambahan_satu": (
        "Satu tempat tambahan: paling membantu",
        "One more place: where it helps most",
    ),
    # admin
    "buat_pengguna": ("Buat pengguna", "Create a user"),
    "nama_tampilan": ("Nama tampilan", "Display name"),
    "peran": ("Peran", "Role"),
    "kata_sandi_kosong": (
        "Kosongkan untuk kata sandi acak (ditampilkan sekali).",
        "Leave empty for a random password (shown once).",
    ),
    "atur_ulang": ("Atur ulang kata sandi", "Reset password"),
    "sandi_baru": (
        "Kata sandi untuk {user} (ditampilkan sekali, salin sekarang): ",
        "Password for {user} (shown once, copy it now): ",
    ),
    "dibuat": ("Dibuat", "Created"),
    # errors
    "galat": ("Terjadi masalah", "Something went wrong"),
    "kembali": ("Kembali ke beranda", "Back to the home page"),
    "problems": ("Masalah", "Problems"),
    "tidak_boleh": (
        "Peran Anda tidak boleh membuka halaman ini.",
        "Your role may not open this page.",
    ),
}

STATUS = ("proposed", "active", "completed", "revoked", "unplaced")


def word(key: str, lang: str, **values: object) -> str:
    """The word for ``key`` in ``lang`` (``id`` or ``en``), with ``{name}`` values filled in."""
    text_id, text_en = WORDS[key]
    text = text_en if lang == "en" else text_id
    return text.format(**values) if values else text


def source_label(source: str, lang: str) -> str:
    """A file row's source (``row 3``, ``feature 2``, ``file``) in the page's language."""
    head, _, number = source.partition(" ")
    names = {"row": ("baris", "row"), "feature": ("fitur", "feature"), "file": ("berkas", "file")}
    if head in names:
        name = names[head][1 if lang == "en" else 0]
        return f"{name} {number}".strip()
    return source
