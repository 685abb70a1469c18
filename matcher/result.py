"""The typed result of a match: summary, placements with their terms, unplaced with reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from matcher.check import Instance, result_violations


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a client is unplaced: a machine code, a sentence in Indonesian and in English.

    The sentences are filled from :data:`matcher.rules.REASONS`; the result JSON keeps the data
    contract's keys ``message_id`` (Indonesian, "id" being the language code) and ``message_en``.
    """

    code: str
    indonesian: str
    english: str
    details: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.english if lang == "en" else self.indonesian

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message_id": self.indonesian,
            "message_en": self.english,
            **self.details,
        }


@dataclass(frozen=True, slots=True)
class Terms:
    """The cost terms of one (client, site) pair; ``cost_m = distance_m - skill_bonus_m``."""

    distance_m: int
    skill_match: bool
    skill_bonus_m: int
    cost_m: int


@dataclass(frozen=True, slots=True)
class Alternative:
    """A next-best eligible site for a placed client (``full``: no room left in this plan)."""

    site_id: str
    distance_km: float
    terms: Terms
    full: bool


@dataclass(frozen=True, slots=True)
class Placement:
    client_id: str
    site_id: str
    distance_km: float
    pinned: bool
    terms: Terms
    alternatives: tuple[Alternative, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A placement as the result JSON has it (alternatives a list)."""
        out = asdict(self)
        out["alternatives"] = list(out["alternatives"])
        return out


@dataclass(frozen=True, slots=True)
class Unplaced:
    client_id: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    clients: int
    placed: int
    unplaced: int
    total_distance_km: float
    max_distance_km: float
    status: str
    objective: int
    bound: int
    runtime_s: float


@dataclass(frozen=True)
class Result:
    """A match result. ``objective`` is the total cost in metres (placements maximised first)."""

    summary: Summary
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    timings: dict[str, float] = field(default_factory=dict)
    instance: Instance | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The result JSON of the data contract (distances in km with 3 decimals)."""
        return {
            "summary": asdict(self.summary),
            "placements": [p.to_dict() for p in self.placements],
            "unplaced": [
                {"client_id": u.client_id, "reasons": [r.to_dict() for r in u.reasons]}
                for u in self.unplaced
            ],
        }

    def site_of(self) -> dict[str, str]:
        """client_id -> site_id for every placement."""
        return {p.client_id: p.site_id for p in self.placements}

    def recomputed_objective(self) -> int:
        """The objective from the placements' own terms (must equal ``summary.objective``)."""
        return sum(p.terms.cost_m for p in self.placements)

    def violations(self) -> list[str]:
        """Every hard rule this result breaks against the input it was solved from (readable
        lines; empty when feasible): one site per client, eligible pairs only, court-fixed sites,
        capacity, co-offender separation, and an objective that adds up."""
        if self.instance is None:
            raise ValueError("this result carries no instance to check against")
        return result_violations(self, self.instance)

    def is_feasible(self) -> bool:
        return not self.violations()
