from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class OrganisationIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    jurisdiction: str | None = None
    email: str | None = None


class OrganisationOut(BaseModel):
    id: str
    name: str
    kind: str
    jurisdiction: str | None
    email: str | None


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    display_name: str = ""
    organisation_id: str
    role: str
    password: str
    email: str | None = None
    locale: str = "en"


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    organisation_id: str
    organisation_name: str
    role: str
    active: bool


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. Shown this once; store it now.")


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    user_id: str | None
    organisation_id: str | None
    action: str
    object_type: str
    object_id: str | None
    outcome: str
    reason: str | None
    ip: str | None


class Me(BaseModel):
    user: UserOut
    organisation: OrganisationOut
