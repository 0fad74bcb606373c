"""`ipec customs deadlines`: the clock contract as outside checks use it (one JSON object, errors on stderr)."""

import json

import pytest
from typer.testing import CliRunner

from ipec.customs.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["deadlines", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--profile", "eu-608", "--jurisdiction", "FR", "--event", "notified", "--at", "2026-12-24"],
            {
                "holder_response_due": "2027-01-11",
                "declarant_response_due": "2027-01-11",
                "extended_holder_response_due": "2027-01-25",
            },
        ),
        (
            [
                "--profile",
                "eu-608",
                "--jurisdiction",
                "FR",
                "--event",
                "notified",
                "--at",
                "2026-12-24",
                "--perishable",
            ],
            {"holder_response_due": "2026-12-30", "declarant_response_due": "2026-12-30"},
        ),
        (
            ["--profile", "eu-608", "--jurisdiction", "DE", "--event", "detained", "--at", "2026-04-02"],
            {"notification_due": "2026-04-07"},
        ),
        (
            [
                "--profile",
                "eu-608",
                "--jurisdiction",
                "IT",
                "--event",
                "afa-received",
                "--at",
                "2026-05-29",
                "--goods-detained",
            ],
            {"decision_due": "2026-06-03"},
        ),
        (
            ["--profile", "eu-608", "--jurisdiction", "ES", "--event", "afa-expiry", "--at", "2027-01-15"],
            {"extension_request_due": "2026-11-30"},
        ),
        (
            ["--profile", "eu-608", "--jurisdiction", "nl", "--event", "ex-officio-notified", "--at", "2026-04-24"],
            {"holder_application_due": "2026-05-01"},
        ),
        (
            ["--profile", "us-cbp", "--jurisdiction", "US", "--event", "presented", "--at", "2026-07-01"],
            {"release_or_detain_due": "2026-07-09", "detention_ends": "2026-07-31"},
        ),
        (
            ["--profile", "us-cbp", "--jurisdiction", "US", "--event", "seized", "--at", "2027-12-20"],
            {"owner_disclosure_due": "2028-02-03"},
        ),
    ],
)
def test_prints_one_json_object(args: list[str], expected: dict[str, str]) -> None:
    code, out, err = run(*args)
    assert code == 0, err
    assert json.loads(out) == expected
    assert out.count("\n") == 1
    assert err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--profile", "eu-999", "--jurisdiction", "FR", "--event", "notified", "--at", "2026-01-05"],
            "unknown profile 'eu-999'",
        ),
        (
            ["--profile", "eu-608", "--jurisdiction", "FR", "--event", "presented", "--at", "2026-01-05"],
            "no event 'presented'",
        ),
        (
            ["--profile", "eu-608", "--jurisdiction", "XQ", "--event", "notified", "--at", "2026-01-05"],
            "unknown jurisdiction 'XQ'",
        ),
        (
            ["--profile", "us-cbp", "--jurisdiction", "DE", "--event", "presented", "--at", "2026-01-05"],
            "applies to US, not to DE",
        ),
        (["--profile", "eu-608", "--jurisdiction", "FR", "--event", "notified", "--at", "05/01/2026"], "YYYY-MM-DD"),
        (
            ["--profile", "eu-608", "--jurisdiction", "FR", "--event", "notified", "--at", "2026-02-30"],
            "not a valid date",
        ),
    ],
)
def test_bad_input_fails_on_stderr(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code != 0
    assert out == ""
    assert message in err


def test_profiles_lists_both() -> None:
    result = runner.invoke(app, ["profiles"])
    assert result.exit_code == 0
    assert "eu-608" in result.stdout and "us-cbp" in result.stdout
