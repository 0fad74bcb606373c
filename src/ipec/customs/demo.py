"""Demo customs records: applications for action, detentions at every stage, and a year of seizures.

Everything goes through `customs.services`, dated by giving each call a clock set to the day it happens, so
the demo holds exactly what the workflow would have produced (steps, ledger entries, audit, seizure view).
Deterministic: one seeded random generator, dates relative to the node's today.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation, User
from ipec.accounts.policy import Actor
from ipec.customs import services, tasks
from ipec.customs.models import Application, Detention
from ipec.kernel import calendars
from ipec.kernel.clock import FixedClock
from ipec.kernel.errors import DomainError
from ipec.rights.models import Right

SEED = 20261204
YEAR_OF_SEIZURES = 150

# Which goods each holder's counterfeits are (EU report category) and a typical genuine retail price per unit.
SECTOR_GOODS: dict[str, list[tuple[str, str, int]]] = {
    "luxury": [("clothing_accessories", "handbags", 90000), ("personal_accessories", "wallets", 35000),
               ("body_care", "perfume", 12000)],
    "sportswear": [("shoes", "running shoes", 14000), ("clothing_accessories", "sportswear", 6000),
                   ("toys_games_sports", "footballs", 3500)],
    "watches": [("personal_accessories", "watches", 450000)],
    "electronics": [("mobile_phones_accessories", "earphones", 15000),
                    ("electrical_electronic_computer", "chargers", 3000)],
    "pharma": [("medicines", "tablets (boxes)", 2500)],
    "cosmetics": [("body_care", "creams and perfumes", 4000)],
    "toys": [("toys_games_sports", "building block sets", 8000)],
    "tobacco": [("tobacco", "cigarette cartons", 7000)],
    "beverages": [("foodstuff_beverages", "bottles of sparkling wine", 3000)],
    "autoparts": [("other", "brake pads", 6000)],
}
PROVENANCE = [("CN", 50), ("HK", 14), ("TR", 10), ("AE", 5), ("IN", 5), ("VN", 5), ("TH", 4), ("MA", 4), ("US", 3)]
TRANSPORT = [("postal", 33), ("express_courier", 30), ("air", 10), ("sea", 15), ("road", 10), ("rail", 2)]
IPR = [("trademark", 88), ("design", 6), ("copyright", 3), ("patent", 2), ("pgi", 1)]

# (holder, deciding customs, countries, restricted to these customs, small consignments, what happened)
APPLICATIONS = [
    ("Aurelia Maison SA", "FR", ["FR", "DE", "NL", "ES"], ["FR", "DE"], True, "granted"),
    ("Stridewell Athletics Inc.", "NL", ["NL", "DE", "FR"], [], True, "granted"),
    ("Stridewell Athletics Inc.", "US", ["US"], [], False, "granted"),
    ("Kronberg Uhren AG", "DE", ["DE", "FR", "NL"], [], False, "granted"),
    ("Voltaris Electronics Co.", "NL", ["NL", "DE"], [], True, "granted"),
    ("Medivex Pharma plc", "NL", ["NL", "ES", "FR"], ["NL"], False, "granted"),
    ("Belleza Cosmetica SL", "ES", ["ES", "FR"], [], True, "granted"),
    ("Nordlys Outdoor AS", "NL", ["NL", "DE"], [], False, "granted"),
    ("Brickfolk Toys A/S", "NL", ["NL"], [], False, "submitted"),
    ("Golden Leaf Tobacco Ltd", "ES", ["ES"], [], False, "information_requested"),
    ("Vinhos do Vale Lda", "ES", ["ES"], [], False, "refused"),
]
OFFICERS = {"FR": "officer.fr", "DE": "officer.de", "NL": "officer.nl", "ES": "officer.es", "US": "officer.us"}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class _World:
    base: accounts.Context
    today: dt.date
    officers: dict[str, Actor]
    holders: dict[str, Actor]
    orgs: dict[str, Organisation]
    sectors: dict[str, str]

    def at(self, actor: Actor, day: dt.date) -> accounts.Context:
        """A context for `actor` whose clock says `day` (the services date every step by the clock)."""
        when = dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)
        return accounts.Context(session=self.base.session, clock=FixedClock(when), actor=actor, ip=None)


def _actor(ctx: accounts.Context, username: str) -> Actor:
    user = ctx.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"demo user {username} is missing")
    return accounts.actor_of(user)


def _rights(ctx: accounts.Context, org_id: str, office: str) -> list[str]:
    q = select(Right.id).where(Right.owner_id == org_id, Right.office == office, Right.status == "registered")
    return list(ctx.session.scalars(q.order_by(Right.right_id).limit(3)))


def _working_day(day: dt.date, country: str) -> dt.date:
    while not calendars.is_working_day(day, country):
        day += dt.timedelta(days=1)
    return day


def _applications(w: _World) -> dict[str, list[Application]]:
    """File every application; grant the EU ones twice (last year's, then this year's renewal)."""
    granted: dict[str, list[Application]] = {}
    for holder, country, countries, restricted, small, fate in APPLICATIONS:
        office = "USPTO" if country == "US" else "EUIPO"
        rights = _rights(w.base, w.orgs[holder].id, office)
        if not rights:
            continue
        guide = {
            "genuine_features": [f"{holder.split()[0]} hologram label", "serial number on inner tag"],
            "gtins": [f"40{zlib.crc32(holder.encode()) % 10**11:011d}"],
            "price_range": {"currency": "EUR", "min": 50, "max": 2500},
            "authorised_distributors": [f"{holder.split()[0]} Europe Logistics"],
            "counterfeit_clues": ["misspelt care label", "no hologram", "price far below range"],
        }
        restricted_to = [w.officers[c].organisation_id for c in restricted]
        rounds = [w.today - dt.timedelta(days=400), w.today - dt.timedelta(days=45)] if fate == "granted" else [
            w.today - dt.timedelta(days=12)]
        for filed in rounds:
            filed = _working_day(filed, country)
            app = services.file_application(
                w.at(w.holders[holder], filed), country=country, countries=countries, right_ids=rights,
                product_guide=guide, restricted=bool(restricted), restricted_to=restricted_to,
                small_consignments=small, notify_email=f"brand-protection@{holder.split()[0].lower()}.example",
            )
            officer = w.officers[country]
            decided = _working_day(filed + dt.timedelta(days=9), country)
            if fate == "granted":
                until = None if country != "US" else decided + dt.timedelta(days=3 * 365)
                services.grant_application(w.at(officer, decided), app.id, until)
                granted.setdefault(holder, []).append(app)
            elif fate == "information_requested":
                services.request_information(w.at(officer, decided), app.id, "images of the genuine packaging")
            elif fate == "refused":
                services.request_information(w.at(officer, filed), app.id, "proof of entitlement")
                services.refuse_application(w.at(officer, decided), app.id,
                                            "no proof that the applicant holds the rights named")
    return granted


def _app_for(apps: list[Application], country: str, day: dt.date) -> Application | None:
    for app in apps:
        if (country in app.countries and app.decided_on is not None and app.valid_until is not None
                and app.decided_on <= day <= app.valid_until):
            return app
    return None


def _goods(rng: random.Random, sector: str, small: bool) -> services.Goods:
    category, noun, unit_cents = rng.choice(SECTOR_GOODS[sector])
    transport = rng.choice(["postal", "express_courier"]) if small else _pick(rng, TRANSPORT)
    if small:
        quantity = rng.randint(1, 3)
    elif transport == "sea":
        quantity = rng.randint(200, 6000)
    elif transport in ("postal", "express_courier"):
        quantity = rng.randint(4, 40)
    else:
        quantity = rng.randint(20, 900)
    traffic = "passenger" if transport in ("air", "road") and rng.random() < 0.15 else "freight"
    return services.Goods(
        description=f"{quantity} {noun} bearing a protected mark", quantity=quantity, product_category=category,
        ipr_type=_pick(rng, IPR), transport_mode=transport, traffic=traffic, provenance=_pick(rng, PROVENANCE),
        retail_value_cents=quantity * unit_cents, currency="EUR", gross_kg=round(quantity * 0.4, 1) if small else None,
    )


def _open(w: _World, rng: random.Random, holder: str, country: str, day: dt.date, small: bool = False,
          app: Application | None = None, perishable: bool = False) -> Detention:
    goods = _goods(rng, w.sectors[holder], small)
    seq = rng.randint(10**6, 10**7 - 1)
    return services.open_detention(
        w.at(w.officers[country], day), goods=goods, application_id=app.id if app else None,
        small_consignment=small, perishable=perishable, goods_id=f"GDS-{country}-{day:%Y%m%d}-{seq}",
        screening_hit_id=f"HIT-{country}-{seq}" if app else None,
        declarant_name=f"Declarant {seq % 997}", declarant_email=f"declarant{seq % 997}@example.net",
    )


def _later(day: dt.date, country: str, working_days: int) -> dt.date:
    return calendars.add_working_days(day, working_days, country)


def _year_of_seizures(w: _World, rng: random.Random, granted: dict[str, list[Application]]) -> int:
    """Closed EU procedures over the past year: mostly destruction, some by deemed consent, some in court."""
    eu = [(h, c) for h, apps in granted.items() for a in apps for c in a.countries if c != "US"]
    done = 0
    for _ in range(YEAR_OF_SEIZURES):
        holder, country = rng.choice(eu)
        day = _working_day(w.today - dt.timedelta(days=rng.randint(40, 365)), country)
        app = _app_for(granted[holder], country, day)
        if app is None:
            continue
        officer = w.officers[country]
        small = app.small_consignments and rng.random() < 0.35
        row = _open(w, rng, holder, country, day, small=small, app=app)
        notified = _later(day, country, 1)
        if small:
            services.act(w.at(officer, notified), row.id, "notify_small_consignment")
            # The declarant stays silent: destruction by deemed consent once the 10 working days run out.
            services.advance_detention(w.at(tasks.SYSTEM_ACTOR, _later(notified, country, 11)), row)
            done += 1
            continue
        services.act(w.at(officer, notified), row.id, "notify")
        answer = _later(notified, country, rng.randint(1, 6))
        holder_ctx = w.at(w.holders[holder], answer)
        fate = rng.random()
        if fate < 0.55:
            services.act(holder_ctx, row.id, "holder_confirms")
            services.act(w.at(officer, answer), row.id, "declarant_agrees")
        elif fate < 0.78:
            services.act(holder_ctx, row.id, "holder_confirms")
            services.advance_detention(w.at(tasks.SYSTEM_ACTOR, _later(notified, country, 11)), row)
        elif fate < 0.88:
            services.act(holder_ctx, row.id, "holder_starts_proceedings")
            if rng.random() < 0.6:
                services.act(w.at(officer, _later(answer, country, rng.randint(20, 30))), row.id,
                             "court_finds_infringement")
        elif fate < 0.93:
            services.act(w.at(officer, answer), row.id, "abandon")
        else:
            services.act(holder_ctx, row.id, "holder_lets_go")
        done += 1
    w.base.session.commit()
    return done


def _current(w: _World, rng: random.Random, granted: dict[str, list[Application]]) -> int:
    """Detentions still running today, one at every stage of both procedures."""
    t = w.today
    n = 0

    def back(country: str, days: int) -> dt.date:
        return calendars.subtract_working_days(t, days, country)

    aurelia = _app_for(granted["Aurelia Maison SA"], "FR", t)
    voltaris = _app_for(granted["Voltaris Electronics Co."], "NL", t)
    kronberg = _app_for(granted["Kronberg Uhren AG"], "DE", t)
    belleza = _app_for(granted["Belleza Cosmetica SL"], "ES", t)
    medivex = _app_for(granted["Medivex Pharma plc"], "NL", t)
    plans: list[tuple[str, str, Application | None, int, list[tuple[str, str]], bool]] = [
        # holder, country, application, opened n working days ago, moves (by, move) the day after, small
        ("Aurelia Maison SA", "FR", aurelia, 0, [], False),  # just detained: notify today
        ("Aurelia Maison SA", "FR", aurelia, 4, [], False),  # notification forgotten: overdue
        ("Aurelia Maison SA", "FR", aurelia, 4, [("officer", "notify")], False),  # holder must answer
        ("Kronberg Uhren AG", "DE", kronberg, 3, [("officer", "notify")], False),
        ("Kronberg Uhren AG", "DE", kronberg, 8, [("officer", "notify"), ("holder", "holder_confirms")], False),
        ("Voltaris Electronics Co.", "NL", voltaris, 9, [("officer", "notify"), ("officer", "extend")], False),
        ("Voltaris Electronics Co.", "NL", voltaris, 2, [("officer", "notify_small_consignment")], True),
        ("Belleza Cosmetica SL", "ES", belleza, 5,
         [("officer", "notify_small_consignment"), ("officer", "declarant_objects")], True),
        ("Medivex Pharma plc", "NL", medivex, 12,
         [("officer", "notify"), ("holder", "holder_starts_proceedings")], False),
        ("Belleza Cosmetica SL", "FR", None, 2, [("officer", "notify_ex_officio")], False),
    ]
    for holder, country, app, ago, moves, small in plans:
        opened = back(country, ago) if ago else t
        row = _open(w, rng, holder, country, opened, small=small, app=app)
        day = _later(opened, country, 1) if ago else t
        for who, move in moves:
            actor = w.officers[country] if who == "officer" else w.holders[holder]
            services.act(w.at(actor, min(day, t)), row.id, move)
        n += 1
    stride = _app_for(granted.get("Stridewell Athletics Inc.", []), "US", t)
    if stride is not None:
        for ago, us_moves in ((1, []), (3, ["detain"]), (6, ["detain", "send_notice"]),
                           (20, ["detain", "send_notice", "seize", "inform_owner"])):
            opened = back("US", ago)
            row = _open(w, rng, "Stridewell Athletics Inc.", "US", opened, app=stride)
            day = _later(opened, "US", 1)
            for us_move in us_moves:
                services.act(w.at(w.officers["US"], min(day, t)), row.id, us_move)
            n += 1
    w.base.session.commit()
    return n


def load(ctx: accounts.Context, world: dict[str, Any], report: Any) -> None:
    """Add the customs demo records (called by the demo loader after the foundation's records)."""
    rng = random.Random(SEED)
    orgs = {o.name: o for o in ctx.session.scalars(select(Organisation))}
    w = _World(
        base=ctx,
        today=ctx.clock.today(),
        officers={c: _actor(ctx, u) for c, u in OFFICERS.items()},
        holders={h["name"]: _actor(ctx, "holder." + h["name"].split()[0].lower()) for h in world["holders"]},
        orgs=orgs,
        sectors={h["name"]: h["sector"] for h in world["holders"]},
    )
    granted = _applications(w)
    report.extra["customs_applications"] = sum(1 for _ in ctx.session.scalars(select(Application.id)))
    closed = _year_of_seizures(w, rng, granted)
    running = _current(w, rng, granted)
    # Bring every open detention up to today, as the scheduled task would: expiries applied, overdue flagged.
    for row in list(ctx.session.scalars(select(Detention).where(Detention.closed.is_(False)))):
        try:
            services.advance_detention(w.at(tasks.SYSTEM_ACTOR, w.today), row)
        except DomainError:
            continue
    ctx.session.commit()
    report.extra["detentions"] = closed + running
