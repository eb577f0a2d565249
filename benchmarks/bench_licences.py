"""Electronic licences: issue (sign + QR SVG) and verify per second, and QR readability.

* issue  = allocate identifier, build the licence, encode, Ed25519 sign, make the QR symbol
           and its SVG (what a licence page needs), per licence.
* verify = parse the QR text, look up the key, Ed25519 verify, check revocation and expiry.
  Peer: raw Ed25519 verification (``cryptography``) of messages of the same size, in the
  same run, so the ratio shows what the licence layer costs on top of the signature.
* readability: every sampled QR code is rendered to pixels from its module matrix (4 and 2
  pixels a module, and 3 pixels blurred and noisy like a poor camera) and decoded back with
  zxing-cpp; the text must match exactly (all must at 4 pixels, or the run fails).

Three licence sizes: a short one, a typical business licence, and a long business scope.
Targets (issue): >= 100 licences/s including the QR code; (verify) >= 5000/s.
Run: ``.venv/bin/python benchmarks/bench_licences.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.console import Console
from rich.table import Table

from yiwang.licences import payload
from yiwang.licences.models import BUSINESS_LICENCE, LicenceIdentifier, Revocation
from yiwang.licences.qr import make_qr, matrix_svg, qr_svg
from yiwang.licences.revocation import RevocationList
from yiwang.licences.services import (
    InMemoryKeys,
    InMemorySerialAllocator,
    LicenceIssuer,
    LicenceRequest,
)
from yiwang.licences.signing import DepartmentKey, KeyRing
from yiwang.licences.verification import verify

MIN_SECONDS = 1.0
ISSUE_TARGET = 100.0
VERIFY_TARGET = 5000.0
VERIFY_SAMPLE = 500
DECODE_SAMPLE = 40
DEPARTMENT = "370100SCJ"
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

SCOPE = (
    "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；"
    "信息系统集成服务；数据处理服务；计算机系统服务；网络技术服务。"
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
)
LONG_SCOPE = SCOPE + (
    "许可项目：第二类增值电信业务；互联网信息服务。（依法须经批准的项目，经相关部门批准后方可"
    "开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）一般项目：广告设计、代理；"
    "广告制作；会议及展览服务；企业管理咨询；市场营销策划；办公用品销售；电子产品销售。"
)


def _fields(scope: str) -> tuple[tuple[str, str], ...]:
    return (
        ("类型", "有限责任公司（自然人独资）"),
        ("法定代表人", "张三"),
        ("注册资本", "壹佰万元整"),
        ("成立日期", "2026年11月26日"),
        ("营业期限", "长期"),
        ("住所", "山东省济南市历下区泉城路188号1号楼1201室"),
        ("经营范围", scope),
    )


SIZES: dict[str, tuple[tuple[str, str], ...]] = {
    "short": (("法定代表人", "张三"), ("住所", "济南市历下区泉城路188号")),
    "business licence": _fields(SCOPE),
    "long scope": _fields(LONG_SCOPE),
}


def request(fields: tuple[tuple[str, str], ...], number: int) -> LicenceRequest:
    return LicenceRequest(
        kind=BUSINESS_LICENCE,
        holder_id="91370100MA3C5RBX3F",
        holder_name=f"济南泉城第{number}数字科技有限公司",
        issuer_department_code=DEPARTMENT,
        issuer_name="济南市市场监督管理局",
        fields=fields,
    )


def rate(call: Callable[[int], object], sample_size: int) -> float:
    """Calls per second, repeating the sample until MIN_SECONDS have passed."""
    calls, elapsed = 0, 0.0
    while elapsed < MIN_SECONDS:
        began = time.perf_counter()
        for index in range(sample_size):
            call(index)
        elapsed += time.perf_counter() - began
        calls += sample_size
    return calls / elapsed


def pixels(matrix: Sequence[bytearray], scale: int) -> np.ndarray:
    modules = np.pad(np.array(matrix, dtype=np.uint8), 4)
    dark = np.kron(modules, np.ones((scale, scale), dtype=np.uint8))
    return ((1 - dark) * 255).astype(np.uint8)


def degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A poor camera: 3x3 box blur and Gaussian noise (sigma 40 of 255)."""
    padded = np.pad(image.astype(np.float64), 1, mode="edge")
    height, width = image.shape
    blurred = (
        sum(padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3)) / 9
    )
    noisy = blurred + rng.normal(0, 40, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def decoded_ok(texts: Sequence[str], scale: int, *, degraded: bool = False) -> int:
    ok = 0
    rng = np.random.default_rng(36904)
    for text in texts:
        # Only QR codes: zxing-cpp otherwise sometimes also "finds" an EAN-13 in the modules.
        image = pixels(make_qr(text).matrix, scale)
        if degraded:
            image = degrade(image, rng)
        results = zxingcpp.read_barcodes(image, formats=QR_ONLY)
        ok += [result.text for result in results] == [text]
    return ok


def main() -> None:
    key = DepartmentKey.generate(DEPARTMENT)
    issuer = LicenceIssuer(InMemoryKeys([key]), InMemorySerialAllocator())
    keyring = KeyRing([key.published])
    now = datetime.now(UTC)
    # A realistic list: ten thousand revocations, none of them of the licences verified here.
    revocations = build_revocations(10_000, now)

    console = Console(width=150)
    table = Table(title="licences: issue and verify by payload size")
    for column in (
        "payload",
        "QR text chars",
        "QR version",
        "issue (sign+QR+SVG)/s",
        "sign only/s",
        "verify/s",
        "raw Ed25519 verify/s",
        "decoded 4px",
        "decoded 2px",
        "decoded 3px blur+noise",
    ):
        table.add_column(column, justify="left" if column == "payload" else "right")

    results: dict[str, tuple[float, float, float]] = {}
    for name, fields in SIZES.items():
        row, results[name] = measure_size(name, fields, issuer, keyring, revocations, now)
        table.add_row(*row)

    parts = Table(title="licences: where issuing time goes (business licence)")
    parts.add_column("step")
    parts.add_column("per second", justify="right")
    parts.add_column("ms each", justify="right")
    typical = issuer.issue(request(SIZES["business licence"], 1)).qr_text
    matrix = make_qr(typical).matrix
    for step, call in (
        ("encode + sign", lambda _: issuer.issue(request(SIZES["business licence"], 1))),
        ("QR symbol, fixed mask", lambda _: make_qr(typical)),
        ("QR symbol, best of 8 masks (segno)", lambda _: make_qr(typical, best_mask=True)),
        ("SVG from matrix", lambda _: matrix_svg(matrix)),
        ("decode only (no signature check)", lambda _: payload.decode(typical)),
    ):
        per_second = rate(call, 20)
        parts.add_row(step, f"{per_second:,.0f}", f"{1000 / per_second:.3f}")

    console.print(table)
    console.print(parts)
    issue_rate, verify_rate, raw_rate = results["business licence"]
    print(
        f"licence verify: yiwang {verify_rate:.0f}/s, raw Ed25519 verify {raw_rate:.0f}/s, "
        f"ratio {verify_rate / raw_rate:.2f}"
    )
    print(
        f"licence issue: yiwang {issue_rate:.0f}/s, target {ISSUE_TARGET:.0f}/s, "
        f"ratio {issue_rate / ISSUE_TARGET:.2f}"
    )
    print(
        f"licence verify vs target: yiwang {verify_rate:.0f}/s, target {VERIFY_TARGET:.0f}/s, "
        f"ratio {verify_rate / VERIFY_TARGET:.2f}"
    )


def measure_size(
    name: str,
    fields: tuple[tuple[str, str], ...],
    issuer: LicenceIssuer,
    keyring: KeyRing,
    revocations: RevocationList,
    now: datetime,
) -> tuple[list[str], tuple[float, float, float]]:
    """One table row for one payload size, and (issue/s, verify/s, raw Ed25519 verify/s)."""
    requests = [request(fields, number) for number in range(VERIFY_SAMPLE)]
    texts = [issuer.issue(item).qr_text for item in requests]
    for text in texts[:20]:
        assert verify(text, keyring, revocations, at=now).is_valid

    issue_rate = rate(lambda i: qr_svg(issuer.issue(requests[i]).qr_text), 50)
    sign_rate = rate(lambda i: issuer.issue(requests[i]), VERIFY_SAMPLE)
    verify_rate = rate(lambda i: verify(texts[i], keyring, revocations, at=now), VERIFY_SAMPLE)

    raw_key = Ed25519PrivateKey.generate()
    raw_public = raw_key.public_key()
    messages = [payload.decode(text).message for text in texts]
    raw_signatures = [raw_key.sign(message) for message in messages]
    raw_rate = rate(lambda i: raw_public.verify(raw_signatures[i], messages[i]), VERIFY_SAMPLE)

    qr = make_qr(texts[0])
    sample = texts[:DECODE_SAMPLE]
    ok4, ok2 = decoded_ok(sample, 4), decoded_ok(sample, 2)
    ok_degraded = decoded_ok(sample, 3, degraded=True)
    assert ok4 == len(sample), f"{name}: only {ok4}/{len(sample)} QR codes decoded"
    row = [
        name,
        f"{len(texts[0]):,}",
        f"{qr.version}-{qr.error}",
        f"{issue_rate:,.0f}",
        f"{sign_rate:,.0f}",
        f"{verify_rate:,.0f}",
        f"{raw_rate:,.0f}",
        f"{ok4}/{len(sample)}",
        f"{ok2}/{len(sample)}",
        f"{ok_degraded}/{len(sample)}",
    ]
    return row, (issue_rate, verify_rate, raw_rate)


def build_revocations(count: int, now: datetime) -> RevocationList:
    return RevocationList(
        tuple(
            Revocation(LicenceIdentifier("YYZZ", "370200SCJ", serial), now, "吊销", "bench")
            for serial in range(1, count + 1)
        )
    )


if __name__ == "__main__":
    main()
