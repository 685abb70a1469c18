"""Suggestion and assignment bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.clients import ClientCreate, ClientFields
from api.schemas.common import Body, Id, ProblemDetails, ReasonOut, Terms


class InlineClient(ClientFields):
    client_id: Id = "inline"


class SuggestionRequest(Body):
    """One stored client (``client_id``) or an inline one (``client``), not both."""

    client_id: Id | None = None
    client: InlineClient | None = None
    top: int = Field(5, ge=1, le=50)


class SiteSuggestion(BaseModel):
    rank: int
    site_id: str
    name: str
    kind: str
    subdistrict: str
    distance_km: float
    free: int = Field(description="places left now")
    terms: Terms


class Rejection(BaseModel):
    rule: str
    count: int = Field(description="sites rejected by this rule (a site may fail several)")
    message: str
    pasal: str | None = None


class SuggestionResponse(BaseModel):
    client_id: str
    suggestions: list[SiteSuggestion]
    eligible_full: list[str] = Field(description="eligible sites without a free place")
    sites_in_reach: int
    rejected: list[Rejection]
    reason: ReasonOut | None = Field(None, description="why nothing is suggested")


class AssignmentRequest(Body):
    """A cohort: stored clients by id, inline clients, and/or every pending client.

    Inline clients are stored with the placements unless ``dry_run``.
    """

    client_ids: list[Id] = Field(default_factory=list)
    clients: list[ClientCreate] = Field(default_factory=list)
    pending: bool = Field(False, description="add every client of the Bapas with no placement")
    dry_run: bool = Field(False, description="return the plan and write nothing")
    bapas_id: Id | None = Field(None, description="only an admin of every Bapas names one")


class Alternative(BaseModel):
    site_id: str
    distance_km: float
    terms: Terms
    full: bool


class PlannedPlacement(BaseModel):
    client_id: str
    site_id: str
    distance_km: float
    pinned: bool
    terms: Terms
    alternatives: list[Alternative]
    placement_id: int | None = Field(None, description="the proposed placement (not dry runs)")


class KeptPlacement(BaseModel):
    client_id: str
    site_id: str
    placement_id: int


class UnplacedOut(BaseModel):
    client_id: str
    reason: ReasonOut


class PlanSummary(BaseModel):
    clients: int
    placed: int
    unplaced: int
    kept: int
    total_distance_km: float
    max_distance_km: float
    status: str
    objective: int
    runtime_s: float


class AssignmentResult(BaseModel):
    dry_run: bool
    summary: PlanSummary
    placements: list[PlannedPlacement]
    kept: list[KeptPlacement] = Field(description="clients with an active placement, kept")
    unplaced: list[UnplacedOut]
    superseded: list[int] = Field(description="earlier proposals replaced by this plan")


class AssignmentJob(BaseModel):
    job_id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    stage: str
    progress: float = Field(ge=0, le=1)
    cohort: int
    result: AssignmentResult | None = None
    error: ProblemDetails | None = None
