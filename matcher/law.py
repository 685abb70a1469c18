"""The statutes' numbers, in one place, each with its citation.

Two orders reach a Bapas as community service:

* ``kerja_sosial``: pidana kerja sosial for an adult, KUHP (UU No. 1 Tahun 2023) Pasal 85;
* ``pelayanan_masyarakat``: pidana pelayanan masyarakat for a child (Anak, 12 to under 18 at the
  offence), UU No. 11 Tahun 2012 tentang Sistem Peradilan Pidana Anak (SPPA) Pasal 76, one of the
  conditions of pidana dengan syarat (Pasal 71 ayat (1) huruf b, Pasal 73).

Everything else in the code reads these numbers and citations from here. Where a text could not be
checked against the published statute, ``checked`` is False and the README says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Sentence = Literal["kerja_sosial", "pelayanan_masyarakat"]
SENTENCES: tuple[str, ...] = get_args(Sentence)
DEFAULT_SENTENCE: Sentence = "kerja_sosial"

KUHP = "KUHP, UU No. 1 Tahun 2023"
SPPA = "UU No. 11 Tahun 2012 tentang Sistem Peradilan Pidana Anak"


@dataclass(frozen=True, slots=True)
class OrderLaw:
    """The limits one kind of order must keep, and where each limit is written.

    Attributes
    ----------
    hours_min, hours_max:
        Total hours the court may order.
    hours_per_day_max:
        The statute's ceiling on hours a day (None: the statute sets none; policy does).
    max_months:
        The longest completion period the statute allows (None: none set by this article).
    age_min, age_below:
        Age at the offence: ``age_min <= age < age_below`` (None: no bound from this law).
    pasal_*:
        The citation of each limit, as a person writes it in a letter.
    options:
        What the verdict may order when the work is not done without a valid reason.
    """

    sentence: str
    name_id: str
    name_en: str
    law: str
    hours_min: int
    hours_max: int
    hours_per_day_max: int | None
    max_months: int | None
    age_min: int | None
    age_below: int | None
    pasal_hours: str
    pasal_per_day: str
    pasal_period: str
    pasal_age: str
    pasal_breach: str
    pasal_supervision: str
    options_id: tuple[str, ...]
    options_en: tuple[str, ...]
    checked: bool


KERJA_SOSIAL = OrderLaw(
    sentence="kerja_sosial",
    name_id="pidana kerja sosial",
    name_en="community service (kerja sosial)",
    law=KUHP,
    hours_min=8,
    hours_max=240,
    hours_per_day_max=8,
    max_months=6,
    age_min=18,
    age_below=None,
    pasal_hours="Pasal 85(4) KUHP",
    pasal_per_day="Pasal 85(5)-(6) KUHP",
    pasal_period="Pasal 85(5) KUHP",
    pasal_age="Pasal 1 angka 3 UU No. 11 Tahun 2012",
    pasal_breach="Pasal 85(7) KUHP",
    pasal_supervision="Pasal 85(8) KUHP",
    options_id=(
        "mengulangi seluruh atau sebagian pidana kerja sosial",
        "menjalani seluruh atau sebagian pidana penjara yang diganti dengan pidana kerja sosial",
        "membayar seluruh atau sebagian pidana denda yang diganti dengan pidana kerja sosial "
        "atau menjalani pidana penjara sebagai pengganti denda yang tidak dibayar",
    ),
    options_en=(
        "repeat all or part of the community service",
        "serve all or part of the prison term it replaced",
        "pay all or part of the fine it replaced, or serve prison in lieu of the unpaid fine",
    ),
    checked=False,
)
"""KUHP Pasal 85: (4) 8 to 240 hours; (5) at most 8 hours a day, within at most 6 months;
(6) the verdict states the hours a day and the period; (7) the options on non-compliance;
(8) the jaksa supervises, the PK guides. Read from the project's domain brief (DOMAIN.md), not
from the State Gazette: ``checked`` is False."""

PELAYANAN_MASYARAKAT = OrderLaw(
    sentence="pelayanan_masyarakat",
    name_id="pidana pelayanan masyarakat",
    name_en="community service for a child (pelayanan masyarakat)",
    law=SPPA,
    hours_min=7,
    hours_max=120,
    hours_per_day_max=None,
    max_months=None,
    age_min=12,
    age_below=18,
    pasal_hours="Pasal 76(3) UU No. 11 Tahun 2012",
    pasal_per_day="putusan hakim (UU No. 11 Tahun 2012 tidak mengatur jam per hari)",
    pasal_period="Pasal 73 UU No. 11 Tahun 2012",
    pasal_age="Pasal 1 angka 3 UU No. 11 Tahun 2012",
    pasal_breach="Pasal 76(2) UU No. 11 Tahun 2012",
    pasal_supervision="Pasal 76 UU No. 11 Tahun 2012",
    options_id=(
        "atas usul pejabat pembina kepada hakim pengawas, Anak diperintahkan mengulangi "
        "seluruh atau sebagian pidana pelayanan masyarakat",
    ),
    options_en=(
        "on the proposal of the supervising official to the supervising judge, the child is "
        "ordered to repeat all or part of the community service",
    ),
    checked=False,
)
"""UU SPPA: Pasal 1 angka 3 (a child is 12 to under 18), Pasal 71 ayat (1) huruf b and Pasal 73
(pidana dengan syarat), Pasal 76 ayat (1) (purpose: to educate), (2) (repeat on the proposal of
the pejabat pembina), (3) 7 to 120 hours. The 7-120 hours come from the project's domain brief;
the ayat numbers of Pasal 76 could not be checked against the gazette here: ``checked`` is False.
The SPPA sets no hours a day and no 6-month period: the verdict's hours a day apply, capped by the
children's policy (``[children]`` in policy.toml)."""

LAWS: dict[str, OrderLaw] = {
    KERJA_SOSIAL.sentence: KERJA_SOSIAL,
    PELAYANAN_MASYARAKAT.sentence: PELAYANAN_MASYARAKAT,
}


def law_of(sentence: str) -> OrderLaw:
    """The law of an order type (``kerja_sosial`` when empty)."""
    return LAWS[sentence or DEFAULT_SENTENCE]
