"""The QR code as SVG, and the printable licence page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import segno
from licence_factories import Setup, business_licence, business_request

from yiwang.licences.qr import make_qr, matrix_svg, qr_svg
from yiwang.licences.render import holder_labels, render_licence_html

SETUP = Setup()
SIGNED = SETUP.issuer.issue(business_request())
SVG_NS = "{http://www.w3.org/2000/svg}"


def _matrix_from_svg(svg: str) -> list[list[int]]:
    root = ET.fromstring(svg)
    size = int(root.attrib["viewBox"].split()[2])
    path = root.find(f"{SVG_NS}path")
    assert path is not None
    grid = [[0] * size for _ in range(size)]
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1H\d+z", path.attrib["d"]):
        for column in range(int(x), int(x) + int(length)):
            grid[int(y)][column] = 1
    return grid


def test_svg_draws_exactly_the_dark_modules_of_the_qr_code() -> None:
    qr = make_qr(SIGNED.qr_text)
    border = 4
    grid = _matrix_from_svg(qr_svg(SIGNED.qr_text))
    assert len(grid) == len(qr.matrix) + 2 * border
    for y, row in enumerate(qr.matrix):
        assert grid[y + border][border : border + len(row)] == list(row)
    assert not any(grid[0]) and not any(row[0] for row in grid)  # quiet zone stays light


def test_the_qr_code_uses_a_numeric_segment_for_the_digits() -> None:
    one_alphanumeric_segment = segno.make(SIGNED.qr_text, error="M", mask=2)
    assert one_alphanumeric_segment.mode == "alphanumeric"
    version, alphanumeric_version = (
        make_qr(SIGNED.qr_text).version,
        one_alphanumeric_segment.version,
    )
    assert isinstance(version, int) and isinstance(alphanumeric_version, int)
    assert version <= alphanumeric_version - 4


def test_svg_label_is_escaped() -> None:
    svg = matrix_svg(make_qr("YW1:1").matrix, label='a"<b>')
    ET.fromstring(svg)
    assert 'aria-label="a&quot;&lt;b&gt;"' in svg


def test_page_shows_the_licence_in_chinese_and_english_with_the_qr_code() -> None:
    svg = qr_svg(SIGNED.qr_text)
    page = render_licence_html(SIGNED.licence, svg)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    for text in (
        "营业执照",
        "Business licence",
        SIGNED.licence.identifier.text,
        "统一社会信用代码",
        "Unified social credit code",
        SIGNED.licence.holder_id,
        "济南泉城数字科技有限公司",
        "法定代表人",
        "Legal representative",
        "张三",
        "济南市市场监督管理局",
        "签发日期 2026年11月26日",
        "长期",
    ):
        assert text in page, text
    assert svg in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no assets


def test_page_escapes_licence_text() -> None:
    licence = business_licence(holder_name="<script>alert(1)</script>", fields=(("备注", "a & b"),))
    page = render_licence_html(licence, "<svg></svg>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &amp; b" in page


def test_page_can_carry_a_status_banner() -> None:
    page = render_licence_html(SIGNED.licence, "", status_zh="已撤销", status_en="revoked")
    assert '<p class="status">已撤销<span class="en">revoked</span></p>' in page


def test_holder_labels_follow_the_kind_of_number() -> None:
    assert holder_labels("91370100MA3C5RBX3F")[0][0] == "统一社会信用代码"
    assert holder_labels("11010519491231002X")[0][0] == "公民身份号码"
    assert holder_labels("E12345678")[0][0] == "证件号码"
