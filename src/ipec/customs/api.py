"""JSON routes of customs (thin: parse, call services or the read-only reports, shape the answer)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import Response

from ipec.customs import reports, services
from ipec.customs.models import Application, Detention, Seizure
from ipec.customs.schemas import (
    ApplicationIn,
    ApplicationOut,
    BreakdownRow,
    DetentionIn,
    DetentionOut,
    DetentionSummary,
    GrantIn,
    GuideIn,
    InformationRequestIn,
    MoveIn,
    NotificationOut,
    RefuseIn,
    SeizureOut,
    StatisticsOut,
    StepOut,
)
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1", tags=["customs"])
PREFIX = "/customs"


def application_out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        id=app.id, reference=app.reference, profile=app.profile, country=app.country, union_wide=app.union_wide,
        countries=app.countries, holder_id=app.holder_id, representative=app.representative,
        right_ids=app.right_ids, restricted=app.restricted, small_consignments=app.small_consignments,
        status=app.status, received_on=app.received_on, decision_due=app.decision_due,
        information_due=app.information_due, decided_on=app.decided_on, valid_until=app.valid_until,
        extension_request_due=app.extension_request_due, extension_requested_on=app.extension_requested_on,
        refusal_reason=app.refusal_reason,
    )


def summary_out(ctx: Any, row: Detention) -> DetentionSummary:
    today = ctx.clock.today()
    left = services.days_left(row, today) if not row.closed else {}
    return DetentionSummary(
        id=row.id, goods_id=row.goods_id, country=row.country, path=row.path, state=row.state,
        outcome=row.outcome, closed=row.closed, since=row.since, description=row.description,
        quantity=row.quantity, deadlines={k: row.deadlines[k] for k in left}, days_left=left,
        overdue=dict(row.overdue),
    )


def detention_out(ctx: Any, detention_id: str) -> DetentionOut:
    view = services.detention_view(ctx, detention_id)
    row = services.require_detention(ctx, detention_id)
    steps = [StepOut(kind=s.kind, name=s.name, on=s.on, party=s.party, before=s.before, after=s.after,
                     outcome=s.outcome, source=s.source) for s in row.steps]
    return DetentionOut(**view, steps=steps)


def seizure_out(s: Seizure) -> SeizureOut:
    return SeizureOut(
        goods_id=s.goods_id, country=s.country, procedure=s.procedure, outcome=s.outcome,
        product_category=s.product_category, ipr_type=s.ipr_type, transport_mode=s.transport_mode,
        traffic=s.traffic, provenance=s.provenance, quantity=s.quantity, retail_value_cents=s.retail_value_cents,
        currency=s.currency, seized_on=s.seized_on, closed_on=s.closed_on,
    )


# --- applications for action ----------------------------------------------------------------------------------


@router.get(PREFIX + "/applications", response_model=list[ApplicationOut])
def list_applications(ctx: Ctx) -> list[ApplicationOut]:
    return [application_out(a) for a in services.list_applications(ctx)]


@router.post(PREFIX + "/applications", response_model=ApplicationOut, status_code=status.HTTP_201_CREATED)
def file_application(body: ApplicationIn, ctx: Ctx) -> ApplicationOut:
    return application_out(services.file_application(ctx, **body.model_dump()))


@router.get(PREFIX + "/applications/{application_id}", response_model=ApplicationOut)
def get_application(application_id: str, ctx: Ctx) -> ApplicationOut:
    return application_out(services.application_view(ctx, application_id))


@router.get(PREFIX + "/applications/{application_id}/product-guide")
def get_product_guide(application_id: str, ctx: Ctx) -> dict[str, Any]:
    return services.product_guide(ctx, application_id)


@router.post(PREFIX + "/applications/{application_id}/information-request", response_model=ApplicationOut)
def request_information(application_id: str, body: InformationRequestIn, ctx: Ctx) -> ApplicationOut:
    return application_out(services.request_information(ctx, application_id, body.what))


@router.post(PREFIX + "/applications/{application_id}/information", response_model=ApplicationOut)
def supply_information(application_id: str, body: GuideIn, ctx: Ctx) -> ApplicationOut:
    return application_out(services.supply_information(ctx, application_id, body.product_guide))


@router.post(PREFIX + "/applications/{application_id}/grant", response_model=ApplicationOut)
def grant_application(application_id: str, body: GrantIn, ctx: Ctx) -> ApplicationOut:
    return application_out(services.grant_application(ctx, application_id, body.valid_until))


@router.post(PREFIX + "/applications/{application_id}/refusal", response_model=ApplicationOut)
def refuse_application(application_id: str, body: RefuseIn, ctx: Ctx) -> ApplicationOut:
    return application_out(services.refuse_application(ctx, application_id, body.reason))


# --- detentions -------------------------------------------------------------------------------------------------


@router.post(PREFIX + "/applications/{application_id}/extension-request", response_model=ApplicationOut)
def request_extension(application_id: str, ctx: Ctx) -> ApplicationOut:
    """The holder asks to extend its granted application (EU: at least 30 working days before it expires)."""
    return application_out(services.request_extension(ctx, application_id))


@router.post(PREFIX + "/applications/{application_id}/extension", response_model=ApplicationOut)
def extend(application_id: str, ctx: Ctx, valid_until: dt.date | None = None) -> ApplicationOut:
    """Customs extend the application (by the profile's maximum validity when no date is given)."""
    return application_out(services.extend_application(ctx, application_id, valid_until))


@router.get(PREFIX + "/detentions", response_model=list[DetentionSummary])
def list_detentions(
    ctx: Ctx,
    include_closed: Annotated[bool, Query(description="Also closed detentions (outcomes)")] = False,
    overdue: Annotated[bool, Query(description="Only those with a deadline customs let pass")] = False,
) -> list[DetentionSummary]:
    rows = services.queue(ctx, include_closed=include_closed)
    return [summary_out(ctx, r) for r in rows if r.overdue or not overdue]


@router.post(PREFIX + "/detentions", response_model=DetentionOut, status_code=status.HTTP_201_CREATED)
def open_detention(body: DetentionIn, ctx: Ctx) -> DetentionOut:
    g = body.goods
    goods = services.Goods(
        description=g.description, quantity=g.quantity, product_category=g.product_category, ipr_type=g.ipr_type,
        transport_mode=g.transport_mode, traffic=g.traffic, provenance=g.provenance,
        retail_value_cents=g.retail_value_cents, currency=g.currency, gross_kg=g.gross_kg, images=tuple(g.images),
    )
    row = services.open_detention(
        ctx, goods=goods, application_id=body.application_id, small_consignment=body.small_consignment,
        perishable=body.perishable, goods_id=body.goods_id, screening_hit_id=body.screening_hit_id,
        declarant_name=body.declarant_name, declarant_email=body.declarant_email,
    )
    return detention_out(ctx, row.id)


@router.get(PREFIX + "/detentions/{detention_id}", response_model=DetentionOut)
def get_detention(detention_id: str, ctx: Ctx) -> DetentionOut:
    return detention_out(ctx, detention_id)


@router.post(PREFIX + "/detentions/{detention_id}/moves", response_model=DetentionOut)
def make_move(detention_id: str, body: MoveIn, ctx: Ctx) -> DetentionOut:
    services.act(ctx, detention_id, body.move, on_behalf_of_declarant=body.on_behalf_of_declarant)
    return detention_out(ctx, detention_id)


@router.get(PREFIX + "/notifications", response_model=list[NotificationOut])
def my_notifications(ctx: Ctx) -> list[NotificationOut]:
    return [NotificationOut(id=n.id, detention_id=n.detention_id, subject=n.subject, body=n.body,
                            created_at=n.created_at) for n in services.inbox(ctx)]


# --- seizures and statistics -------------------------------------------------------------------------------------

PeriodStart = Annotated[str | None, Query(description="First seizure day counted (YYYY-MM-DD)")]
PeriodEnd = Annotated[str | None, Query(description="Last seizure day counted (YYYY-MM-DD)")]
Where = Annotated[str | None, Query(description="Country or region (e.g. FR, EU)")]


@router.get(PREFIX + "/seizures", response_model=list[SeizureOut])
def list_seizures(ctx: Ctx, start: PeriodStart = None, end: PeriodEnd = None, jurisdiction: Where = None,
                  limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[SeizureOut]:
    return [seizure_out(s) for s in reports.seizures(ctx, reports.period(start, end, jurisdiction), limit)]


@router.get(PREFIX + "/statistics", response_model=StatisticsOut)
def get_statistics(ctx: Ctx, start: PeriodStart = None, end: PeriodEnd = None,
                   jurisdiction: Where = None) -> StatisticsOut:
    stats = reports.statistics(ctx, reports.period(start, end, jurisdiction))
    p = stats.period
    return StatisticsOut(
        start=p.start, end=p.end, jurisdiction=p.jurisdiction, procedures=stats.procedures, articles=stats.articles,
        retail_value_cents=stats.retail_value_cents,
        rows=[BreakdownRow(**vars(r)) for r in stats.rows],
    )


@router.get(PREFIX + "/statistics.csv", response_class=Response)
def get_statistics_csv(ctx: Ctx, start: PeriodStart = None, end: PeriodEnd = None,
                       jurisdiction: Where = None) -> Response:
    stats = reports.statistics(ctx, reports.period(start, end, jurisdiction))
    return Response(reports.to_csv(stats), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="customs-statistics.csv"'})
