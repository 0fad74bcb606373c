"""The only writers of customs records: applications for action, detentions, seizures and notifications.

Every detention change goes through the pure state machine (`customs.transitions`) with the jurisdiction's
profile; this module only decides who the acting party is, stores the snapshot and the steps, keeps the
statistical seizure view in step, queues notices in the same transaction (they are delivered after commit by
`customs.tasks`) and records the change in the audit trail and the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation
from ipec.accounts.policy import Action, OrgKind, Resource, Role
from ipec.customs import clock, profiles
from ipec.customs import transitions as machine
from ipec.customs.models import Application, ApplicationStatus, Detention, DetentionStep, Notification, Seizure
from ipec.kernel import jurisdictions
from ipec.kernel.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, Problem, ValidationFailed
from ipec.kernel.ids import new_id, new_secret
from ipec.ledger import services as ledger
from ipec.rights.models import Right

Context = accounts.Context

# Fields a product identification guide may carry (Art. 6(3) of Regulation 608/2013 and the AFA form).
GUIDE_FIELDS = frozenset(
    {
        "genuine_features",
        "markings",
        "gtins",
        "images",
        "packaging",
        "price_range",
        "authorised_manufacturers",
        "authorised_distributors",
        "authorised_routes",
        "counterfeit_clues",
    }
)
# EU annual report dimensions (DOMAIN.md): the vocabulary detentions and seizures are counted in.
PRODUCT_CATEGORIES = frozenset(
    {
        "foodstuff_beverages",
        "body_care",
        "clothing_accessories",
        "shoes",
        "personal_accessories",
        "mobile_phones_accessories",
        "electrical_electronic_computer",
        "cd_dvd_cartridges",
        "toys_games_sports",
        "tobacco",
        "medicines",
        "other",
    }
)
IPR_TYPES = frozenset({"trademark", "design", "copyright", "patent", "spc", "plant_variety", "pdo", "pgi", "unknown"})
TRANSPORT_MODES = frozenset({"air", "express_courier", "postal", "road", "rail", "sea", "inland_waterway"})
TRAFFIC = frozenset({"freight", "passenger"})


# --- who is acting --------------------------------------------------------------------------------------------


def _require_actor(ctx: Context) -> None:
    if ctx.actor is None:
        raise PermissionDenied("sign in first")


def _authorize_customs(ctx: Context, country: str, object_id: str | None) -> None:
    """Customs records may only be changed by an officer of the country's authorities (policy rule)."""
    accounts.authorize(ctx, Action.UPDATE, Resource("jurisdiction_record", jurisdiction=country), object_id)
    assert ctx.actor is not None
    if ctx.actor.role != Role.ADMIN and ctx.actor.org_kind != OrgKind.CUSTOMS:
        raise PermissionDenied("only a customs authority may do this")


def _today(ctx: Context) -> dt.date:
    return ctx.clock.today()


# --- applications for action ---------------------------------------------------------------------------------


def _check_guide(guide: dict[str, Any]) -> list[Problem]:
    unknown = sorted(set(guide) - GUIDE_FIELDS)
    return [Problem(f"product_guide.{k}", f"unknown field (known: {', '.join(sorted(GUIDE_FIELDS))})") for k in unknown]


def file_application(
    ctx: Context,
    *,
    country: str,
    right_ids: Sequence[str],
    product_guide: dict[str, Any],
    countries: Sequence[str] | None = None,
    restricted: bool = False,
    restricted_to: Sequence[str] = (),
    small_consignments: bool = False,
    representative: str | None = None,
    notify_email: str | None = None,
    webhook_url: str | None = None,
    holder_id: str | None = None,
) -> Application:
    """A holder (or an administrator for it) files an application for action with the customs of `country`.

    Raises ValidationFailed naming every bad field, PermissionDenied for someone else's rights.
    """
    _require_actor(ctx)
    assert ctx.actor is not None
    if ctx.actor.role == Role.ADMIN:
        owner = holder_id or ctx.actor.organisation_id
    elif ctx.actor.org_kind == OrgKind.RIGHTS_HOLDER and ctx.actor.role == Role.HOLDER:
        owner = ctx.actor.organisation_id
    else:
        raise PermissionDenied("only a rights holder files an application for action")
    problems: list[Problem] = []
    code = country.strip().upper()
    try:
        profile = profiles.for_country(code)
    except profiles.UnknownProfile as exc:
        raise ValidationFailed([Problem("country", exc.message)]) from None
    wanted = sorted({c.strip().upper() for c in (countries or [code])} | {code})
    for c in wanted:
        if c not in profile.countries:
            problems.append(Problem("countries", f"{c} is not covered by profile {profile.name}"))
    if len(wanted) > 1 and not profile.applications.get("union_application", False):
        problems.append(Problem("countries", f"profile {profile.name} has no multi-country application"))
    if small_consignments and not profile.applications.get("small_consignments_opt_in", False):
        problems.append(Problem("small_consignments", f"profile {profile.name} has no small-consignments procedure"))
    if restricted and not restricted_to:
        problems.append(Problem("restricted_to", "name the customs authorities that may see the product data"))
    for org_id in restricted_to:
        org = ctx.session.get(Organisation, org_id)
        if org is None or org.kind != OrgKind.CUSTOMS:
            problems.append(Problem("restricted_to", f"{org_id!r} is not a customs authority"))
    if not right_ids:
        problems.append(Problem("right_ids", "name at least one right"))
    for rid in right_ids:
        right = ctx.session.get(Right, rid)
        if right is None:
            problems.append(Problem("right_ids", f"no right {rid!r}"))
        elif right.owner_id != owner:
            problems.append(Problem("right_ids", f"right {right.right_id} belongs to another holder"))
    problems += _check_guide(product_guide)
    if problems:
        raise ValidationFailed(problems)

    today = _today(ctx)
    if "afa-received" in profile.events:
        due = clock.deadlines(profile, "afa-received", today, code)["decision_due"]
    else:
        # No statutory decision period (US recordation): the column then records the day it was received.
        due = today
    now = ctx.clock.now()
    app = Application(
        id=new_id(),
        reference=f"AFA-{code}-{today:%Y}-{new_secret(6)[:8].upper()}",
        profile=profile.name,
        country=code,
        union_wide=len(wanted) > 1,
        countries=wanted,
        holder_id=owner,
        representative=representative,
        right_ids=list(right_ids),
        product_guide=dict(product_guide),
        restricted=restricted,
        restricted_to=list(restricted_to),
        small_consignments=small_consignments,
        notify_email=notify_email,
        webhook_url=webhook_url,
        webhook_secret=new_secret(24) if webhook_url else None,
        status=ApplicationStatus.SUBMITTED,
        received_on=today,
        decision_due=due,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(app)
    accounts.audit_write(ctx, "customs.application.file", "customs_application", app.id, {"country": code})
    ledger.append(
        ctx.session,
        "customs.application.filed",
        {"application": app.id, "country": code, "countries": wanted, "decision_due": due.isoformat()},
    )
    ctx.session.commit()
    return app


def require_application(ctx: Context, application_id: str) -> Application:
    app = ctx.session.get(Application, application_id)
    if app is None:
        raise NotFound(f"no application for action {application_id!r}")
    return app


def _decidable(app: Application) -> None:
    if app.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.INFORMATION_REQUESTED):
        raise InvalidTransition(f"application {app.reference} is already {app.status}")


def request_information(ctx: Context, application_id: str, what: str) -> Application:
    """Customs asks for missing information; the applicant has the profile's period to supply it."""
    app = require_application(ctx, application_id)
    _authorize_customs(ctx, app.country, app.id)
    _decidable(app)
    profile = profiles.load(app.profile)
    app.information_due = clock.deadlines(profile, "afa-information-requested", _today(ctx), app.country)[
        "information_due"
    ]
    app.status = ApplicationStatus.INFORMATION_REQUESTED
    app.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "customs.application.request_information", "customs_application", app.id, {"what": what})
    ctx.session.commit()
    return app


def supply_information(ctx: Context, application_id: str, product_guide: dict[str, Any]) -> Application:
    """The holder completes its product identification guide; the decision period starts again."""
    app = require_application(ctx, application_id)
    _require_actor(ctx)
    assert ctx.actor is not None
    if ctx.actor.organisation_id != app.holder_id and ctx.actor.role != Role.ADMIN:
        raise PermissionDenied("only the applicant may complete its application")
    if app.status != ApplicationStatus.INFORMATION_REQUESTED:
        raise InvalidTransition(f"no information was requested for {app.reference}")
    problems = _check_guide(product_guide)
    today = _today(ctx)
    if app.information_due is not None and today > app.information_due:
        problems.append(Problem("product_guide", f"the information was due by {app.information_due}"))
    if problems:
        raise ValidationFailed(problems)
    app.product_guide = {**app.product_guide, **product_guide}
    profile = profiles.load(app.profile)
    app.decision_due = clock.deadlines(profile, "afa-received", today, app.country)["decision_due"]
    app.status = ApplicationStatus.SUBMITTED
    app.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "customs.application.supply_information", "customs_application", app.id)
    ctx.session.commit()
    return app


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def grant_application(ctx: Context, application_id: str, valid_until: dt.date | None = None) -> Application:
    """Grant; validity at most the profile's maximum (one year in the EU) from the day after the decision."""
    app = require_application(ctx, application_id)
    _authorize_customs(ctx, app.country, app.id)
    _decidable(app)
    profile = profiles.load(app.profile)
    today = _today(ctx)
    months = profile.applications.get("max_validity_months")
    latest = _add_months(today, int(months)) if months else None
    until = valid_until or latest
    if until is None:
        raise ValidationFailed([Problem("valid_until", "give the date the recordation ends")])
    if until <= today:
        raise ValidationFailed([Problem("valid_until", "must be after the decision")])
    if latest is not None and until > latest:
        raise ValidationFailed(
            [Problem("valid_until", f"at most {months} months: {latest} ({profile.applications['validity_source']})")]
        )
    app.status = ApplicationStatus.GRANTED
    app.decided_on = today
    app.valid_until = until
    if "afa-expiry" in profile.events:
        app.extension_request_due = clock.deadlines(profile, "afa-expiry", until, app.country)["extension_request_due"]
    app.updated_at = ctx.clock.now()
    accounts.audit_write(
        ctx, "customs.application.grant", "customs_application", app.id, {"valid_until": until.isoformat()}
    )
    ledger.append(ctx.session, "customs.application.granted", {"application": app.id, "valid_until": until.isoformat()})
    ctx.session.commit()
    return app


def request_extension(ctx: Context, application_id: str) -> Application:
    """The holder asks to extend a granted application before it runs out. A request after the profile's
    extension deadline is still recorded (customs may still accept it) but is marked late in the audit trail."""
    app = require_application(ctx, application_id)
    _require_actor(ctx)
    assert ctx.actor is not None
    if ctx.actor.organisation_id != app.holder_id and ctx.actor.role != Role.ADMIN:
        accounts.audit_denied(ctx, "customs.application.request_extension", "customs_application", app.id,
                              "only the applicant asks to extend its application")
        raise PermissionDenied("only the applicant asks to extend its application")
    today = _today(ctx)
    if app.status != ApplicationStatus.GRANTED or app.valid_until is None or today > app.valid_until:
        raise ValidationFailed([Problem("status", f"{app.reference} is not a granted application in force")])
    if app.extension_requested_on is not None:
        raise ValidationFailed([Problem("extension", f"extension already asked on {app.extension_requested_on}")])
    late = app.extension_request_due is not None and today > app.extension_request_due
    app.extension_requested_on = today
    app.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "customs.application.request_extension", "customs_application", app.id,
                         {"late": late, "valid_until": app.valid_until.isoformat()})
    ledger.append(ctx.session, "customs.application.extension_requested", {"application": app.id, "late": late})
    ctx.session.commit()
    return app


def extend_application(ctx: Context, application_id: str, valid_until: dt.date | None = None) -> Application:
    """Customs extend an application the holder asked to extend: at most the profile's maximum validity again,
    counted from the end of the current period."""
    app = require_application(ctx, application_id)
    _authorize_customs(ctx, app.country, app.id)
    if app.status != ApplicationStatus.GRANTED or app.valid_until is None:
        raise ValidationFailed([Problem("status", f"{app.reference} is not a granted application")])
    if app.extension_requested_on is None:
        raise ValidationFailed([Problem("extension", "the holder has not asked for an extension")])
    profile = profiles.load(app.profile)
    months = profile.applications.get("max_validity_months")
    latest = _add_months(app.valid_until, int(months)) if months else None
    until = valid_until or latest
    if until is None or until <= app.valid_until:
        raise ValidationFailed([Problem("valid_until", f"must be after the current end, {app.valid_until}")])
    if latest is not None and until > latest:
        raise ValidationFailed([Problem("valid_until", f"at most {months} months more: {latest}")])
    app.valid_until = until
    if "afa-expiry" in profile.events:
        app.extension_request_due = clock.deadlines(profile, "afa-expiry", until, app.country)["extension_request_due"]
    app.extension_requested_on = None
    app.reminded_on = None
    app.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "customs.application.extend", "customs_application", app.id,
                         {"valid_until": until.isoformat()})
    ledger.append(ctx.session, "customs.application.extended",
                  {"application": app.id, "valid_until": until.isoformat()})
    ctx.session.commit()
    return app


def applications_to_remind(ctx: Context, within_days: int) -> list[Application]:
    """Granted applications whose extension request falls due within `within_days` and whose holder has neither
    asked yet nor been reminded in this validity period."""
    today = _today(ctx)
    horizon = today + dt.timedelta(days=within_days)
    rows = ctx.session.scalars(select(Application).where(
        Application.status == ApplicationStatus.GRANTED, Application.extension_request_due.is_not(None),
        Application.extension_requested_on.is_(None), Application.reminded_on.is_(None)))
    return [a for a in rows if a.extension_request_due is not None and a.extension_request_due <= horizon
            and a.valid_until is not None and today <= a.valid_until]


def mark_reminded(ctx: Context, app: Application) -> None:
    app.reminded_on = _today(ctx)
    accounts.audit_write(ctx, "customs.application.remind", "customs_application", app.id,
                         {"extension_request_due": str(app.extension_request_due)})
    ctx.session.commit()


def refuse_application(ctx: Context, application_id: str, reason: str) -> Application:
    app = require_application(ctx, application_id)
    _authorize_customs(ctx, app.country, app.id)
    _decidable(app)
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "a refusal must give its reasons")])
    app.status = ApplicationStatus.REFUSED
    app.decided_on = _today(ctx)
    app.refusal_reason = reason
    app.updated_at = ctx.clock.now()
    accounts.audit_write(ctx, "customs.application.refuse", "customs_application", app.id)
    ctx.session.commit()
    return app


def product_guide(ctx: Context, application_id: str) -> dict[str, Any]:
    """The product identification guide, for the holder and the customs authorities it may be shown to.

    A restricted guide is refused (and the refusal audited) to every authority the holder did not choose;
    every read by an authority is audited.
    """
    app = require_application(ctx, application_id)
    _require_actor(ctx)
    assert ctx.actor is not None
    a = ctx.actor
    if a.organisation_id == app.holder_id:
        return dict(app.product_guide)
    if a.role == Role.ADMIN:
        allowed, why = True, "node administrator"
    elif a.org_kind != OrgKind.CUSTOMS or a.role not in (Role.OFFICER, Role.ANALYST):
        allowed, why = False, "product data is for the holder and customs authorities"
    elif app.restricted and a.organisation_id not in app.restricted_to:
        allowed, why = False, "the holder restricted this product data to other customs authorities"
    elif a.jurisdiction not in app.countries:
        allowed, why = False, f"the application does not ask for action in {a.jurisdiction}"
    else:
        allowed, why = True, "customs authority named in the application"
    if not allowed:
        accounts.audit_denied(ctx, str(Action.READ_RESTRICTED), "customs_application", app.id, why)
        raise PermissionDenied(why)
    accounts.audit_read(ctx, "customs_application", app.id, why)
    return dict(app.product_guide)


def active_applications(ctx: Context, country: str, on: dt.date | None = None) -> list[Application]:
    """Granted applications asking for action in `country` on `on` (what screening and detentions rely on)."""
    day = on or _today(ctx)
    rows = ctx.session.scalars(select(Application).where(Application.status == ApplicationStatus.GRANTED))
    return [
        a
        for a in rows
        if country in a.countries
        and a.valid_until is not None
        and a.decided_on is not None
        and a.decided_on <= day <= a.valid_until
    ]


def applications_in_force(ctx: Context, on: dt.date | None = None) -> list[Application]:
    """Granted applications in force on `on` in any country (screening's rights basis for the whole node)."""
    day = on or _today(ctx)
    rows = ctx.session.scalars(select(Application).where(Application.status == ApplicationStatus.GRANTED))
    return [a for a in rows if a.valid_until is not None and a.decided_on is not None
            and a.decided_on <= day <= a.valid_until]


# --- detentions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goods:
    """The goods as customs describe them; the statistical dimensions come from the EU report."""

    description: str
    quantity: int
    product_category: str
    ipr_type: str
    transport_mode: str
    traffic: str
    provenance: str | None = None
    retail_value_cents: int = 0
    currency: str = "EUR"
    gross_kg: float | None = None
    images: tuple[str, ...] = ()

    def problems(self) -> list[Problem]:
        out = []
        if not self.description.strip():
            out.append(Problem("goods.description", "is required"))
        if self.quantity < 1:
            out.append(Problem("goods.quantity", "must be at least 1"))
        for name, value, allowed in (
            ("product_category", self.product_category, PRODUCT_CATEGORIES),
            ("ipr_type", self.ipr_type, IPR_TYPES),
            ("transport_mode", self.transport_mode, TRANSPORT_MODES),
            ("traffic", self.traffic, TRAFFIC),
        ):
            if value not in allowed:
                out.append(Problem(f"goods.{name}", f"{value!r} is not one of {', '.join(sorted(allowed))}"))
        if self.provenance is not None and not jurisdictions.is_country(self.provenance):
            out.append(Problem("goods.provenance", f"unknown country {self.provenance!r}"))
        if self.retail_value_cents < 0:
            out.append(Problem("goods.retail_value_cents", "cannot be negative"))
        return out


def _snapshot(row: Detention) -> machine.Detention:
    return machine.Detention(
        profile=row.profile,
        country=row.country,
        path=row.path,
        state=row.state,
        facts=frozenset(row.facts),
        deadlines={k: dt.date.fromisoformat(v) for k, v in row.deadlines.items()},
        outcome=row.outcome,
        since=row.since,
        fired=frozenset(row.fired),
    )


def _store(ctx: Context, row: Detention, snap: machine.Detention, steps: Iterable[machine.Step]) -> None:
    profile = profiles.load(row.profile)
    row.state = snap.state
    row.facts = sorted(snap.facts)
    row.deadlines = {k: v.isoformat() for k, v in snap.deadlines.items()}
    row.fired = sorted(snap.fired)
    row.outcome = snap.outcome
    row.since = snap.since
    row.closed = machine.is_closed(profile, snap)
    row.overdue = {k: v.isoformat() for k, v in machine.overdue(profile, snap, _today(ctx)).items()}
    row.updated_at = ctx.clock.now()
    for s in steps:
        row.steps.append(
            DetentionStep(
                kind=s.kind,
                name=s.name,
                on=s.on,
                party=s.by,
                user_id=ctx.actor.user_id if ctx.actor and s.kind == "move" else None,
                before=s.before,
                after=s.after,
                outcome=s.outcome,
                source=s.source,
                at=ctx.clock.now(),
            )
        )
        ledger.append(
            ctx.session,
            "customs.detention.step",
            {
                "goods": row.goods_id,
                "kind": s.kind,
                "name": s.name,
                "on": s.on.isoformat(),
                "state": s.after,
                "outcome": s.outcome,
            },
        )
    _sync_seizure(ctx, row, profile)


def _sync_seizure(ctx: Context, row: Detention, profile: profiles.Profile) -> None:
    """Keep the non-nominal seizure view in step with the detention: created when goods are kept, updated after."""
    seizure = ctx.session.scalar(select(Seizure).where(Seizure.detention_id == row.id))
    if seizure is None:
        if not profile.states[row.state].seizure:
            return
        seizure = Seizure(
            id=new_id(),
            detention_id=row.id,
            goods_id=row.goods_id,
            country=row.country,
            procedure=row.path,
            product_category=row.product_category,
            ipr_type=row.ipr_type,
            transport_mode=row.transport_mode,
            traffic=row.traffic,
            provenance=row.provenance,
            quantity=row.quantity,
            retail_value_cents=row.retail_value_cents,
            currency=row.currency,
            seized_on=row.since,
        )
        ctx.session.add(seizure)
    seizure.outcome = row.outcome
    seizure.closed_on = row.since if row.closed else None


def open_detention(
    ctx: Context,
    *,
    goods: Goods,
    application_id: str | None = None,
    small_consignment: bool = False,
    perishable: bool = False,
    goods_id: str | None = None,
    screening_hit_id: str | None = None,
    declarant_name: str | None = None,
    declarant_email: str | None = None,
) -> Detention:
    """Suspend release: from a screening hit under a granted application, or ex officio without one.

    The detention takes the acting officer's country, its profile and calendar. Raises ValidationFailed when
    the application does not cover the goods here and now, or the small-consignments conditions are not met.
    """
    _require_actor(ctx)
    assert ctx.actor is not None
    country = (ctx.actor.jurisdiction or "").upper()
    _authorize_customs(ctx, country, None)
    try:
        profile = profiles.for_country(country)
    except profiles.UnknownProfile as exc:
        raise ValidationFailed([Problem("country", exc.message)]) from None
    today = _today(ctx)
    problems = goods.problems()
    app: Application | None = None
    if application_id is not None:
        app = require_application(ctx, application_id)
        if app not in active_applications(ctx, country, today):
            problems.append(Problem("application_id", f"{app.reference} is not a granted application in force here"))
    if small_consignment:
        path = "small_consignment"
        rule = profile.paths.get(path)
        if rule is None:
            problems.append(Problem("small_consignment", f"profile {profile.name} has no small-consignments path"))
        else:
            el = rule.eligibility
            if app is None or (el.get("requires_opt_in") and not app.small_consignments):
                problems.append(Problem("small_consignment", "the application does not opt in to small consignments"))
            heavy = goods.gross_kg is not None and goods.gross_kg >= float(el.get("max_gross_kg", 0))
            if goods.quantity > int(el.get("max_units", 0)) and (goods.gross_kg is None or heavy):
                problems.append(
                    Problem("small_consignment", "more than the units or weight a small consignment may have")
                )
            if goods.transport_mode not in el.get("transport_modes", []):
                problems.append(
                    Problem("small_consignment", f"{goods.transport_mode} is not postal or express traffic")
                )
    else:
        path = "standard" if app is not None else "ex_officio"
        if path not in profile.paths:
            problems.append(Problem("application_id", f"profile {profile.name} needs an application to detain"))
    if goods_id and ctx.session.scalar(select(Detention.id).where(Detention.goods_id == goods_id)):
        problems.append(Problem("goods_id", f"goods {goods_id} are already detained"))
    if problems:
        raise ValidationFailed(problems)

    conditions = {"perishable": True} if perishable else {}
    started = machine.start(profile, path, country, today, conditions)
    now = ctx.clock.now()
    row = Detention(
        id=new_id(),
        goods_id=goods_id or f"GDS-{country}-{new_id()[:13].upper()}",
        origin="screening_hit" if screening_hit_id else ("ex_officio" if app is None else "application"),
        screening_hit_id=screening_hit_id,
        application_id=app.id if app else None,
        holder_id=app.holder_id if app else None,
        customs_id=ctx.actor.organisation_id,
        country=country,
        profile=profile.name,
        path=path,
        state=started.detention.state,
        facts=[],
        deadlines={},
        fired=[],
        overdue={},
        since=today,
        closed=False,
        description=goods.description,
        quantity=goods.quantity,
        product_category=goods.product_category,
        ipr_type=goods.ipr_type,
        transport_mode=goods.transport_mode,
        traffic=goods.traffic,
        provenance=goods.provenance,
        retail_value_cents=goods.retail_value_cents,
        currency=goods.currency,
        gross_kg=str(goods.gross_kg) if goods.gross_kg is not None else None,
        images=list(goods.images),
        declarant_name=declarant_name,
        declarant_email=declarant_email,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(row)
    _store(ctx, row, started.detention, started.steps)
    accounts.audit_write(
        ctx, "customs.detention.open", "customs_detention", row.id, {"goods_id": row.goods_id, "path": path}
    )
    ctx.session.commit()
    return row


def require_detention(ctx: Context, detention_id: str) -> Detention:
    row = ctx.session.get(Detention, detention_id)
    if row is None:
        raise NotFound(f"no detention {detention_id!r}")
    return row


def _holder_told(ctx: Context, row: Detention) -> bool:
    return (
        ctx.session.scalar(
            select(Notification.id).where(
                Notification.detention_id == row.id,
                Notification.channel == "in_app",
                Notification.organisation_id == row.holder_id,
            ).limit(1)
        )
        is not None
    )


def party_of(ctx: Context, row: Detention) -> str:
    """Which party of the procedure the signed-in user is for this detention."""
    _require_actor(ctx)
    assert ctx.actor is not None
    a = ctx.actor
    if row.holder_id is not None and a.organisation_id == row.holder_id and a.role in (Role.HOLDER, Role.ADMIN):
        if not _holder_told(ctx, row):
            # Small consignments: the holder learns of the goods only if the declarant objects (Art. 26(7)).
            raise PermissionDenied("the holder has not been notified of this detention")
        return "holder"
    if a.role == Role.ADMIN or (
        a.org_kind == OrgKind.CUSTOMS and a.role == Role.OFFICER and a.jurisdiction == row.country
    ):
        return "customs"
    raise PermissionDenied("only the customs authority of the detention and the holder may act on it")


def act(ctx: Context, detention_id: str, move: str, *, on_behalf_of_declarant: bool = False) -> Detention:
    """Make a move of the procedure as the signed-in party (customs may record a declarant's answer).

    Raises InvalidTransition with the legal reason when the move is not open, PermissionDenied for outsiders.
    """
    row = require_detention(ctx, detention_id)
    party = party_of(ctx, row)
    if on_behalf_of_declarant:
        if party != "customs":
            raise PermissionDenied("only customs record a declarant's answer")
        party = "declarant"
    profile = profiles.load(row.profile)
    result = machine.apply(profile, _snapshot(row), move, party, _today(ctx))
    _store(ctx, row, result.detention, result.steps)
    rule = next((m for m in profile.moves if m.move == move and m.tell), None)
    if rule is not None:
        _queue_notices(ctx, row, profile, rule.tell, move)
    accounts.audit_write(
        ctx,
        f"customs.detention.{move}",
        "customs_detention",
        row.id,
        {"party": party, "state": row.state, "outcome": row.outcome},
    )
    ctx.session.commit()
    return row


def advance_detention(ctx: Context, row: Detention) -> list[machine.Step]:
    """Apply the expiries due today to one detention and refresh its overdue list (no commit: tasks batch it)."""
    profile = profiles.load(row.profile)
    before_overdue = dict(row.overdue)
    result = machine.advance(profile, _snapshot(row), _today(ctx))
    _store(ctx, row, result.detention, result.steps)
    for name in sorted(set(row.overdue) - set(before_overdue)):
        accounts.audit_write(
            ctx,
            "customs.detention.overdue",
            "customs_detention",
            row.id,
            {"deadline": name, "due": row.overdue[name], "state": row.state},
        )
    for s in result.steps:
        accounts.audit_write(
            ctx,
            f"customs.detention.{s.kind}",
            "customs_detention",
            row.id,
            {"name": s.name, "state": s.after, "outcome": s.outcome, "source": s.source},
        )
    return list(result.steps)


def days_left(row: Detention, today: dt.date) -> dict[str, int]:
    """Working days left for each running deadline (0 on the last day, negative when past)."""
    profile = profiles.load(row.profile)
    return {
        name: clock.days_left(profile, row.country, today, due)
        for name, due in machine.running(profile, _snapshot(row)).items()
    }


def detention_view(ctx: Context, detention_id: str) -> dict[str, Any]:
    """What the acting party may see: the goods, their images, the state and the clock; the declarant's
    identity only for customs (the holder learns it through the procedure, not from this view)."""
    row = require_detention(ctx, detention_id)
    party = party_of(ctx, row)
    profile = profiles.load(row.profile)
    today = _today(ctx)
    view: dict[str, Any] = {
        "id": row.id,
        "goods_id": row.goods_id,
        "country": row.country,
        "profile": row.profile,
        "path": row.path,
        "state": row.state,
        "state_description": profile.states[row.state].description,
        "outcome": row.outcome,
        "description": row.description,
        "quantity": row.quantity,
        "images": list(row.images),
        "deadlines": {k: v.isoformat() for k, v in machine.running(profile, _snapshot(row)).items()},
        "days_left": days_left(row, today),
        "overdue": dict(row.overdue),
        "moves": machine.legal_moves(profile, _snapshot(row), party, today),
        "party": party,
    }
    if party == "customs":
        view["declarant_name"] = row.declarant_name
        view["declarant_email"] = row.declarant_email
        accounts.audit_read(ctx, "customs_detention", row.id, "customs authority of the detention")
    return view


def list_open(ctx: Context, country: str | None = None) -> list[Detention]:
    q = select(Detention).where(Detention.closed.is_(False)).order_by(Detention.since)
    if country:
        q = q.where(Detention.country == country)
    return list(ctx.session.scalars(q))


def list_overdue(ctx: Context, country: str | None = None) -> list[Detention]:
    return [d for d in list_open(ctx, country) if d.overdue]


# --- notices ------------------------------------------------------------------------------------------------------


def _queue_notices(
    ctx: Context, row: Detention, profile: profiles.Profile, audiences: Iterable[str], move: str
) -> None:
    """Queue notices in this transaction; e-mail and webhooks go out after commit (customs.tasks.deliver)."""
    snap = _snapshot(row)
    body = {
        "goods_id": row.goods_id,
        "detention": row.id,
        "country": row.country,
        "move": move,
        "state": row.state,
        "description": row.description,
        "quantity": row.quantity,
        "images": list(row.images),
        "deadlines": {k: v.isoformat() for k, v in machine.running(profile, snap).items()},
    }
    now = ctx.clock.now()
    subject = f"Detention {row.goods_id}: {profile.states[row.state].description}"
    app = ctx.session.get(Application, row.application_id) if row.application_id else None
    for audience in sorted(audiences):
        targets: list[tuple[str, str | None, str | None]] = []
        if audience == "holder" and row.holder_id:
            targets.append(("in_app", row.holder_id, None))
            holder = ctx.session.get(Organisation, row.holder_id)
            email = (app.notify_email if app else None) or (holder.email if holder else None)
            if email:
                targets.append(("email", row.holder_id, email))
            if app and app.webhook_url:
                targets.append(("webhook", row.holder_id, app.webhook_url))
        elif audience == "declarant" and row.declarant_email:
            targets.append(("email", None, row.declarant_email))
        for channel, org_id, address in targets:
            ctx.session.add(
                Notification(
                    detention_id=row.id,
                    audience=audience,
                    channel=channel,
                    organisation_id=org_id,
                    address=address,
                    subject=subject,
                    body=body,
                    status="sent" if channel == "in_app" else "pending",
                    attempts=0,
                    created_at=now,
                    sent_at=now if channel == "in_app" else None,
                )
            )


def inbox(ctx: Context) -> list[Notification]:
    """In-app notices for the signed-in user's organisation, newest first."""
    _require_actor(ctx)
    assert ctx.actor is not None
    q = (
        select(Notification)
        .where(Notification.channel == "in_app", Notification.organisation_id == ctx.actor.organisation_id)
        .order_by(Notification.id.desc())
    )
    return list(ctx.session.scalars(q))


def webhook_secret_for(ctx: Context, application_id: str) -> str:
    """The secret the holder's endpoint checks signatures with (shown to the holder only)."""
    app = require_application(ctx, application_id)
    _require_actor(ctx)
    assert ctx.actor is not None
    if ctx.actor.organisation_id != app.holder_id:
        raise PermissionDenied("the webhook secret belongs to the applicant")
    if not app.webhook_secret:
        raise Conflict("this application has no webhook")
    return app.webhook_secret


# --- what each party may list ---------------------------------------------------------------------------------


def list_applications(ctx: Context) -> list[Application]:
    """Applications the signed-in user deals with: a holder its own, customs those asking action in its
    country, an administrator all. Others see none (the applicant's undertakings are not public)."""
    _require_actor(ctx)
    assert ctx.actor is not None
    a = ctx.actor
    q = select(Application).order_by(Application.received_on.desc(), Application.reference)
    if a.role == Role.ADMIN:
        return list(ctx.session.scalars(q))
    if a.org_kind == OrgKind.RIGHTS_HOLDER:
        return list(ctx.session.scalars(q.where(Application.holder_id == a.organisation_id)))
    if a.org_kind == OrgKind.CUSTOMS and a.jurisdiction:
        return [app for app in ctx.session.scalars(q) if a.jurisdiction in app.countries]
    return []


def application_view(ctx: Context, application_id: str) -> Application:
    """One application, for its applicant, customs of a country it names, or an administrator."""
    app = require_application(ctx, application_id)
    if app not in list_applications(ctx):
        raise PermissionDenied("this application is for its applicant and the customs it names")
    return app


def queue(ctx: Context, *, include_closed: bool = False) -> list[Detention]:
    """The detentions the signed-in user works on, oldest change first: customs of a country its own, a
    holder those under its applications, an administrator all. Others see none (detentions hold personal data)."""
    _require_actor(ctx)
    assert ctx.actor is not None
    a = ctx.actor
    q = select(Detention).order_by(Detention.closed, Detention.since, Detention.goods_id)
    if not include_closed:
        q = q.where(Detention.closed.is_(False))
    if a.role == Role.ADMIN:
        pass
    elif a.org_kind == OrgKind.CUSTOMS and a.jurisdiction:
        q = q.where(Detention.country == a.jurisdiction)
    elif a.org_kind == OrgKind.RIGHTS_HOLDER:
        told = select(Notification.detention_id).where(
            Notification.channel == "in_app", Notification.organisation_id == a.organisation_id
        )
        q = q.where(Detention.holder_id == a.organisation_id, Detention.id.in_(told))
    else:
        return []
    return list(ctx.session.scalars(q))
