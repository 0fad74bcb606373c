"""Demo legal-assistance requests at different stages, built from the demo operation's first case: one executed
with the reply's evidence, one in execution, one sent (its recognition clock running) and one draft."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ipec.accounts import services as accounts
from ipec.accounts.models import User
from ipec.assistance import services
from ipec.assistance.schemas import OffenceIn, RequestIn
from ipec.cases.demo import as_user, org_ids
from ipec.cases.models import Case

FACTS = ("Between September and November 2026 containers of counterfeit luxury handbags were shipped from Ningbo to "
         "Le Havre and Valencia for the same consignee, a Paris wholesaler with a warehouse near Valencia.")
OFFENCE = OffenceIn(offence="Counterfeiting of registered trade marks, in an organised group",
                    qualification="Code de la propriété intellectuelle, art. L716-9 and L716-10")

# (executing organisation, measures, moves made as (side, move, note, attachment filename))
REQUESTS: list[tuple[str, list[str], list[tuple[str, str, str | None, str | None]]]] = [
    ("Fiscalía Especial (ES)", ["search_and_seizure", "banking_information"], [
        ("issuing", "send", None, None), ("executing", "acknowledge", "recognised", None),
        ("executing", "start", None, None),
        ("executing", "reply_partial", "bank statements of the consignee obtained", "bank-statements.csv"),
        ("executing", "reply_final", "warehouse searched; 3 100 handbags seized", "search-report.txt")]),
    ("Bundeskriminalamt – IP crime (DE)", ["gather_evidence", "hear_witness"], [
        ("issuing", "send", None, None), ("executing", "acknowledge", "recognised", None),
        ("executing", "start", None, None)]),
    ("FIOD – IP crime team (NL)", ["gather_evidence"], [("issuing", "send", None, None)]),
    ("FIOD – IP crime team (NL)", ["banking_information"], []),
]


def load(ctx: accounts.Context, world: dict[str, Any], report: Any) -> None:
    orgs = org_ids(ctx)
    case = ctx.session.scalar(select(Case).order_by(Case.reference).limit(1))
    if case is None:
        return
    issuing = as_user(ctx, "prosecutor.fr")
    blob_dir = report.blob_dir
    executing_users: dict[str, accounts.Context] = {}
    for name, measures, moves in REQUESTS:
        if name not in executing_users:
            username = "demo." + name.split()[0].lower()
            existing = ctx.session.scalar(select(User).where(User.username == username))
            if existing is None:
                accounts.add_user(ctx, username, f"Duty officer, {name}", orgs[name], "officer",
                                  world["password"], f"{username}@demo.ipec")
            executing_users[name] = as_user(ctx, username)
        req = services.create_request(issuing, RequestIn(
            case_id=case.id, executing_org_id=orgs[name], instrument="eio",
            legal_basis="Directive 2014/41/EU (European Investigation Order); Code de procédure pénale art. 694-20",
            offences=[OFFENCE], facts=FACTS, measures=measures))
        for side, move, note, filename in moves:
            actor = issuing if side == "issuing" else executing_users[name]
            attachment = None
            if filename:
                attachment = (filename, f"{note}\nRequest {req.reference}\n".encode(),
                              "text/csv" if filename.endswith(".csv") else "text/plain")
            services.act(actor, req.id, move, note, blob_dir=blob_dir, attachment=attachment)
        report.extra["legal-assistance requests"] = report.extra.get("legal-assistance requests", 0) + 1
