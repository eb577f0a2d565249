"""A licence printed to PDF by Debian's Chromium, with a CJK font embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import complete_open_tasks, submit_startup
from yiwang.bootstrap import bootstrap
from yiwang.clock import SimulatedClock
from yiwang.demo.province import ensure_signing_keys
from yiwang.licences.pdf import find_chromium, html_to_pdf
from yiwang.licences.qr import qr_svg
from yiwang.licences.render import render_licence_html
from yiwang.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def test_business_licence_prints_to_pdf(tmp_path: Path, clock: SimulatedClock) -> None:
    # Printing does not depend on the database: one SQLite platform is enough.
    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}", data_dir=tmp_path), clock=clock)
    ensure_signing_keys(platform)
    if find_chromium() is None:
        pytest.fail("Chromium is missing: run `make test`, which installs Debian's chromium")
    case_id = submit_startup(platform)
    complete_open_tasks(platform, clock, case_id)
    with platform.unit_of_work(read_only=True) as uow:
        [signed] = uow.licences.of_case(case_id)
    pdf = html_to_pdf(render_licence_html(signed.licence, qr_svg(signed.qr_text)))
    assert pdf.startswith(b"%PDF-")
    # The Chinese text is set in an embedded CJK font, not as missing-glyph boxes.
    assert b"CJK" in pdf or b"Noto" in pdf
