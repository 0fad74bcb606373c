"""Demo records: a joint operation across six countries, its cases (tasks, links, results week by week, notes) and
evidence with chains of custody. Called by the demo loader after customs and notices; the legal-assistance
requests built from these cases are added by `ipec.assistance.demo`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import Organisation, User
from ipec.cases import evidence, services
from ipec.cases.schemas import (
    CaseIn,
    CustodyIn,
    LinkIn,
    MarkingIn,
    NoteIn,
    OperationIn,
    ParticipantIn,
    ResultIn,
    TaskIn,
)

OPERATION = "Operation Silver Thread"


def as_user(ctx: accounts.Context, username: str) -> accounts.Context:
    user = ctx.session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return accounts.Context(session=ctx.session, clock=ctx.clock, actor=accounts.actor_of(user), ip="demo")


def org_ids(ctx: accounts.Context) -> dict[str, str]:
    return {o.name: o.id for o in ctx.session.scalars(select(Organisation))}


# (lead user, title, summary, partner organisations, marking, results [(country, days ago, seizures, articles,
#  value EUR, arrests)], evidence [(title, filename, media type, place, later custody steps)])
CASES: list[dict[str, Any]] = [
    {
        "lead": "officer.fr", "title": "Counterfeit luxury handbags via Le Havre",
        "summary": "Containers declared as 'textile accessories' from Ningbo, consigned to a Paris wholesaler.",
        "partners": [("OCLAESP – IP crime unit (FR)", "partner"), ("Parquet de Paris – J3 (FR)", "partner"),
                     ("Agencia Tributaria – Aduanas (ES)", "partner"), ("Guardia Civil – UCO IP (ES)", "partner"),
                     ("Global Anti-Counterfeiting Coordination Unit", "observer")],
        "marking": {"tlp": "AMBER", "handling": "H1", "personal_data": True,
                    "legal_basis": "Code des douanes art. 59 bis; Regulation (EU) 608/2013"},
        "results": [("FR", 30, 2, 4800, 960000, 0), ("FR", 16, 1, 2100, 420000, 2), ("ES", 9, 1, 1300, 250000, 1)],
        "links": [("seizure", "FR-2026-LH-0042"), ("goods", "GOODS-FR-88213")],
        "evidence": [
            ("Inspection report, container MSKU 448812-0", "inspection-report.txt", "text/plain", "Le Havre, terminal"
             " de France", [("transferred", "Paris, OCLAESP", "for the criminal investigation",
                             "OCLAESP – IP crime unit (FR)")]),
            ("Packing list and commercial invoice", "invoice.csv", "text/csv", "Le Havre, customs office", []),
        ],
        "tasks": [("analyst.fr", "Agencia Tributaria – Aduanas (ES)", "Check Valencia consignments of the same "
                   "consignee", 12)],
    },
    {
        "lead": "officer.de", "title": "Fake car parts through Hamburg",
        "summary": "Brake pads and filters bearing protected marks, reshipped to NL and BE.",
        "partners": [("Bundeskriminalamt – IP crime (DE)", "partner"), ("Douane Nederland (NL)", "partner"),
                     ("FIOD – IP crime team (NL)", "partner"), ("Global Anti-Counterfeiting Coordination Unit",
                                                                 "observer")],
        "marking": {"tlp": "AMBER", "handling": "H2"},
        "results": [("DE", 25, 3, 9200, 310000, 0), ("NL", 11, 1, 1500, 60000, 1), ("DE", 4, 1, 700, 28000, 0)],
        "links": [("detention", "DE-HH-2026-117")],
        "evidence": [("Laboratory analysis of brake pads", "lab-analysis.txt", "text/plain", "Hamburg port",
                      [("examined", "Zolltechnische Prüfungsanstalt", "friction material analysis", None)])],
        "tasks": [("analyst.de", "Douane Nederland (NL)", "Identify the Rotterdam forwarder", 5)],
    },
    {
        "lead": "officer.us", "title": "Counterfeit medicines in express parcels",
        "summary": "Tablets bearing a protected mark shipped in express parcels to US and BR addresses.",
        "partners": [("HSI IPR Center (US)", "partner"), ("Receita Federal – Aduana (BR)", "partner"),
                     ("Global Anti-Counterfeiting Coordination Unit", "observer")],
        "marking": {"tlp": "AMBER+STRICT", "handling": "H0"},
        "results": [("US", 20, 12, 36000, 540000, 3), ("BR", 13, 4, 8800, 90000, 1)],
        "links": [("notice", "orange: fake antimalarials")],
        "evidence": [("Photographs of seized blister packs", "blisters.txt", "text/plain", "JFK express hub",
                      [("transferred", "Miami lab", "chemical analysis", "HSI IPR Center (US)"),
                       ("examined", "Miami lab", "active ingredient absent", None)])],
        "tasks": [("officer.us", "Receita Federal – Aduana (BR)", "Share the São Paulo consignee records", 20)],
    },
    {
        "lead": "officer.nl", "title": "Toy replicas transiting Rotterdam",
        "summary": "Unsafe toys bearing protected designs; cargo transiting to ES.",
        "partners": [("Agencia Tributaria – Aduanas (ES)", "partner")],
        "marking": {"tlp": "GREEN", "handling": "H0", "audience": "all_participants"},
        "results": [("NL", 18, 2, 15000, 75000, 0), ("ES", 3, 1, 4000, 20000, 0)],
        "links": [("screening_hit", "HIT-NL-2026-5531")],
        "evidence": [],
        "tasks": [],
    },
    {
        "lead": "officer.ae", "title": "Transshipment hub for counterfeit watches",
        "summary": "Free-zone warehouse storing watches later shipped to the EU.",
        "partners": [("Dubai Police – Economic crime (AE)", "partner")],
        "marking": {"tlp": "RED", "handling": "H2", "audience": "named_organisations"},
        "results": [("AE", 6, 1, 2500, 1250000, 2)],
        "links": [],
        "evidence": [],
        "tasks": [],
    },
]


def _bytes(title: str, case_ref: str, filename: str) -> bytes:
    if filename.endswith(".csv"):
        return (f"item,description,quantity,declared_value_eur\n1,{title},1200,3600\n2,handbag dust bags,1200,240\n"
                f"# case {case_ref}\n").encode()
    return (f"{title}\nCase {case_ref}\n\nFindings: goods bear marks identical to registered trade marks; packaging "
            "and labels differ from the genuine product guide (stitching, serial format, hologram absent).\n").encode()


def load(ctx: accounts.Context, world: dict[str, Any], report: Any) -> None:
    orgs = org_ids(ctx)
    today = ctx.clock.today()
    blob_dir = report.blob_dir
    coordinator = as_user(ctx, "coordinator")
    op = services.create_operation(coordinator, OperationIn(
        name=OPERATION, description="Joint customs and police action against counterfeit goods routed through "
        "sea, air and express hubs.", starts_on=today - dt.timedelta(days=35),
        ends_on=today + dt.timedelta(days=25), marking=MarkingIn(tlp="AMBER", audience="all_participants")))
    counts = {"cases": 0, "evidence": 0, "custody steps": 0}
    for spec in CASES:
        lead = as_user(ctx, spec["lead"])
        case = services.open_case(lead, CaseIn(
            title=spec["title"], summary=spec["summary"], operation_id=op.id,
            marking=MarkingIn(**spec["marking"]),
            participants=[ParticipantIn(organisation_id=orgs[name], role=role) for name, role in spec["partners"]]))
        counts["cases"] += 1
        for country, days, seizures, articles, value, arrests in spec["results"]:
            services.add_result(lead, case.id, ResultIn(country=country, day=today - dt.timedelta(days=days),
                                                        seizures=seizures, articles=articles,
                                                        value_cents=value * 100, arrests=arrests))
        for record_type, record_id in spec["links"]:
            services.link_record(lead, case.id, LinkIn(record_type=record_type, record_id=record_id))
        for title, filename, media_type, place, steps in spec["evidence"]:
            ev = evidence.add_evidence(lead, blob_dir, case.id, title=title, filename=filename,
                                       data=_bytes(title, case.reference, filename), media_type=media_type,
                                       place=place, reason="seized during the operation")
            counts["evidence"] += 1
            counts["custody steps"] += 1
            for action, where, why, to in steps:
                evidence.record_custody(lead, ev.id, CustodyIn(action=action, place=where, reason=why,
                                                               to_org_id=orgs[to] if to else None))
                counts["custody steps"] += 1
        for requester, assigned, title, due_in in spec["tasks"]:
            services.add_task(as_user(ctx, requester), case.id, TaskIn(
                title=title, assigned_org_id=orgs[assigned], due_on=today + dt.timedelta(days=due_in)))
        services.add_note(lead, case.id, NoteIn(text="Opened under " + OPERATION + "; weekly figures to the "
                                                "coordinator every Friday."))
    for name, n in counts.items():
        report.extra[name] = report.extra.get(name, 0) + n
    report.extra["operations"] = report.extra.get("operations", 0) + 1
