"""Pages of notices: the list with live arrival (server-sent events), a notice with its acknowledge button, the
issue form and the subscriptions page."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile

from ipec.accounts import services as accounts
from ipec.accounts.policy import AUTHORITIES
from ipec.kernel import handling
from ipec.kernel import jurisdictions as places
from ipec.kernel.errors import AuthenticationRequired, Problem, ValidationFailed
from ipec.notices import services, tasks, vocab
from ipec.notices.schemas import MarkingIn, NoticeIn, RouteIn, SubscriptionIn
from ipec.web import i18n
from ipec.web.deps import SESSION_COOKIE, Ctx
from ipec.web.i18n import N_
from ipec.web.templating import page_locale, render

router = APIRouter(include_in_schema=False)
NAV = [("/notices", N_("Notices"))]

POLL_SECONDS = 1.0  # how often a live stream looks for new notices
STREAM_SECONDS = 300  # then the stream ends and the browser reconnects (EventSource does so by itself)

AUDIENCE_LABELS = {
    "own_organisation": N_("Own organisation"), "named_organisations": N_("Named organisations"),
    "group": N_("A group"), "national": N_("National authorities"), "all_participants": N_("All participants"),
}


def labels(locale: str) -> dict[str, Callable[..., Any]]:
    """Label functions bound to the reader's language, for templates (structured parts only, never free text)."""
    return {
        "type_label": partial(vocab.type_label, locale=locale),
        "colour_label": partial(vocab.colour_label, locale=locale),
        "category_label": partial(vocab.category_label, locale=locale),
        "country_label": partial(vocab.country_label, locale=locale),
        "colour_of": vocab.colour,
    }


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _flag(value: str | None) -> bool:
    return value in ("1", "on", "true", "yes")


def _list_query(params: Any) -> services.NoticeQuery:
    return services.query_of(params.get("q"), params.get("type"), params.get("category"), params.get("jurisdiction"),
                    params.get("right_id"), _int(params.get("hs_chapter")), _flag(params.get("unread")),
                    _flag(params.get("subscribed")), _flag(params.get("include_expired")), 0, 200)


@router.get("/notices", response_class=HTMLResponse)
def notices_page(request: Request, ctx: Ctx) -> Response:
    params = request.query_params
    query = _list_query(params)
    page = services.search(ctx, query)
    locale = page_locale(request)
    stream_params = {k: v for k, v in params.items() if k in ("q", "type", "category", "jurisdiction", "right_id",
                                                                "hs_chapter", "subscribed") and v}
    return render(request, "notices/list.html", {
        "page": page, "params": params, "types": vocab.notice_types(), "categories": vocab.categories(),
        "countries": places.countries(), "regions": places.regions(), "after": services.latest_seq(ctx.session),
        "stream_params": {**stream_params, "lang": locale}, "may_issue": _may_issue(ctx),
        **labels(locale),
    })


def _may_issue(ctx: accounts.Context) -> bool:
    a = ctx.actor
    return a is not None and a.org_kind in AUTHORITIES and a.role in ("officer", "analyst")


# --- live stream ----------------------------------------------------------------------------------------------


def _stream_user(request: Request) -> str:
    """Who the stream is for, resolved with a short-lived session: a stream must not hold a transaction open."""
    state = request.app.state
    ctx = accounts.Context(session=state.session_factory(), clock=state.clock,
                           ip=request.client.host if request.client else None)
    failed = True
    try:
        header = request.headers.get("authorization", "")
        user = None
        if header.lower().startswith("bearer "):
            user = accounts.user_for_token(ctx, header[7:].strip())
        elif request.cookies.get(SESSION_COOKIE):
            user = accounts.user_for_session(ctx.session, request.cookies[SESSION_COOKIE], ctx.clock.now())
        if user is None:
            raise AuthenticationRequired("sign in to follow notices live")
        failed = False
        return user.id
    finally:
        ctx.finish(failed=failed)
        ctx.session.close()


def _sse(event: str, data: str, event_id: int | None = None) -> str:
    lines = [f"id: {event_id}"] if event_id is not None else []
    lines.append(f"event: {event}")
    lines += [f"data: {line}" for line in data.splitlines() or [""]]
    return "\n".join(lines) + "\n\n"


def _one_pass(request: Request, user_id: str, cursor: services.StreamCursor, query: services.NoticeQuery,
              locale: str) -> list[str] | None:
    """Look once for new notices; the policy decides for the user as they are now. None ends the stream."""
    state = request.app.state
    session = state.session_factory()
    ctx = accounts.Context(session=session, clock=state.clock)
    try:
        ctx.actor = services.actor_for_user(session, user_id)
        if ctx.actor is None:
            return None
        views = services.pending_pushes(ctx, cursor, query)
        if not views:
            return []
        template = state.templates.env.get_template("notices/_row.html")
        tr = i18n.translations(locale)
        out = [_sse("notice", template.render(v=v, live=True, _=tr.gettext, locale=locale, **labels(locale)),
                    v.notice.seq) for v in views]
        out.append(_sse("unread", str(services.unread_count(ctx))))
        return out
    finally:
        ctx.finish(failed=False)  # keeps the audit of restricted notices pushed
        session.close()


@router.get("/notices/stream")
async def notices_stream(request: Request) -> StreamingResponse:
    user_id = await run_in_threadpool(_stream_user, request)
    params = request.query_params
    last = request.headers.get("last-event-id", "")
    after = max(_int(params.get("after")) or 0, int(last) if last.isdigit() else 0)
    query = _list_query(params)
    problems = query.problems()
    if problems:
        raise ValidationFailed(problems)
    locale = params.get("lang") if params.get("lang") in i18n.LOCALES else "en"
    cursor = services.StreamCursor(after)

    async def events() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        deadline = time.monotonic() + STREAM_SECONDS
        while time.monotonic() < deadline and not await request.is_disconnected():
            chunks = await asyncio.to_thread(_one_pass, request, user_id, cursor, query, str(locale))
            if chunks is None:
                yield _sse("end", "signed out")
                return
            for chunk in chunks:
                yield chunk
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"cache-control": "no-cache", "x-accel-buffering": "no"})


# --- issuing --------------------------------------------------------------------------------------------------


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").replace(";", ",").replace(" ", ",").split(",") if p.strip()]


def _chapters(values: list[str], field: str) -> list[int]:
    out = []
    for v in values:
        if not v.isdigit():
            raise ValidationFailed([Problem(field, f"{v!r} is not an HS chapter number")])
        out.append(int(v))
    return out


def _notice_from_form(form: FormData) -> NoticeIn:
    import datetime as dt

    expires = form.get("expires_on")
    try:
        expires_on = dt.date.fromisoformat(str(expires)) if expires else None
    except ValueError as exc:
        raise ValidationFailed([Problem("expires_on", "a date as YYYY-MM-DD")]) from exc
    reliability = str(form.get("information_reliability") or "4")
    return NoticeIn(
        type=str(form.get("type") or ""), title=str(form.get("title") or ""), body=str(form.get("body") or ""),
        language=str(form.get("language") or "en"),
        product_categories=[str(v) for v in form.getlist("product_categories")],
        right_ids=_split(str(form.get("right_ids") or "")),
        hs_chapters=_chapters(_split(str(form.get("hs_chapters") or "")), "hs_chapters"),
        route=RouteIn(origin=str(form.get("origin") or "") or None, transit=_split(str(form.get("transit") or "")),
                      destination=str(form.get("destination") or "") or None),
        jurisdictions=[str(v) for v in form.getlist("jurisdictions")] + _split(str(form.get("jurisdictions_text")
                                                                                  or "")),
        expires_on=expires_on,
        marking=MarkingIn(
            tlp=str(form.get("tlp") or "AMBER"), handling=str(form.get("handling") or "H0"),
            handling_note=str(form.get("handling_note") or "") or None,
            source_reliability=str(form.get("source_reliability") or "X"),
            information_reliability=int(reliability) if reliability.isdigit() else 0,
            audience=str(form.get("audience") or "all_participants"),
            recipients=[str(v) for v in form.getlist("recipients")],
            group_name=str(form.get("group_name") or "") or None, purpose=str(form.get("purpose") or ""),
            legal_basis=str(form.get("legal_basis") or ""), personal_data=_flag(str(form.get("personal_data"))),
        ),
    )


async def _images(form: FormData) -> list[services.Image]:
    out = []
    for item in form.getlist("images"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if data:
                out.append(services.Image(data, item.content_type or "application/octet-stream"))
    return out


def _form_context(ctx: accounts.Context, request: Request, form: dict[str, Any], error: ValidationFailed | None
                  ) -> dict[str, Any]:
    codes = handling.codes()
    return {
        "form": form, "error": error, "types": vocab.notice_types(), "categories": vocab.categories(),
        "countries": places.countries(), "regions": places.regions(),
        "organisations": [o for o in accounts.list_organisations(ctx) if o.id != (ctx.actor.organisation_id
                                                                                   if ctx.actor else None)],
        "tlp_levels": handling.TLP_LEVELS, "handling_codes": codes["handling"],
        "source_grades": codes["source_reliability"], "information_grades": codes["information_reliability"],
        "audiences": AUDIENCE_LABELS, "languages": i18n.LOCALES, "may_issue": _may_issue(ctx),
        **labels(page_locale(request)),
    }


@router.get("/notices/new", response_class=HTMLResponse)
def new_notice_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "notices/new.html", _form_context(ctx, request, {"language": page_locale(request)},
                                                               None))


@router.post("/notices/new", response_class=HTMLResponse)
async def issue_notice(request: Request, ctx: Ctx) -> Response:
    form = await request.form()
    try:
        data = _notice_from_form(form)
        images = await _images(form)
        n = await run_in_threadpool(services.issue, ctx, data, images, request.app.state.settings.blob_dir)
    except ValidationFailed as exc:
        ctx.session.rollback()
        values: dict[str, Any] = {k: form.getlist(k) if k in ("product_categories", "jurisdictions", "recipients")
                                  else form.get(k) for k in form}
        return render(request, "notices/new.html", _form_context(ctx, request, values, exc), status_code=422)
    tasks.wake(request.app.state)
    return RedirectResponse(f"/notices/{n.id}", status_code=303)


# --- subscriptions --------------------------------------------------------------------------------------------


def _subscriptions_context(ctx: accounts.Context, request: Request, error: ValidationFailed | None = None,
                           form: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "subscriptions": services.list_subscriptions(ctx), "error": error, "form": form or {},
        "types": vocab.notice_types(), "categories": vocab.categories(), "countries": places.countries(),
        "regions": places.regions(), **labels(page_locale(request)),
    }


@router.get("/notices/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, ctx: Ctx) -> Response:
    return render(request, "notices/subscriptions.html", _subscriptions_context(ctx, request))


@router.post("/notices/subscriptions", response_class=HTMLResponse)
async def create_subscription(request: Request, ctx: Ctx) -> Response:
    form = await request.form()
    try:
        data = SubscriptionIn(
            name=str(form.get("name") or ""), notice_types=[str(v) for v in form.getlist("notice_types")],
            jurisdictions=[str(v) for v in form.getlist("jurisdictions")],
            product_categories=[str(v) for v in form.getlist("product_categories")],
            right_ids=_split(str(form.get("right_ids") or "")),
            hs_chapters=_chapters(_split(str(form.get("hs_chapters") or "")), "hs_chapters"),
            email=_flag(str(form.get("email"))), webhook_url=str(form.get("webhook_url") or "") or None,
        )
        await run_in_threadpool(services.subscribe, ctx, data)
    except ValidationFailed as exc:
        ctx.session.rollback()
        values = {k: form.getlist(k) for k in form}
        return render(request, "notices/subscriptions.html", _subscriptions_context(ctx, request, exc, values),
                      status_code=422)
    return RedirectResponse("/notices/subscriptions", status_code=303)


@router.post("/notices/subscriptions/{subscription_id}/delete")
def delete_subscription(subscription_id: str, ctx: Ctx) -> Response:
    services.unsubscribe(ctx, subscription_id)
    return RedirectResponse("/notices/subscriptions", status_code=303)


# --- one notice -----------------------------------------------------------------------------------------------


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(request: Request, notice_id: str, ctx: Ctx) -> Response:
    view = services.get(ctx, notice_id)
    n = view.notice
    is_owner = ctx.actor is not None and ctx.actor.organisation_id == n.owner_id
    recipients = {o.id: o.name for o in accounts.list_organisations(ctx) if o.id in set(n.recipients)}
    return render(request, "notices/detail.html", {
        "v": view, "n": n, "is_owner": is_owner, "readers": services.readers(ctx, n.id) if is_owner else [],
        # Counts only: the issuer learns that deliveries went out, not the subscribers' addresses.
        "deliveries": Counter((d.channel, d.status) for d in services.deliveries(ctx, n.id)) if is_owner else {},
        "recipients": recipients,
        "audiences": AUDIENCE_LABELS, "handling_codes": handling.codes()["handling"],
        **labels(page_locale(request)),
    })


@router.post("/notices/{notice_id}/acknowledge")
def acknowledge(notice_id: str, ctx: Ctx) -> Response:
    services.acknowledge(ctx, notice_id)
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)
