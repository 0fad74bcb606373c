"""HTML pages of customs: the officer's queue and detention with its clock, the holder's notices and answers,
the analyst's statistics with charts and CSV export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipec.customs import categories, charts, reports, services
from ipec.customs.models import Detention
from ipec.kernel import jurisdictions
from ipec.kernel.errors import NotFound, Problem, ValidationFailed
from ipec.reports.dashboard import Tile
from ipec.rights import services as rights
from ipec.web.deps import Ctx
from ipec.web.i18n import N_, translations
from ipec.web.templating import page_locale, render

router = APIRouter(tags=["customs pages"], include_in_schema=False)
NAV = [("/customs", N_("Customs"))]

# A deadline this close (in working days) is flagged "due soon" so nobody learns of it on its last day.
DUE_SOON_DAYS = 2

# What each move means to the person pressing the button (the profile names are for the law, not for users).
MOVE_LABELS = {
    "holder_confirms": N_("Confirm infringement and agree to destruction"),
    "holder_starts_proceedings": N_("Start proceedings"),
    "holder_lets_go": N_("Let the goods go"),
    "file_application": N_("File an application for action"),
    "notify": N_("Notify holder and declarant"),
    "notify_small_consignment": N_("Notify the declarant (small consignment)"),
    "notify_ex_officio": N_("Notify the holder (ex officio)"),
    "grant_application": N_("Grant the application"),
    "refuse_application": N_("Refuse the application"),
    "declarant_agrees": N_("Record: declarant agrees to destruction"),
    "declarant_objects": N_("Record: declarant objects"),
    "extend": N_("Extend the period once"),
    "court_finds_infringement": N_("Record: court finds infringement"),
    "court_finds_no_infringement": N_("Record: court finds no infringement"),
    "release": N_("Release the goods"),
    "abandon": N_("Record abandonment"),
    "detain": N_("Detain"),
    "send_notice": N_("Send the detention notice"),
    "importer_responds": N_("Record the importer's response"),
    "inform_owner": N_("Inform the mark owner"),
    "seize": N_("Seize"),
    "disclose_to_owner": N_("Disclose importer, exporter and manufacturer to the owner"),
    "forfeit": N_("Record forfeiture"),
}
DEADLINE_LABELS = {
    "notification_due": N_("Notification due"),
    "holder_application_due": N_("Holder's application due"),
    "holder_response_due": N_("Holder's answer due"),
    "declarant_response_due": N_("Declarant's answer due"),
    "extended_holder_response_due": N_("Extended answer due"),
    "holder_proceedings_due": N_("Proceedings due"),
    "decision_due": N_("Decision due"),
    "release_or_detain_due": N_("Release or detain by"),
    "detention_ends": N_("Detention ends"),
    "detention_notice_due": N_("Detention notice due"),
    "importer_response_due": N_("Importer's answer due"),
    "owner_disclosure_due": N_("Disclosure to the owner due"),
}
STATE_LABELS = {
    "suspended": N_("release suspended"),
    "awaiting_application": N_("awaiting an application"),
    "notified": N_("notified, answers running"),
    "small_consignment_notified": N_("small consignment, declarant notified"),
    "small_consignment_objected": N_("small consignment, declarant objected"),
    "in_proceedings": N_("court proceedings"),
    "destroyed": N_("destroyed"),
    "released": N_("released"),
    "abandoned": N_("abandoned"),
    "presented": N_("presented"),
    "detained": N_("detained"),
    "noticed": N_("notice sent"),
    "seized": N_("seized"),
    "excluded": N_("excluded"),
}
OUTCOME_LABELS = {
    "destroyed_with_agreement": N_("destroyed with agreement"),
    "destroyed_deemed_consent": N_("destroyed by deemed consent"),
    "court_proceedings": N_("court proceedings"),
    "released_genuine": N_("released (genuine)"),
    "released_no_action": N_("released (no action by holder)"),
    "abandoned": N_("abandoned"),
    "forfeited": N_("forfeited"),
    "unknown": N_("not decided yet"),
}
DIMENSION_LABELS = {
    "product_category": N_("Product category"),
    "provenance": N_("Provenance"),
    "transport_mode": N_("Transport mode"),
    "traffic": N_("Freight or passenger"),
    "ipr_type": N_("IPR type"),
    "outcome": N_("Outcome"),
    "procedure": N_("Procedure"),
    "country": N_("Reporting country"),
}
VALUE_LABELS = {
    **OUTCOME_LABELS,
    "foodstuff_beverages": N_("foodstuff and beverages"),
    "body_care": N_("body care"),
    "clothing_accessories": N_("clothing and accessories"),
    "shoes": N_("shoes"),
    "personal_accessories": N_("personal accessories"),
    "mobile_phones_accessories": N_("mobile phones and accessories"),
    "electrical_electronic_computer": N_("electrical, electronic and computer equipment"),
    "cd_dvd_cartridges": N_("CD, DVD and cartridges"),
    "toys_games_sports": N_("toys, games and sports"),
    "tobacco": N_("tobacco"),
    "medicines": N_("medicines"),
    "other": N_("other"),
    "trademark": N_("trade mark"),
    "design": N_("design"),
    "copyright": N_("copyright and related rights"),
    "patent": N_("patent"),
    "spc": N_("supplementary protection certificate"),
    "plant_variety": N_("plant variety"),
    "pdo": N_("protected designation of origin"),
    "pgi": N_("protected geographical indication"),
    "air": N_("air"),
    "express_courier": N_("express courier"),
    "postal": N_("postal"),
    "road": N_("road"),
    "rail": N_("rail"),
    "sea": N_("sea"),
    "inland_waterway": N_("inland waterway"),
    "freight": N_("freight"),
    "passenger": N_("passenger"),
    "standard": N_("standard"),
    "ex_officio": N_("ex officio"),
    "small_consignment": N_("small consignment"),
}
MEASURE_LABELS = {
    "procedures": N_("Procedures"),
    "articles": N_("Articles"),
    "retail_value": N_("Retail value"),
}


def _labels() -> dict[str, Any]:
    return {"move_labels": MOVE_LABELS, "deadline_labels": DEADLINE_LABELS, "state_labels": STATE_LABELS,
            "outcome_labels": OUTCOME_LABELS}


def _urgency(left: dict[str, int], overdue: dict[str, str]) -> str:
    if overdue or any(n < 0 for n in left.values()):
        return "overdue"
    if any(n <= DUE_SOON_DAYS for n in left.values()):
        return "due-soon"
    return ""


def _line(row: Detention, today: dt.date) -> dict[str, Any]:
    left = services.days_left(row, today) if not row.closed else {}
    nearest = min(left.items(), key=lambda kv: kv[1]) if left else None
    return {"row": row, "days_left": left, "nearest": nearest, "urgency": _urgency(left, row.overdue),
            "deadlines": {k: row.deadlines[k] for k in left}}


@router.get("/customs", response_class=HTMLResponse)
def customs_page(request: Request, ctx: Ctx) -> Response:
    today = ctx.clock.today()
    rows = services.queue(ctx, include_closed=True)
    open_lines = sorted((_line(r, today) for r in rows if not r.closed),
                        key=lambda x: (x["urgency"] != "overdue", x["nearest"][1] if x["nearest"] else 10**6))
    closed = sorted((r for r in rows if r.closed), key=lambda r: r.since, reverse=True)[:50]
    context = {
        "open": open_lines,
        "closed": closed,
        "overdue_count": sum(1 for x in open_lines if x["urgency"] == "overdue"),
        "due_soon_count": sum(1 for x in open_lines if x["urgency"] == "due-soon"),
        "applications": services.list_applications(ctx),
        "today": today,
        **_labels(),
    }
    return render(request, "customs/index.html", context)


@router.get("/customs/detentions/{detention_id}", response_class=HTMLResponse)
def detention_page(request: Request, detention_id: str, ctx: Ctx) -> Response:
    view = services.detention_view(ctx, detention_id)
    row = services.require_detention(ctx, detention_id)
    days_left = view["days_left"]
    urgency = {name: _urgency({name: n}, {}) for name, n in days_left.items()}
    context = {"v": view, "row": row, "steps": row.steps, "urgency": urgency, "today": ctx.clock.today(),
               **_labels()}
    return render(request, "customs/detention.html", context)


@router.post("/customs/detentions/{detention_id}/moves")
def move_form(detention_id: str, ctx: Ctx, move: Annotated[str, Form()],
              on_behalf_of_declarant: Annotated[bool, Form()] = False) -> Response:
    services.act(ctx, detention_id, move, on_behalf_of_declarant=on_behalf_of_declarant)
    return RedirectResponse(f"/customs/detentions/{detention_id}?done={move}", status_code=303)


@router.post("/customs/applications/{application_id}/extension-request")
def extension_request_form(application_id: str, ctx: Ctx) -> Response:
    services.request_extension(ctx, application_id)
    return RedirectResponse("/customs#applications", status_code=303)


@router.post("/customs/applications/{application_id}/extension")
def extension_form(application_id: str, ctx: Ctx) -> Response:
    services.extend_application(ctx, application_id)
    return RedirectResponse("/customs#applications", status_code=303)


@router.get("/customs/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, ctx: Ctx, start: str = "", end: str = "", jurisdiction: str = "",
                    measure: str = "procedures") -> Response:
    if measure not in charts.MEASURES:
        raise ValidationFailed([Problem("measure", f"one of {', '.join(charts.MEASURES)}")])
    if not start and not end:
        # The EU report covers a year: by default the twelve months up to today.
        today = ctx.clock.today()
        start, end = (today - dt.timedelta(days=364)).isoformat(), today.isoformat()
    stats = reports.statistics(ctx, reports.period(start, end, jurisdiction))
    gettext = translations(page_locale(request)).gettext
    values = {k: gettext(v) for k, v in VALUE_LABELS.items()}
    values.update({c: jurisdictions.name(c) for r in stats.rows if r.dimension in ("provenance", "country")
                   for c in [r.value]})
    specs = {dim: charts.breakdown(stats.breakdown(dim), measure, values, gettext(MEASURE_LABELS[measure]))
             for dim in reports.DIMENSIONS}
    query = f"start={start}&end={end}&jurisdiction={jurisdiction}"
    context = {
        "stats": stats, "start": start, "end": end, "jurisdiction": jurisdiction, "measure": measure,
        "measures": MEASURE_LABELS, "dimensions": DIMENSION_LABELS, "value_labels": values,
        "specs": specs,
        "regions": jurisdictions.regions(), "countries": jurisdictions.countries(),
        "csv_url": f"/api/v1/customs/statistics.csv?{query}",
    }
    return render(request, "customs/statistics.html", context)


def dashboard_tiles(ctx: Ctx) -> list[Tile]:
    """The dashboard's customs figures: the user's open detentions and, so nothing stays silently overdue,
    those with a deadline customs let pass. Only detentions in the user's own queue are counted."""
    if ctx.actor is None:
        return []
    tiles = []
    if ctx.actor.org_kind == "rights_holder":
        # A holder is told on its dashboard when an application must be extended soon (the tick also e-mails).
        today = ctx.clock.today()
        due = [a for a in services.list_applications(ctx) if a.status == "granted" and a.extension_request_due
               and a.extension_requested_on is None and (a.reminded_on or a.extension_request_due < today)]
        if due:
            tiles.append(Tile(len(due), N_("applications to extend"), "/customs#applications", "warn"))
    rows = services.queue(ctx)
    if not rows:
        return tiles
    overdue = sum(1 for r in rows if r.overdue)
    return [*tiles, Tile(len(rows), N_("open detentions"), "/customs"),
            Tile(overdue, N_("overdue detentions"), "/customs", "bad" if overdue else "")]


# --- opening a detention (from a screening hit, or ex officio) ---------------------------------------------------

GOODS_FIELDS = ("description", "quantity", "product_category", "ipr_type", "transport_mode", "traffic",
                "provenance", "retail_value", "currency", "gross_kg")


def _new_detention_context(ctx: Ctx, form: dict[str, str], errors: list[str]) -> dict[str, Any]:
    country = (ctx.actor.jurisdiction or "") if ctx.actor else ""
    return {"form": form, "errors": errors, "country": country,
            "applications": services.active_applications(ctx, country) if country else [],
            "categories": sorted(services.PRODUCT_CATEGORIES), "ipr_types": sorted(services.IPR_TYPES),
            "transport_modes": sorted(services.TRANSPORT_MODES), "traffic": sorted(services.TRAFFIC),
            "countries": jurisdictions.countries(), **_labels(), "value_labels": VALUE_LABELS}


@router.get("/customs/detentions-new", response_class=HTMLResponse)
def new_detention_page(request: Request, ctx: Ctx, declaration_id: str = "", right_id: str = "",
                       description: str = "", hs_code: str = "", origin: str = "", quantity: str = "",
                       value: str = "", currency: str = "EUR", consignee: str = "") -> Response:
    """The detention form, prefilled from a screening hit when its fields come in the query."""
    form = {"description": description, "quantity": quantity or "1", "provenance": origin.upper(),
            "retail_value": value, "currency": currency or "EUR", "declarant_name": consignee,
            "product_category": categories.category_for_hs(hs_code) if hs_code else "other",
            "ipr_type": "trademark", "transport_mode": "express_courier", "traffic": "freight",
            "screening_hit_id": f"{declaration_id}:{right_id}" if declaration_id and right_id else "",
            "hs_code": hs_code}
    context = _new_detention_context(ctx, form, [])
    # Applications name rights by their register key; the hit names the right by the holder's identifier.
    try:
        right_pk = rights.get(ctx, right_id).right.id if right_id else None
    except NotFound:  # a hit from a rights file the register does not know: detain ex officio
        right_pk = None
    covering = [a for a in context["applications"] if right_pk and right_pk in a.right_ids]
    form["application_id"] = covering[0].id if covering else ""
    return render(request, "customs/new_detention.html", context)


def _goods_from(form: dict[str, str]) -> tuple[services.Goods | None, list[str]]:
    errors = []

    def number(name: str, cast: type, default: Any) -> Any:
        raw = form.get(name, "").strip().replace(",", ".")
        if not raw:
            return default
        try:
            return cast(raw)
        except ValueError:
            errors.append(f"{name}: {raw!r} is not a number")
            return default

    quantity = number("quantity", int, 0)
    value = number("retail_value", float, 0.0)
    kg = number("gross_kg", float, None)
    if errors:
        return None, errors
    return services.Goods(
        description=form.get("description", ""), quantity=quantity,
        product_category=form.get("product_category", ""), ipr_type=form.get("ipr_type", ""),
        transport_mode=form.get("transport_mode", ""), traffic=form.get("traffic", ""),
        provenance=form.get("provenance") or None, retail_value_cents=round(value * 100),
        currency=(form.get("currency") or "EUR").upper(), gross_kg=kg), []


@router.post("/customs/detentions-new", response_class=HTMLResponse)
async def new_detention(request: Request, ctx: Ctx) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    goods, errors = _goods_from(form)
    if goods is None:
        return render(request, "customs/new_detention.html", _new_detention_context(ctx, form, errors), 422)
    try:
        row = services.open_detention(
            ctx, goods=goods, application_id=form.get("application_id") or None,
            small_consignment=form.get("small_consignment") == "on", perishable=form.get("perishable") == "on",
            screening_hit_id=form.get("screening_hit_id") or None,
            declarant_name=form.get("declarant_name") or None, declarant_email=form.get("declarant_email") or None)
    except ValidationFailed as exc:
        ctx.session.rollback()
        problems = [str(p) for p in exc.problems]
        return render(request, "customs/new_detention.html", _new_detention_context(ctx, form, problems), 422)
    return RedirectResponse(f"/customs/detentions/{row.id}", status_code=303)
