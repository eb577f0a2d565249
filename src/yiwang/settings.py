"""The one typed settings object; nothing else in Yiwang reads ``os.environ``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YIWANG_", extra="ignore")

    # Embedded default: a SQLite file in the data folder, so `make run` needs no server and
    # every CLI command (`yiwang projects`, `yiwang sweep` …) reads the database it serves.
    database_url: str = "sqlite:///var/yiwang.db"
    # Where uploads, keys and published files live; outside any web root.
    data_dir: Path = Path("var")
    # Catalog YAML root; the shipped catalog by default.
    catalog_dir: Path | None = None
    timezone: str = "Asia/Shanghai"
    # Office hours as "HH:MM-HH:MM" spans, comma separated (R-CAL-1 working hours).
    office_hours: str = "09:00-12:00,13:00-17:00"
    # A task turns yellow when less than this share of its limit remains (R-SUP-1).
    yellow_share: float = Field(default=0.25, gt=0, lt=1)
    # How often `yiwang serve` runs the escalation sweep (0: never; run `yiwang sweep` from
    # cron instead). Sweeps are idempotent, so several servers may run them at once.
    sweep_interval_seconds: int = Field(default=300, ge=0)
    # The address licence QR codes open (scheme://host[:port], e.g. https://yiwang.example.cn):
    # a phone camera opens <public_url>/V/<signed code>. Empty: the address the page was
    # served from, i.e. the `yiwang serve` address.
    public_url: str = ""
    require_postgres: bool = False
    secret_key: str = "dev-only-change-me"
    # Exactly one of two words: a near miss ("prod", "Production") must stop the start-up, not
    # quietly run a production server as development (default secret key, no HSTS).
    environment: str = Field(default="development", pattern="^(development|production)$")
    # "json": one JSON object per log line with the request id (production); "text" otherwise.
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # Set by `yiwang serve --demo` for its server processes: sign-ups check the demo population.
    demo_verifier: bool = False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
