"""Settings: the only module that reads the environment (prefix IPEC_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPEC_", env_file=None, extra="ignore")

    # Storage. SQLite under var/ is the embedded default; PostgreSQL for shared deployments.
    database_url: str = "sqlite:///var/ipec.db"
    var_dir: Path = Path("var")

    # Identity of this node: names its ledger (checkpoint origin) and its records.
    node_name: str = "ipec.local"
    base_url: str = "http://127.0.0.1:8000"

    # Web
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default="", description="Signs cookies; generated under var/ when empty")
    session_hours: int = 12
    cookie_secure: bool = False
    default_locale: str = "en"

    # Outbound e-mail (detention notices, alerts). Empty host disables sending.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "ipec@localhost"

    # Customs scheduler: minutes between ticks that close expired periods and send notices (0 turns it off).
    customs_tick_minutes: float = 15
    # Remind holders this many days before their application's extension request falls due.
    customs_reminder_days: int = 30

    # NATS JetStream for the screening workers.
    nats_url: str = "nats://127.0.0.1:4222"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def blob_dir(self) -> Path:
        return self.var_dir / "blobs"


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
