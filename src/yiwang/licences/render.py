"""A licence as a printable, standalone HTML page (Chinese, English sub-lines, inline CSS).

No template engine and no external assets: the page is served on closed government
networks, printed from the browser ("print to PDF" gives the PDF), and saved as one file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape

from stdnum.cn import ric, uscc

from yiwang.licences.models import CHINA_TZ, FIELD_LABELS_EN, Licence

_CSS = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f0e8; color: #1a1a1a;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; }
.licence { width: 182mm; min-height: 250mm; margin: 12mm auto; padding: 12mm 14mm;
  background: #fff; border: 3px double #b22222; position: relative; }
header { text-align: center; border-bottom: 1px solid #b22222; padding-bottom: 4mm; }
h1 { margin: 0; font-size: 30pt; letter-spacing: 0.5em; color: #b22222; }
.en { display: block; font-family: "Noto Sans", "Helvetica", "Arial", sans-serif;
  font-size: 8.5pt; color: #555; letter-spacing: 0; font-weight: normal; }
h1 .en { font-size: 11pt; letter-spacing: 0.1em; margin-top: 1mm; }
.number { margin: 3mm 0 0; font-family: "DejaVu Sans Mono", monospace; font-size: 10pt; }
.body { display: flex; gap: 8mm; margin-top: 8mm; }
table { border-collapse: collapse; flex: 1; font-size: 11.5pt; }
th { text-align: left; vertical-align: top; white-space: nowrap; padding: 2mm 4mm 2mm 0;
  width: 34mm; font-weight: bold; }
td { padding: 2mm 0; vertical-align: top; white-space: pre-line; overflow-wrap: anywhere; }
tr + tr th, tr + tr td { border-top: 1px dotted #ccc; }
.qr { width: 46mm; text-align: center; }
.qr svg { width: 46mm; height: 46mm; display: block; }
.qr p { margin: 1mm 0 0; font-size: 9pt; }
footer { margin-top: 10mm; display: flex; justify-content: space-between; align-items: end;
  font-size: 11pt; }
.issuer { text-align: right; }
.note { margin-top: 8mm; font-size: 8.5pt; color: #555; border-top: 1px solid #eee;
  padding-top: 2mm; }
.status { margin: 0 0 6mm; padding: 3mm; border: 2px solid #b22222; color: #b22222;
  text-align: center; font-weight: bold; }
@media print { body { background: #fff; } .licence { margin: 0; width: auto; } }
"""

_NOTE_ZH = "本证照由签发机关以电子签名签发；扫描二维码或在政务服务平台输入证照码即可核验真伪。"
_NOTE_EN = (
    "This licence is electronically signed by the issuing authority. Scan the QR code, or "
    "paste the licence code on the government service platform, to verify it."
)


# A citizen's ID number as licences carry it (first 4 and last 4 kept, see public_holder_id).
_MASKED_ID = re.compile(r"[0-9]{4}\*{10}[0-9]{3}[0-9X]")


def holder_labels(holder_id: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(id label, name label), each (zh, en), from the kind of number the holder has."""
    if uscc.is_valid(holder_id):
        return ("统一社会信用代码", "Unified social credit code"), ("名称", "Name")
    if ric.is_valid(holder_id) or _MASKED_ID.fullmatch(holder_id):
        return ("公民身份号码", "Citizen identity number"), ("姓名", "Name")
    return ("证件号码", "Identity number"), ("持证主体", "Holder")


def _date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _day(instant: datetime) -> date:
    return instant.astimezone(CHINA_TZ).date()


def _row(label_zh: str, label_en: str, value: str) -> str:
    sub = f'<span class="en">{escape(label_en)}</span>' if label_en else ""
    return f"<tr><th>{escape(label_zh)}{sub}</th><td>{escape(value)}</td></tr>"


def render_licence_html(
    licence: Licence,
    qr_svg: str,
    *,
    status_zh: str | None = None,
    status_en: str | None = None,
) -> str:
    """The printable page. ``qr_svg`` is trusted markup from :func:`yiwang.licences.qr.qr_svg`;
    ``status_*`` adds a banner (e.g. "已撤销 revoked") above the licence."""
    (id_zh, id_en), (name_zh, name_en) = holder_labels(licence.holder_id)
    rows = [_row(id_zh, id_en, licence.holder_id), _row(name_zh, name_en, licence.holder_name)]
    rows += [_row(name, FIELD_LABELS_EN.get(name, ""), value) for name, value in licence.fields]
    issued_on = _day(licence.issued_at)
    valid_until = licence.valid_until
    validity_zh = "长期" if valid_until is None else _date_zh(valid_until)
    validity_en = "no expiry" if valid_until is None else valid_until.isoformat()
    rows.append(_row("有效期至", "Valid until", f"{validity_zh}（{validity_en}）"))
    banner = ""
    if status_zh or status_en:
        banner = (
            f'<p class="status">{escape(status_zh or "")}'
            f'<span class="en">{escape(status_en or "")}</span></p>'
        )
    kind = licence.kind
    title = f"{kind.name_zh} {licence.holder_name} · {licence.identifier.text}"
    issued = (
        f"签发日期 {_date_zh(issued_on)}"
        f'<span class="en">Date of issue {issued_on.isoformat()}</span>'
    )
    issuer = (
        f"签发机关 {escape(licence.issuer_name)}"
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main class="licence">
{banner}<header>
<h1>{escape(kind.name_zh)}<span class="en">{escape(kind.name_en)}</span></h1>
<p class="number">证照编号 <span lang="en">Licence No.</span> {escape(licence.identifier.text)}</p>
</header>
<div class="body">
<table>
{"".join(rows)}
</table>
<div class="qr">{qr_svg}<p>扫码核验<span class="en">Scan to verify</span></p></div>
</div>
<footer>
<div>{issued}</div>
<div class="issuer">{issuer}</div>
</footer>
<p class="note">{_NOTE_ZH}<span class="en">{_NOTE_EN}</span></p>
</main>
</body>
</html>
"""
