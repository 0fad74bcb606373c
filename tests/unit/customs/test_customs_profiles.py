"""Profiles load, cover the right countries, and refuse malformed files with the place of the fault."""

import copy
import json
from importlib import resources
from typing import Any

import pytest

from ipec.customs import profiles
from ipec.customs.profiles import ProfileError, UnknownProfile


def raw(name: str) -> dict[str, Any]:
    text = resources.files("ipec.customs.profiles").joinpath(f"{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_shipped_profiles() -> None:
    assert profiles.available() == ["eu-608", "us-cbp"]


def test_eu_profile_covers_every_member_state() -> None:
    eu = profiles.load("eu-608")
    assert {"FR", "DE", "ES", "NL", "IT", "PL", "IE", "HR"} <= eu.countries
    assert len(eu.countries) == 27
    assert "GB" not in eu.countries and "US" not in eu.countries


def test_for_country() -> None:
    assert profiles.for_country("fr").name == "eu-608"
    assert profiles.for_country("US").name == "us-cbp"
    with pytest.raises(UnknownProfile, match="'JP'"):
        profiles.for_country("JP")


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfile, match="available: eu-608, us-cbp"):
        profiles.load("eu-1383")


def test_every_deadline_cites_its_source() -> None:
    for name in profiles.available():
        p = profiles.load(name)
        for ev in p.events.values():
            assert all(d.source for d in ev.deadlines)
        assert all(m.source for m in p.moves)


def test_a_copy_of_a_shipped_profile_parses() -> None:
    assert profiles.parse(raw("eu-608")).name == "eu-608"


def broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw("eu-608"))
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "where", "reason"),
    [
        (
            lambda d: d["events"]["detained"]["deadlines"][0].update(unit="weeks"),
            "events.detained.deadlines[0].unit",
            "unknown value 'weeks'",
        ),
        (
            lambda d: d["events"]["detained"]["deadlines"][0].update(length=-1),
            "events.detained.deadlines[0].length",
            "whole number",
        ),
        (
            lambda d: d["events"]["detained"]["deadlines"][0].update(when={"fragile": True}),
            "events.detained.deadlines[0].when",
            "condition 'fragile' is not declared",
        ),
        (
            lambda d: d["events"]["notified"]["deadlines"][1].update(when={}),
            "events.notified",
            "'holder_response_due' is given twice",
        ),
        (
            # Without its perishable variant, holder_response_due is missing when the extension still applies.
            lambda d: (
                d["events"]["notified"]["deadlines"].pop(1),
                d["events"]["notified"]["deadlines"][3].update(when={}),
            ),
            "events.notified",
            "counts from 'holder_response_due'",
        ),
        (
            lambda d: d["events"]["notified"]["deadlines"][4].update({"from": "later_one"}),
            "events.notified.deadlines[4]",
            "not an earlier deadline",
        ),
        (lambda d: d.update(jurisdictions=["EU", "XQ"]), "jurisdictions", "unknown jurisdiction 'XQ'"),
        (lambda d: d["detention"]["moves"][0].update(to="limbo"), "detention.moves[0]", "unknown state 'limbo'"),
        (
            lambda d: d["detention"]["moves"][0].update({"from": ["released"]}),
            "detention.moves[0]",
            "terminal state 'released'",
        ),
        (
            lambda d: d["detention"]["moves"][0].update(by=["police"]),
            "detention.moves[0]",
            "undeclared party 'police'",
        ),
        (
            lambda d: d["detention"]["moves"][0].update(clock="landed"),
            "detention.moves[0]",
            "unknown event 'landed'",
        ),
        (
            lambda d: d["detention"]["moves"][0].update(until="tomorrow"),
            "detention.moves[0]",
            "unknown deadline 'tomorrow'",
        ),
        (
            lambda d: d["detention"]["moves"][0].update(to="released"),
            "detention.moves[0]",
            "without an outcome",
        ),
        (
            lambda d: d["detention"]["expiries"][0].update(outcome="vanished"),
            "detention.expiries[0]",
            "undeclared outcome 'vanished'",
        ),
        (
            lambda d: d["detention"]["states"].update(orphan={"description": "never entered"}),
            "detention.states",
            "'orphan' cannot be reached",
        ),
        (
            lambda d: d["detention"]["paths"]["standard"].update(state="destroyed"),
            "detention.paths.standard",
            "not a non-terminal state",
        ),
        (lambda d: d["detention"].pop("moves"), "detention", "missing key 'moves'"),
        (lambda d: d["calendar"].update(weekend=["caturday"]), "calendar.weekend[0]", "unknown weekday"),
    ],
)
def test_malformed_profiles_name_the_fault(mutate: Any, where: str, reason: str) -> None:
    with pytest.raises(ProfileError) as info:
        profiles.parse(broken(mutate), where="eu-608.json")
    assert info.value.where == f"eu-608.json.{where}"
    assert reason in info.value.reason
