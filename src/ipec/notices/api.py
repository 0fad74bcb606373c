"""JSON routes of notices and subscriptions under /api/v1/notices. Structured parts are labelled in `lang`."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response

from ipec.kernel.errors import Problem, ValidationFailed
from ipec.notices import services, tasks, vocab
from ipec.notices.models import Notice, Subscription
from ipec.notices.schemas import (
    CountOut,
    LabelledOut,
    MarkingOut,
    NoticeIn,
    NoticeOut,
    NoticePage,
    ReaderOut,
    RouteOut,
    StatsOut,
    SubscriptionIn,
    SubscriptionOut,
    VocabularyOut,
)
from ipec.web.deps import Ctx

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])

Lang = Annotated[str, Query(description="Language of the labels: en, fr or es")]


def _country(code: str, lang: str) -> LabelledOut:
    return LabelledOut(code=code, label=vocab.country_label(code, lang))


def notice_out(view: services.NoticeView, lang: str = "en") -> NoticeOut:
    n = view.notice
    route = n.route or {}
    colour = vocab.colour(n.type)
    return NoticeOut(
        id=n.id, reference=n.reference, type=LabelledOut(code=n.type, label=vocab.type_label(n.type, lang)),
        colour=LabelledOut(code=colour, label=vocab.colour_label(n.type, lang) or colour) if colour else None,
        title=n.title, body=n.body, language=n.language,
        product_categories=[LabelledOut(code=c, label=vocab.category_label(c, lang)) for c in n.product_categories],
        right_ids=list(n.right_ids), hs_chapters=list(n.hs_chapters),
        route=RouteOut(
            origin=_country(route["origin"], lang) if route.get("origin") else None,
            transit=[_country(c, lang) for c in route.get("transit", [])],
            destination=_country(route["destination"], lang) if route.get("destination") else None,
        ),
        jurisdictions=[_country(c, lang) for c in n.jurisdictions], images=list(n.images),
        marking=MarkingOut(
            owner_id=n.owner_id, owner_name=view.owner_name, owner_jurisdiction=n.owner_jurisdiction, tlp=n.tlp,
            handling=n.handling, handling_note=n.handling_note, source_reliability=n.source_reliability,
            information_reliability=n.information_reliability, audience=n.audience, recipients=list(n.recipients),
            group_name=n.group_name, purpose=n.purpose, legal_basis=n.legal_basis, personal_data=n.personal_data,
        ),
        issued_at=n.issued_at, expires_at=n.expires_at, expired=view.expired, read_at=view.read_at,
        acknowledged_at=view.acknowledged_at, matches_subscription=view.matches_subscription,
    )


def subscription_out(s: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=s.id, name=s.name, notice_types=s.notice_types, jurisdictions=s.jurisdictions,
        product_categories=s.product_categories, right_ids=s.right_ids, hs_chapters=s.hs_chapters, email=s.email,
        webhook_url=s.webhook_url, webhook_secret=s.webhook_secret, created_at=s.created_at,
    )


def deliver_after_commit(request: Request) -> None:
    """E-mails and webhooks leave from the node's deliverer, outside the request's transaction."""
    tasks.wake(request.app.state)


@router.get("/vocabulary", response_model=VocabularyOut)
def vocabulary(ctx: Ctx, lang: Lang = "en") -> VocabularyOut:
    return VocabularyOut(
        notice_types=[LabelledOut(code=t, label=vocab.type_label(t, lang)) for t in vocab.notice_types()],
        product_categories=[LabelledOut(code=c, label=vocab.category_label(c, lang)) for c in vocab.categories()],
    )


@router.get("", response_model=NoticePage)
def list_notices(
    ctx: Ctx,
    q: Annotated[str | None, Query(description="Words in the reference, title or text")] = None,
    type_: Annotated[str | None, Query(alias="type")] = None,
    category: str | None = None,
    jurisdiction: Annotated[str | None, Query(description="Country or region the notice concerns")] = None,
    right_id: str | None = None,
    hs_chapter: int | None = None,
    unread: bool = False,
    subscribed: Annotated[bool, Query(description="Only notices matching one of my subscriptions")] = False,
    include_expired: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    lang: Lang = "en",
) -> NoticePage:
    query = services.query_of(q, type_, category, jurisdiction, right_id, hs_chapter, unread, subscribed,
                              include_expired, offset, limit)
    page = services.search(ctx, query)
    return NoticePage(items=[notice_out(v, lang) for v in page.items], total=page.total, unread=page.unread)


@router.post("", response_model=NoticeOut, status_code=status.HTTP_201_CREATED)
def issue_notice(body: NoticeIn, ctx: Ctx, request: Request, lang: Lang = "en") -> NoticeOut:
    n = services.issue(ctx, body)
    deliver_after_commit(request)
    return notice_out(services.view_of(ctx, n), lang)


@router.get("/unread-count", response_model=CountOut)
def unread_count(ctx: Ctx) -> CountOut:
    page = services.search(ctx, services.NoticeQuery(limit=1), audit=False)
    return CountOut(unread=page.unread, total=page.total)


@router.get("/stats", response_model=StatsOut)
def notice_stats(ctx: Ctx, include_expired: bool = True) -> StatsOut:
    s = services.stats(ctx, include_expired)
    return StatsOut(by_type=dict(s["by_type"]), by_category=dict(s["by_category"]),
                    by_jurisdiction=dict(s["by_jurisdiction"]))


EXPORT_COLUMNS = ("reference", "id", "type", "title", "body", "language", "product_categories", "right_ids",
                  "hs_chapters", "route", "jurisdictions", "issuer", "tlp", "handling", "handling_note",
                  "source_reliability", "information_reliability", "audience", "purpose", "legal_basis",
                  "personal_data", "issued_at", "expires_at")


def _export_row(v: services.NoticeView) -> dict[str, str]:
    n: Notice = v.notice
    route = n.route or {}
    return {
        "reference": n.reference, "id": n.id, "type": n.type, "title": n.title, "body": n.body,
        "language": n.language, "product_categories": " ".join(n.product_categories),
        "right_ids": " ".join(n.right_ids), "hs_chapters": " ".join(str(c) for c in n.hs_chapters),
        "route": " > ".join([route.get("origin", "?"), *route.get("transit", []), route.get("destination", "?")]),
        "jurisdictions": " ".join(n.jurisdictions), "issuer": v.owner_name, "tlp": n.tlp, "handling": n.handling,
        "handling_note": n.handling_note or "", "source_reliability": n.source_reliability,
        "information_reliability": str(n.information_reliability), "audience": n.audience, "purpose": n.purpose,
        "legal_basis": n.legal_basis, "personal_data": "yes" if n.personal_data else "no",
        "issued_at": n.issued_at.isoformat(), "expires_at": n.expires_at.isoformat(),
    }


@router.get("/export")
def export_notices(
    ctx: Ctx,
    format_: Annotated[str, Query(alias="format", description="csv or json")] = "csv",
    q: str | None = None,
    type_: Annotated[str | None, Query(alias="type")] = None,
    category: str | None = None,
    jurisdiction: str | None = None,
    include_expired: bool = False,
) -> Response:
    if format_ not in ("csv", "json"):
        raise ValidationFailed([Problem("format", "csv or json")])
    views = services.export(ctx, services.query_of(q, type_, category, jurisdiction, None, None, False, False,
                                          include_expired))
    rows = [_export_row(v) for v in views]
    if format_ == "json":
        return Response(json.dumps(rows, ensure_ascii=False, indent=1), media_type="application/json")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="notices.csv"'})


@router.get("/subscriptions", response_model=list[SubscriptionOut])
def list_subscriptions(ctx: Ctx) -> list[SubscriptionOut]:
    return [subscription_out(s) for s in services.list_subscriptions(ctx)]


@router.post("/subscriptions", response_model=SubscriptionOut, status_code=status.HTTP_201_CREATED)
def create_subscription(body: SubscriptionIn, ctx: Ctx) -> SubscriptionOut:
    return subscription_out(services.subscribe(ctx, body))


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_subscription(subscription_id: str, ctx: Ctx) -> Response:
    services.unsubscribe(ctx, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{notice_id}", response_model=NoticeOut)
def get_notice(notice_id: str, ctx: Ctx, lang: Lang = "en") -> NoticeOut:
    return notice_out(services.get(ctx, notice_id), lang)


@router.post("/{notice_id}/acknowledge", response_model=NoticeOut)
def acknowledge(notice_id: str, ctx: Ctx, lang: Lang = "en") -> NoticeOut:
    return notice_out(services.acknowledge(ctx, notice_id), lang)


@router.get("/{notice_id}/readers", response_model=list[ReaderOut])
def readers(notice_id: str, ctx: Ctx) -> list[ReaderOut]:
    return [ReaderOut(user=r.user, organisation=r.organisation, read_at=r.read_at, acknowledged_at=r.acknowledged_at)
            for r in services.readers(ctx, notice_id)]


@router.get("/{notice_id}/images/{sha256}")
def notice_image(notice_id: str, sha256: str, ctx: Ctx, request: Request) -> Response:
    media_type, data = services.image(ctx, notice_id, sha256, request.app.state.settings.blob_dir)
    return Response(data, media_type=media_type, headers={"ETag": f'"{sha256}"', "cache-control": "private"})
