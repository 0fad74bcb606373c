"""JSON routes of cases and joint operations (read side): the same services as the pages, so the handling
markings filter every list, count and figure exactly as they do on screen."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ipec.cases import services
from ipec.cases.schemas import CaseOut
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1", tags=["cases"])


class CasePage(BaseModel):
    items: list[CaseOut]
    total: int


class OperationFigures(BaseModel):
    reference: str
    name: str
    cases: int
    countries: list[str]
    totals: dict[str, int]
    by_country: dict[str, dict[str, int]]
    by_week: dict[str, dict[str, int]]


@router.get("/cases", response_model=CasePage)
def list_cases(ctx: Ctx, operation_id: str | None = None, state: str | None = None) -> CasePage:
    """Cases the caller may see (its organisation's, those it takes part in, or shared with it)."""
    cases = services.visible_cases(ctx, operation_id=operation_id, state=state)
    return CasePage(items=[CaseOut(**services.case_summary(ctx, c)) for c in cases], total=len(cases))


@router.get("/cases/{case_id}", response_model=CaseOut)
def get_case(case_id: str, ctx: Ctx) -> CaseOut:
    return CaseOut(**services.case_summary(ctx, services.get_case(ctx, case_id)))


@router.get("/operations/{operation_id}/dashboard", response_model=OperationFigures)
def operation_dashboard(operation_id: str, ctx: Ctx) -> OperationFigures:
    """Seizures, articles, value (cents) and arrests by country and ISO week, from the visible cases only."""
    d = services.dashboard(ctx, operation_id)
    return OperationFigures(reference=d.operation.reference, name=d.operation.name, cases=d.cases,
                            countries=d.countries, totals=d.totals, by_country=d.by_country, by_week=d.by_week)
