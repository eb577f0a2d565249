"""Electronic licences at the edge (R-LIC-1): public verification, the published keys and
revocation list, the holder's card wallet (电子卡包) and the printable licence page.

Verification needs no account: anyone holding a licence code may check it. The wallet and
the printable page follow the case rules: the holder, the applicant of the case that
produced the licence, and whoever may see that case.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from yiwang import schemas as s
from yiwang.accounts import policy
from yiwang.accounts.models import Account
from yiwang.errors import Refused
from yiwang.licences.errors import InvalidIdentifier, LicenceError
from yiwang.licences.models import Licence, LicenceIdentifier, Revocation
from yiwang.licences.payload import PREFIX, decode
from yiwang.licences.qr import qr_svg, verification_address
from yiwang.licences.render import render_licence_html
from yiwang.licences.revocation import RevocationList
from yiwang.licences.signing import DepartmentKey
from yiwang.licences.verification import VerificationResult, verify

if TYPE_CHECKING:  # typing only: the composition root and the read models' rows
    from yiwang.bootstrap import Services
    from yiwang.db.read_models import LicenceRow

KEYS_PATH = "/.well-known/yiwang-licence-keys.json"
REVOCATIONS_PATH = "/.well-known/yiwang-licence-revocations.json"
MAX_QR_TEXT = 8000


def revocations(services: Services) -> RevocationList:
    with services.platform.unit_of_work(read_only=True) as uow:
        return uow.licences.revocations()


def verify_text(services: Services, qr_text: str) -> VerificationResult:
    """Verify what a person has in hand, against the platform's published keys and its
    revocation list, as of the platform clock: the licence number printed on the licence
    (looked up in the platform's records, then its signed code verified), or the signed code
    or address its QR code carries (verified from the code alone)."""
    text = "".join(qr_text.split())[:MAX_QR_TEXT]
    platform = services.platform
    if PREFIX not in text.upper():
        identifier = _printed_identifier(text)
        if identifier is None:
            return VerificationResult(
                "malformed",
                None,
                None,
                "无法识别：请输入证照上印的证照编号（如 YYZZ.370100SCJ.00000042.01.U），或扫描二维码所得的内容",
                "not recognised: enter the licence number printed on the licence "
                "(e.g. YYZZ.370100SCJ.00000042.01.U) or what its QR code holds",
            )
        row = services.reads.licence_row(identifier.text)
        if row is None:
            shown = identifier.text
            return VerificationResult(
                "not_found", None, None, f"本平台没有签发编号为 {shown} 的证照", f"this platform issued no licence numbered {shown}"
            )
        text = row.qr_text
    return verify(text, platform.licence_keys.keyring(), revocations(services), at=platform.clock())


def _printed_identifier(text: str) -> LicenceIdentifier | None:
    """The licence number as typed from paper: any letter case, with or without the root OID."""
    if len(text) > 120:
        return None
    try:
        return LicenceIdentifier.parse(text.upper())
    except InvalidIdentifier:
        return None


def public_base(services: Services, served_from: str) -> str:
    """The address QR codes open: the configured public address, else the one serving."""
    return services.platform.settings.public_url or served_from


def verify_url(base_url: str, row: LicenceRow) -> str:
    return verification_address(base_url, row.qr_text)


def licence_public(licence: Licence) -> s.LicencePublic:
    return s.LicencePublic(
        identifier=licence.identifier.text,
        kind_code=licence.kind.code,
        kind_zh=licence.kind.name_zh,
        kind_en=licence.kind.name_en,
        holder_id=licence.holder_id,
        holder_name=licence.holder_name,
        issuer_department_code=licence.issuer_department_code,
        issuer_name=licence.issuer_name,
        issued_at=licence.issued_at,
        valid_until=licence.valid_until,
        fields=[s.LicenceFieldPublic(name=name, value=value) for name, value in licence.fields],
    )


def revocation_public(revocation: Revocation) -> s.RevocationPublic:
    return s.RevocationPublic(
        revoked_at=revocation.revoked_at,
        revoked_on=revocation.revoked_on,
        reason=revocation.reason,
        revoked_by=revocation.revoked_by,
    )


def verification_public(result: VerificationResult) -> s.LicenceVerificationPublic:
    return s.LicenceVerificationPublic(
        status=result.status,
        message_zh=result.message_zh,
        message_en=result.message_en,
        key_id=result.key_id,
        licence=licence_public(result.licence) if result.licence is not None else None,
        revocation=revocation_public(result.revocation) if result.revocation is not None else None,
    )


def keys_document(services: Services) -> dict[str, Any]:
    platform = services.platform
    return platform.licence_keys.published_keys_document(published_at=platform.clock())


def revocations_document(services: Services) -> dict[str, Any]:
    """The revocation list, each entry signed by the current key of the issuing department
    (verifiers check entries against the published keys)."""
    platform = services.platform
    listed = revocations(services)
    signers: dict[str, DepartmentKey] = {}
    for revocation in listed:
        issuer = revocation.identifier.issuer_code
        if issuer not in signers:
            try:
                signers[issuer] = platform.licence_keys.current(issuer)
            except LicenceError:
                continue  # an issuer without a key: the entry is published unsigned
    list_signer = None
    if not signers:
        # An empty list is signed too, or a mirror could pass off an emptied list as it.
        published = platform.licence_keys.list_keys()
        if published:
            list_signer = platform.licence_keys.current(published[0].department_code)
    return listed.to_document(signers, published_at=platform.clock(), list_signer=list_signer)


def wallet_public(row: LicenceRow, base_url: str) -> s.WalletLicencePublic:
    return s.WalletLicencePublic(
        identifier=row.identifier,
        kind=row.kind,
        holder_id=row.holder_id,
        holder_name=row.holder_name,
        issued_at=row.issued_at,
        case_id=row.case_id,
        status="revoked" if row.revoked_at is not None else "valid",
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
        qr_text=row.qr_text,
        verify_url=verify_url(base_url, row),
        print_url=f"/licences/{row.identifier}",
    )


def wallet(services: Services, account: Account) -> list[LicenceRow]:
    """电子卡包: only applicants hold a wallet (a person or an enterprise account)."""
    if not policy.allows(account, policy.Action.HOLD_WALLET) or account.subject_id is None:
        raise Refused(403, "no_wallet", "只有申请人账号有电子卡包", "only applicant accounts have a card wallet")
    return services.reads.wallet_licences(account.subject_id)


def licence_not_found(identifier: str) -> Refused:
    shown = identifier[:60]
    return Refused(404, "licence_not_found", f"没有证照 {shown}", f"no licence {shown}")


def visible_licence(services: Services, account: Account, identifier: str) -> LicenceRow:
    """A licence the account may open in full: its holder, or whoever may see its case.
    Others get 404 (existence is not revealed; the public checks codes on /verify)."""
    if "\x00" in identifier or len(identifier) > 120:
        raise licence_not_found(identifier)
    row = services.reads.licence_row(identifier)
    if row is None:
        raise licence_not_found(identifier)
    scope = services.reads.case_scope(row.case_id) if row.case_id else None
    if policy.can_open_licence(account, row.holder_id, scope):
        return row
    raise licence_not_found(identifier)


def licence_qr_svg(row: LicenceRow, base_url: str, label: str = "QR code") -> str:
    """The QR code of a licence: the verify page's address with the signed code."""
    return qr_svg(verify_url(base_url, row), label=label)


def printable_page(services: Services, row: LicenceRow, base_url: str) -> tuple[str, str]:
    """(HTML, Content-Security-Policy) of the printable licence: the page carries its own
    inline stylesheet, allowed by its hash only."""
    licence = decode(row.qr_text).licence
    status_zh = status_en = None
    if row.revoked_at is not None:
        day = _local_day(services, row.revoked_at)
        status_zh = f"已撤销（{day}，{row.revocation_reason or ''}）"
        status_en = f"revoked on {day}: {row.revocation_reason or ''}"
    html = render_licence_html(
        licence, qr_svg(verify_url(base_url, row), label=f"{licence.kind.name_zh} {licence.identifier.text}"),
        status_zh=status_zh, status_en=status_en,
    )
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii") + "'"
        for style in styles
    )
    csp = f"default-src 'none'; img-src 'self' data:; style-src {hashes or chr(39) + 'none' + chr(39)}; frame-ancestors 'none'"
    return html, csp


def _local_day(services: Services, at: datetime) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(services.platform.settings.timezone)).date().isoformat()
