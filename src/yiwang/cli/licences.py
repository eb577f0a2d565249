"""``yiwang keys ...`` (department signing keys) and ``yiwang licence ...`` (offline checks).

Two Typer apps: `keys_app` and `licence_app`. Exit status: 0 success (for ``verify``: the
licence is valid), 1 the licence is revoked, expired, wrongly signed or of an unknown issuer,
2 bad input (unreadable file, malformed code, bad key document), with one line on stderr.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from yiwang.cli.common import fail, plain
from yiwang.licences.errors import LicenceError, MalformedPayload
from yiwang.licences.models import CHINA_TZ, FIELD_LABELS_EN, Licence, utc_now
from yiwang.licences.payload import decode
from yiwang.licences.render import holder_labels
from yiwang.licences.revocation import RevocationList, SeenList, check_freshness
from yiwang.licences.signing import DepartmentKeyStore, KeyRing
from yiwang.licences.verification import VerificationResult, licence_to_dict, verify
from yiwang.localtime import local_iso

keys_app = typer.Typer(
    help="签发部门的签名密钥 / department signing keys for electronic licences.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
licence_app = typer.Typer(
    help="电子证照离线核验 / verify and show electronic licence codes offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app = licence_app  # HELPERS.md convention: a module exposes `app`

KeyDirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="密钥目录 key directory (default: <data_dir>/keys)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]
QrTextArgument = Annotated[
    str | None,
    typer.Argument(
        help="证照码 the QR text (YW1:...); '-' reads standard input.", show_default=False
    ),
]
FileOption = Annotated[
    Path | None, typer.Option("--file", "-f", help="Read the QR text from this file.")
]
RevocationsOption = Annotated[
    Path | None,
    typer.Option("--revocations", help="撤销清单 published revocation list (JSON)."),
]
# An assumption: the platform republishes the list at least daily; a week-old copy is stale.
DEFAULT_MAX_AGE_HOURS = 168.0
MaxAgeOption = Annotated[
    float,
    typer.Option(
        "--max-age-hours",
        min=0,
        help="Refuse a revocation list issued longer ago than this (0: no limit).",
    ),
]
StateOption = Annotated[
    Path | None,
    typer.Option(
        "--revocations-state",
        help="File keeping the newest revocation list seen; an older list is refused.",
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Check as of this ISO 8601 time instead of now."),
]


def _key_store(directory: Path | None) -> DepartmentKeyStore:
    if directory is None:
        from yiwang.bootstrap import default_key_dir

        directory = default_key_dir()
    return DepartmentKeyStore(directory)


def _echo_json(document: Any) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


# --- keys -------------------------------------------------------------------------------------


@keys_app.command("create")
def create_key(
    department_code: Annotated[
        str, typer.Argument(help="签发部门代码 department code, e.g. 370100SCJ.")
    ],
    directory: KeyDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a new signing key for a department (it becomes the department's current key)."""
    store = _key_store(directory)
    try:
        key = store.create(department_code)
    except LicenceError as exc:
        fail(str(exc))
    if as_json:
        _echo_json(key.published.to_dict())
    else:
        typer.echo(key.key_id)
        typer.echo(
            f"已为 {department_code} 创建密钥，私钥保存在 {store.directory / department_code} / "
            f"key created for {department_code}; publish it with `yiwang keys export-public`.",
            err=True,
        )


@keys_app.command("list")
def list_keys(directory: KeyDirOption = None, as_json: JsonOption = False) -> None:
    """List the keys in the key directory (public information only)."""
    try:
        keys = _key_store(directory).list_keys()
    except LicenceError as exc:
        fail(str(exc))
    if as_json:
        _echo_json([key.to_dict() for key in keys])
        return
    if not keys:
        typer.echo("没有密钥 / no keys", err=True)
        return
    typer.echo(f"{'部门 department':<20} {'密钥 key id':<18} 创建时间 created at")
    for key in keys:
        typer.echo(f"{key.department_code:<20} {key.key_id:<18} {local_iso(key.created_at)}")


def _export_public(directory: Path | None, out: Path | None) -> None:
    try:
        document = _key_store(directory).published_keys_document()
    except LicenceError as exc:
        fail(str(exc))
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"无法写入 {out} / cannot write {out}: {exc.strerror}")
    typer.echo(
        f"{len(document['keys'])} 个公钥已写入 {out} / public keys written to {out}", err=True
    )


OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the document here (default: stdout).")
]


@keys_app.command("export-public")
def export_public(directory: KeyDirOption = None, out: OutOption = None) -> None:
    """Write the published-keys document (serve it at /.well-known/yiwang-licence-keys.json)."""
    _export_public(directory, out)


@keys_app.command("publish")
def publish(directory: KeyDirOption = None, out: OutOption = None) -> None:
    """Same as export-public."""
    _export_public(directory, out)


# --- licence ----------------------------------------------------------------------------------


def _read_qr_text(qr_text: str | None, file: Path | None) -> str:
    if qr_text is not None and file is not None:
        fail("请只给出证照码或 --file 之一 / give either QR_TEXT or --file, not both")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"无法读取 {file} / cannot read {file}: {exc}")
    elif qr_text == "-" or (qr_text is None and not sys.stdin.isatty()):
        text = sys.stdin.read()
    elif qr_text is None:
        fail("请给出证照码、--file 或从标准输入读入 / give QR_TEXT, --file, or pipe the text in")
    else:
        text = qr_text
    text = text.strip()
    if not text:
        fail("证照码为空 / the licence code is empty")
    return text


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"无法读取{what} {path} / cannot read {path}: {exc}")


def _load_keyring(path: Path) -> KeyRing:
    try:
        return KeyRing.from_document(_load_json(path, "公钥文件"))
    except LicenceError as exc:
        fail(f"{path}: {exc}")


def _load_revocations(
    path: Path | None,
    keyring: KeyRing,
    *,
    max_age_hours: float = DEFAULT_MAX_AGE_HOURS,
    state: Path | None = None,
) -> RevocationList | None:
    """Read and check a revocation list: signed, no older than the newest seen (kept in
    ``state`` when given) and no older than ``max_age_hours`` (0: no age limit)."""
    if path is None:
        return None
    try:
        revocations = RevocationList.from_document(_load_json(path, "撤销清单"), keyring)
        seen = SeenList.from_document(_load_json(state, "状态文件")) if state is not None and state.exists() else None
        newest = check_freshness(
            revocations,
            now=utc_now(),
            max_age=timedelta(hours=max_age_hours) if max_age_hours > 0 else None,
            newest_seen=seen,
        )
    except LicenceError as exc:
        fail(f"{path}: {exc}")
    if state is not None:
        state.write_text(json.dumps(newest.to_document()) + "\n", encoding="utf-8")
    return revocations


def _parse_at(at: str | None) -> datetime | None:
    if at is None:
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        fail(f"--at 时间格式错误 / --at is not an ISO 8601 time: {at!r}")
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=CHINA_TZ)


def _licence_lines(licence: Licence) -> list[str]:
    (id_zh, id_en), (name_zh, name_en) = holder_labels(licence.holder_id)
    valid_until = (
        "长期 no expiry" if licence.valid_until is None else licence.valid_until.isoformat()
    )
    rows = [
        ("证照编号", "Licence No.", licence.identifier.text),
        ("证照类型", "Kind", f"{licence.kind.name_zh} {licence.kind.name_en}"),
        (id_zh, id_en, licence.holder_id),
        (name_zh, name_en, licence.holder_name),
        *((name, FIELD_LABELS_EN.get(name, ""), value) for name, value in licence.fields),
        ("签发机关", "Issuer", f"{licence.issuer_name} ({licence.issuer_department_code})"),
        ("签发时间", "Issued at", local_iso(licence.issued_at)),
        ("有效期至", "Valid until", valid_until),
    ]
    # Licence text comes from the applicant's form (and, for `show`, from an unverified code).
    return [f"{zh} {en}: {plain(value)}" if en else f"{zh}: {plain(value)}" for zh, en, value in rows]


REVOCATION_UNCHECKED = (
    "注意：未核对撤销清单（用 --revocations 提供最新清单），已撤销的证照同样显示有效 / "
    "note: revocation not checked (give the latest list with --revocations); a revoked licence "
    "shows as valid too"
)


def _print_result(result: VerificationResult) -> None:
    typer.echo(plain(result.message))
    if result.licence is not None:
        for line in _licence_lines(result.licence):
            typer.echo(f"  {line}")


@licence_app.command("verify")
def verify_command(
    keys: Annotated[
        Path, typer.Option("--keys", help="已发布的公钥文件 published keys document (JSON).")
    ],
    qr_text: QrTextArgument = None,
    file: FileOption = None,
    revocations: RevocationsOption = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    max_age_hours: MaxAgeOption = DEFAULT_MAX_AGE_HOURS,
    revocations_state: StateOption = None,
) -> None:
    """Verify a licence code offline. Exit 0 valid; 1 revoked, expired, invalid or unknown."""
    text = _read_qr_text(qr_text, file)
    keyring = _load_keyring(keys)
    revocation_list = _load_revocations(
        revocations, keyring, max_age_hours=max_age_hours, state=revocations_state
    )
    result = verify(text, keyring, revocation_list, at=_parse_at(at))
    # Without a list, "valid" only says the signature holds: a revoked licence verifies the
    # same. The answer says so, so that nobody reads it as "not revoked".
    unchecked = revocation_list is None and result.is_valid
    if as_json:
        _echo_json(result.to_dict() | {"revocation_checked": revocation_list is not None})
    if result.status == "malformed":
        if not as_json:
            typer.echo(plain(result.message), err=True)
        raise typer.Exit(2)
    if not as_json:
        _print_result(result)
        if unchecked:
            typer.echo(REVOCATION_UNCHECKED)
    raise typer.Exit(0 if result.is_valid else 1)


@licence_app.command("show")
def show_command(
    qr_text: QrTextArgument = None,
    file: FileOption = None,
    keys: Annotated[
        Path | None, typer.Option("--keys", help="Also verify against this published keys file.")
    ] = None,
    revocations: RevocationsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show what a licence code contains (marked unverified unless --keys is given)."""
    text = _read_qr_text(qr_text, file)
    try:
        decoded = decode(text)
    except MalformedPayload as exc:
        fail(str(exc))
    result: VerificationResult | None = None
    if keys is not None:
        keyring = _load_keyring(keys)
        result = verify(text, keyring, _load_revocations(revocations, keyring))
    if as_json:
        _echo_json(
            {
                "key_id": decoded.key_id_hex,
                "verification": None if result is None else result.to_dict(),
                "licence": licence_to_dict(decoded.licence),
            }
        )
        return
    if result is None:
        typer.echo("未核验（用 --keys 核验）/ not verified (use --keys to verify)")
    else:
        typer.echo(plain(result.message))
    for line in _licence_lines(decoded.licence):
        typer.echo(f"  {line}")
    typer.echo(f"  签名密钥 Signing key: {decoded.key_id_hex}")


@licence_app.command("revoke")
def revoke_command(
    identifier: Annotated[str, typer.Argument(help="证照标识 / licence identifier")],
    reason: Annotated[str, typer.Option(help="撤销理由 / reason")],
    by: Annotated[str, typer.Option(help="撤销部门 / revoking department code")],
) -> None:
    """撤销电子证照 / revoke a licence (it then verifies as revoked and proves nothing)."""
    from yiwang.bootstrap import bootstrap
    from yiwang.cases.errors import CaseError

    platform = bootstrap()
    try:
        case = platform.cases.revoke_licence(identifier, reason=reason, actor=by)
    except CaseError as error:
        fail(str(error))
    finally:
        platform.dispose()
    typer.echo(f"已撤销 revoked: {identifier}" + (f" (case {case.id})" if case is not None else ""))


@licence_app.command("pdf")
def pdf_command(
    identifier: Annotated[str, typer.Argument(help="证照标识 / licence identifier")],
    out: Annotated[Path, typer.Option("--out", help="PDF 文件 / PDF file to write")],
) -> None:
    """生成证照 PDF（含二维码）/ write a licence as PDF, with its QR code."""
    from yiwang.bootstrap import bootstrap
    from yiwang.licences.pdf import PdfUnavailable, html_to_pdf
    from yiwang.licences.qr import qr_svg
    from yiwang.licences.render import render_licence_html

    platform = bootstrap()
    try:
        with platform.unit_of_work(read_only=True) as uow:
            signed = uow.licences.get(identifier)
            revocations = uow.licences.revocations()
    finally:
        platform.dispose()
    if signed is None:
        fail(f"电子证照库中没有 {identifier} / no licence {identifier} in the library")
    revocation = revocations.get(identifier)
    html = render_licence_html(
        signed.licence,
        qr_svg(signed.qr_text),
        status_zh=f"已撤销：{revocation.reason}" if revocation else None,
        status_en="revoked" if revocation else None,
    )
    try:
        out.write_bytes(html_to_pdf(html))
    except PdfUnavailable as error:
        fail(str(error))
    typer.echo(f"已生成 written: {out}")
