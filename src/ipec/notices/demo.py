"""Demo notices and subscriptions: every notice type, issued by authorities of eight countries, under markings
from TLP:GREEN to RED and every audience, one already expired; subscriptions for analysts and officers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation, User
from ipec.kernel.clock import FixedClock
from ipec.notices import services
from ipec.notices.models import Notice
from ipec.notices.schemas import MarkingIn, NoticeIn, RouteIn, SubscriptionIn
from ipec.rights.models import Right

# (issuer, days ago, notice, marking with organisation names in place of ids)
NOTICES: list[tuple[str, int, dict[str, Any], dict[str, Any]]] = [
    ("officer.fr", 2, {
        "type": "modus_operandi", "title": "Counterfeit trainers hidden in crates of machine parts",
        "body": "Sea containers declared as spare parts for textile machines; trainers packed inside hollowed "
                "crates behind a first row of genuine parts. Look for a declared weight far above the parts' "
                "weight and for consignees created less than six months ago.",
        "language": "en", "product_categories": ["shoes"], "hs_chapters": [64, 84], "jurisdictions": ["EU"],
        "route": {"origin": "CN", "transit": ["AE"], "destination": "FR"}, "holder": "Stridewell Athletics Inc.",
    }, {"tlp": "AMBER", "handling": "H0", "source_reliability": "B", "information_reliability": 2,
        "audience": "all_participants", "purpose": "Risk profiling of sea containers"}),
    ("officer.de", 1, {
        "type": "imminent_threat", "title": "Falsified oncology medicines offered to pharmacies",
        "body": "Gefälschte Packungen mit abweichender Chargennummer und fehlendem Sicherheitsmerkmal (2D-Code). "
                "Lieferungen per Expresskurier an Apotheken in Bayern und Hessen.",
        "language": "de", "product_categories": ["medicines"], "hs_chapters": [30], "jurisdictions": ["DE", "AT"],
        "route": {"origin": "IN", "transit": ["AE"], "destination": "DE"}, "holder": "Medivex Pharma plc",
    }, {"tlp": "GREEN", "handling": "H0", "source_reliability": "A", "information_reliability": 1,
        "audience": "all_participants", "purpose": "Protection of public health"}),
    ("analyst.es", 3, {
        "type": "warning", "title": "Seller reopening web shops under new names after takedowns",
        "body": "El mismo administrador registra nuevos dominios a las pocas horas de cada retirada; pagos "
                "a través de cuentas de terceros. Datos personales del sospechoso en el expediente nacional.",
        "language": "es", "product_categories": ["body_care", "clothing_accessories"], "hs_chapters": [33, 61],
        "jurisdictions": ["ES"], "route": {}, "holder": "Belleza Cosmetica SL",
    }, {"tlp": "AMBER", "handling": "H1", "source_reliability": "B", "information_reliability": 3,
        "audience": "national", "personal_data": True, "purpose": "Criminal investigation",
        "legal_basis": "Ley Orgánica 7/2021, art. 2"}),
    ("officer.nl", 5, {
        "type": "seizure_feedback", "title": "12,400 watches seized at Rotterdam: feedback on the profile",
        "body": "The risk profile shared last month hit on 3 of 40 containers. Watches with Kronberg marks, "
                "movements without serial numbers; consignees in Germany and France.",
        "language": "en", "product_categories": ["personal_accessories"], "hs_chapters": [91],
        "jurisdictions": ["NL", "DE", "FR"], "route": {"origin": "CN", "destination": "NL"},
        "holder": "Kronberg Uhren AG",
    }, {"tlp": "AMBER+STRICT", "handling": "H2", "source_reliability": "A", "information_reliability": 1,
        "audience": "named_organisations",
        "recipients": ["Generalzolldirektion (DE)", "Direction générale des douanes (FR)"],
        "purpose": "Feedback to the administrations that shared the profile"}),
    ("officer.us", 4, {
        "type": "request_for_information", "title": "Building-block toys: known exporters of lookalike sets?",
        "body": "We see rising express shipments of building-block sets with Brickfolk lookalike packaging. "
                "Please share exporter names and addresses seen in your seizures since January.",
        "language": "en", "product_categories": ["toys_games_sports"], "hs_chapters": [95],
        "jurisdictions": ["US", "EU"], "route": {"origin": "CN", "destination": "US"}, "holder": "Brickfolk Toys A/S",
    }, {"tlp": "AMBER", "handling": "H0", "source_reliability": "X", "information_reliability": 4,
        "audience": "all_participants", "purpose": "Targeting of express consignments"}),
    ("officer.br", 6, {
        "type": "modus_operandi", "title": "Cigarettes under layers of soybean in bulk trucks",
        "body": "Caminhões graneleiros com cigarros falsificados sob camadas de soja, atravessando a fronteira "
                "em Foz do Iguaçu à noite. Documentos de transporte emitidos no mesmo dia.",
        "language": "pt", "product_categories": ["tobacco"], "hs_chapters": [24], "jurisdictions": ["BR", "PY"],
        "route": {"origin": "PY", "destination": "BR"}, "holder": "Golden Leaf Tobacco Ltd",
    }, {"tlp": "AMBER", "handling": "H3", "handling_note": "Not to be shared with private parties",
        "source_reliability": "B", "information_reliability": 2, "audience": "group",
        "group_name": "Operation Southern Leaf",
        "recipients": ["Polícia Federal – DELEFAZ (BR)", "Agencia Tributaria – Aduanas (ES)",
                       "Global Anti-Counterfeiting Coordination Unit"],
        "purpose": "Joint operation"}),
    ("analyst.fr", 1, {
        "type": "warning", "title": "Courier network moving luxury bags through Paris and Frankfurt",
        "body": "Trois passeurs identifiés transportent des sacs contrefaisants en bagage cabine entre Paris et "
                "Francfort. Identités et numéros de téléphone dans la procédure.",
        "language": "fr", "product_categories": ["clothing_accessories"], "hs_chapters": [42],
        "jurisdictions": ["FR", "DE"], "route": {"origin": "FR", "destination": "DE"},
        "holder": "Aurelia Maison SA",
    }, {"tlp": "RED", "handling": "H2", "source_reliability": "A", "information_reliability": 2,
        "audience": "named_organisations", "recipients": ["Bundeskriminalamt – IP crime (DE)"], "personal_data": True,
        "purpose": "Criminal investigation", "legal_basis": "Directive (EU) 2016/680, art. 8"}),
    ("officer.cn", 2, {
        "type": "seizure_feedback", "title": "Phone chargers with forged safety marks seized in Shenzhen",
        "body": "48,000 chargers bearing Voltaris marks and forged CE marks seized before export; destination "
                "declarations named Brazil, the Netherlands and the United Arab Emirates.",
        "language": "en", "product_categories": ["mobile_phones", "electrical_equipment"], "hs_chapters": [85],
        "jurisdictions": ["CN", "BR", "NL", "AE"], "route": {"origin": "CN"}, "holder": "Voltaris Electronics Co.",
    }, {"tlp": "GREEN", "handling": "H0", "source_reliability": "A", "information_reliability": 1,
        "audience": "all_participants", "purpose": "Seizure feedback"}),
    ("officer.ae", 120, {
        "type": "imminent_threat", "title": "Counterfeit car brake pads in transit through Jebel Ali",
        "body": "Brake pads with Motorline marks failing friction tests; transhipped to Africa and Europe.",
        "language": "en", "product_categories": ["other"], "hs_chapters": [87], "jurisdictions": ["AE", "EU"],
        "route": {"origin": "CN", "transit": ["AE"], "destination": "NG"}, "holder": "Motorline Parts GmbH",
    }, {"tlp": "GREEN", "handling": "H0", "source_reliability": "B", "information_reliability": 2,
        "audience": "all_participants", "purpose": "Road safety"}),
]

SUBSCRIPTIONS: list[tuple[str, dict[str, Any]]] = [
    ("analyst.de", {"name": "Europe: footwear and bags", "jurisdictions": ["EU"],
                    "product_categories": ["shoes", "clothing_accessories"]}),
    ("analyst.de", {"name": "Modus operandi anywhere", "notice_types": ["modus_operandi"]}),
    ("analyst.es", {"name": "Amenazas y modos operatorios", "notice_types": ["imminent_threat", "modus_operandi"]}),
    ("analyst.fr", {"name": "France", "jurisdictions": ["FR"]}),
    ("officer.fr", {"name": "Médicaments", "product_categories": ["medicines"]}),
    ("officer.es", {"name": "Tabaco", "product_categories": ["tobacco"], "hs_chapters": [24]}),
    ("coordinator", {"name": "Operation countries", "jurisdictions": ["FR", "DE", "NL", "ES", "US", "BR"]}),
]

# (reader, notice index, acknowledged too)
READS = [("analyst.de", 1, True), ("analyst.fr", 1, False), ("officer.de", 3, True), ("analyst.de", 6, True)]


def _as(ctx: accounts.Context, users: dict[str, User], username: str, clock: Any = None) -> accounts.Context:
    return accounts.Context(session=ctx.session, clock=clock or ctx.clock, actor=accounts.actor_of(users[username]),
                            ip=ctx.ip)


def load(ctx: accounts.Context, world: dict[str, Any], report: Any) -> None:
    s = ctx.session
    users = {u.username: u for u in s.scalars(select(User))}
    orgs = {o.name: o.id for o in s.scalars(select(Organisation))}
    notices: list[Notice] = []
    for username, days_ago, spec, marking in NOTICES:
        holder = spec.get("holder")
        rights = list(s.scalars(select(Right.right_id)
                                .where(Right.owner_id == orgs[holder], Right.status == "registered")
                                .order_by(Right.right_id).limit(2))) if holder in orgs else []
        fields = {k: v for k, v in spec.items() if k not in ("holder", "route")}
        mark = {**marking, "recipients": [orgs[name] for name in marking.get("recipients", [])]}
        data = NoticeIn(**fields, right_ids=rights, route=RouteIn(**spec["route"]), marking=MarkingIn(**mark))
        # Issued on its day, so the list reads like a week of traffic (and one notice has run out).
        when = FixedClock(ctx.clock.now() - dt.timedelta(days=days_ago, hours=3 * len(notices)))
        notices.append(services.add(_as(ctx, users, username, when), data))
    for username, sub in SUBSCRIPTIONS:
        services.add_subscription(_as(ctx, users, username), SubscriptionIn(**sub))
    for username, index, ack in READS:
        services.record_reading(_as(ctx, users, username), notices[index].id, acknowledged=ack)
    report.extra["notices"] = len(notices)
    report.extra["notice_subscriptions"] = len(SUBSCRIPTIONS)
