"""``yiwang keys ...`` and ``yiwang licence ...`` wired the way main.py will wire them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from licence_samples import ISSUED_AT, sample_licence
from typer.testing import CliRunner

from yiwang.cli.licences import keys_app, licence_app
from yiwang.licences.revocation import RevocationList
from yiwang.licences.services import sign_licence
from yiwang.licences.signing import DepartmentKey, DepartmentKeyStore

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(keys_app, name="keys")
root.add_typer(licence_app, name="licence")
runner = CliRunner()
AT = (ISSUED_AT + timedelta(days=1)).isoformat()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(root, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, str, DepartmentKeyStore]:
    """A key created and published through the CLI, and a licence code signed with it."""
    keys_dir = tmp_path / "keys"
    code, out, err = run("keys", "create", "370100SCJ", "--dir", str(keys_dir))
    assert code == 0, err
    key_id = out.strip()
    keys_file = tmp_path / "published" / "keys.json"
    keys_file.parent.mkdir()
    code, _, err = run("keys", "export-public", "--dir", str(keys_dir), "--out", str(keys_file))
    assert code == 0, err
    store = DepartmentKeyStore(keys_dir)
    qr_text = sign_licence(sample_licence(), store.load(key_id)).qr_text
    return keys_file, qr_text, store


def test_keys_create_prints_the_key_id_and_list_shows_it(tmp_path: Path) -> None:
    code, out, _ = run("keys", "create", "370100SCJ", "--dir", str(tmp_path))
    assert code == 0
    key_id = out.strip()
    assert len(key_id) == 16
    code, out, _ = run("keys", "list", "--dir", str(tmp_path))
    assert code == 0 and "370100SCJ" in out and key_id in out
    code, out, _ = run("keys", "list", "--dir", str(tmp_path), "--json")
    assert [entry["key_id"] for entry in json.loads(out)] == [key_id]


def test_keys_create_refuses_a_bad_department_code(tmp_path: Path) -> None:
    code, out, err = run("keys", "create", "../x", "--dir", str(tmp_path))
    assert code == 2 and out == ""
    assert "department code" in err
    assert "Traceback" not in err


def test_publish_writes_the_same_document_to_stdout(tmp_path: Path) -> None:
    run("keys", "create", "370100SCJ", "--dir", str(tmp_path))
    code, out, _ = run("keys", "publish", "--dir", str(tmp_path))
    assert code == 0
    assert json.loads(out)["format"] == "yiwang-licence-keys/1"


def test_verify_offline_valid_exits_0(published: tuple[Path, str, DepartmentKeyStore]) -> None:
    keys_file, qr_text, _ = published
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file), "--at", AT)
    assert code == 0
    assert out.splitlines()[0] == "有效 valid"
    assert "济南泉城数字科技有限公司" in out and "法定代表人 Legal representative: 张三" in out


def test_verify_without_a_revocation_list_says_revocation_was_not_checked(
    published: tuple[Path, str, DepartmentKeyStore], tmp_path: Path
) -> None:
    """Issue 12: a revoked licence verified without its list read "valid" with no caveat."""
    keys_file, qr_text, store = published
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file), "--at", AT)
    assert code == 0 and "未核对撤销清单" in out and "revocation not checked" in out
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file), "--at", AT, "--json")
    assert json.loads(out)["revocation_checked"] is False
    current = RevocationList().to_json({"370100SCJ": store.current("370100SCJ")})
    revocations_file = tmp_path / "revocations.json"
    revocations_file.write_text(current, encoding="utf-8")
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file), "--at", AT,
                       "--revocations", str(revocations_file), "--max-age-hours", "0")  # fmt: skip
    assert code == 0 and "未核对撤销清单" not in out


def test_verify_json_from_a_file_and_from_stdin(
    published: tuple[Path, str, DepartmentKeyStore], tmp_path: Path
) -> None:
    keys_file, qr_text, _ = published
    code_file = tmp_path / "scanned.txt"
    code_file.write_text(qr_text + "\n", encoding="utf-8")
    code, out, _ = run("licence", "verify", "--file", str(code_file), "--keys", str(keys_file),
                       "--json", "--at", AT)  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["status"] == "valid"
    assert document["licence"]["holder_id"] == "91370100MA3C5RBX3F"
    code, out, _ = run(
        "licence", "verify", "-", "--keys", str(keys_file), "--at", AT, stdin=qr_text
    )
    assert code == 0 and out.startswith("有效 valid")


def test_verify_revoked_exits_1_with_date_and_reason(
    published: tuple[Path, str, DepartmentKeyStore], tmp_path: Path
) -> None:
    keys_file, qr_text, store = published
    revocations = RevocationList().revoke(
        sample_licence().identifier,
        reason="提交虚假材料",
        revoked_by="370100SCJ/li.si",
        revoked_at=ISSUED_AT + timedelta(hours=5),
    )
    revocations_file = tmp_path / "revocations.json"
    signer = store.current("370100SCJ")
    revocations_file.write_text(revocations.to_json({"370100SCJ": signer}), encoding="utf-8")
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file),
                       "--revocations", str(revocations_file), "--at", AT)  # fmt: skip
    assert code == 1
    assert out.splitlines()[0] == (
        "已于 2026-11-26 因 提交虚假材料 撤销 revoked on 2026-11-26 because 提交虚假材料"
    )


def test_an_unsigned_revocation_list_is_refused_as_bad_input(
    published: tuple[Path, str, DepartmentKeyStore], tmp_path: Path
) -> None:
    keys_file, qr_text, _ = published
    revocations = RevocationList().revoke(
        sample_licence().identifier, reason="x", revoked_by="y", revoked_at=ISSUED_AT
    )
    revocations_file = tmp_path / "revocations.json"
    revocations_file.write_text(revocations.to_json(), encoding="utf-8")
    code, _, err = run("licence", "verify", qr_text, "--keys", str(keys_file),
                       "--revocations", str(revocations_file))  # fmt: skip
    assert code == 2 and "not signed" in err


def test_verify_unknown_issuer_exits_1(published: tuple[Path, str, DepartmentKeyStore]) -> None:
    keys_file, _, _ = published
    stranger = DepartmentKey.generate("370100SCJ")
    qr_text = sign_licence(sample_licence(), stranger).qr_text
    code, out, _ = run("licence", "verify", qr_text, "--keys", str(keys_file), "--at", AT)
    assert code == 1
    assert out.startswith("签发机关未知")
    assert "unknown issuer" in out


def test_verify_tampered_code_exits_1(published: tuple[Path, str, DepartmentKeyStore]) -> None:
    keys_file, qr_text, _ = published
    last = qr_text[-1]
    tampered = qr_text[:-1] + ("1" if last != "1" else "2")
    code, out, _ = run("licence", "verify", tampered, "--keys", str(keys_file), "--at", AT)
    assert code == 1 and out.startswith("签名无效 signature invalid")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["not-a-licence"], "malformed licence code"),
        (["YW1:0123"], "must not start with 0"),
        ([], "the licence code is empty"),  # nothing given and nothing piped in
    ],
)
def test_verify_bad_input_exits_2_with_one_line(
    published: tuple[Path, str, DepartmentKeyStore], args: list[str], says: str
) -> None:
    keys_file, _, _ = published
    result = runner.invoke(root, ["licence", "verify", *args, "--keys", str(keys_file)], input="")
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_verify_with_a_missing_or_broken_keys_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("licence", "verify", "YW1:1", "--keys", str(tmp_path / "none.json"))
    assert code == 2 and "cannot read" in err
    broken = tmp_path / "keys.json"
    broken.write_text('{"format": "other"}', encoding="utf-8")
    code, _, err = run("licence", "verify", "YW1:1", "--keys", str(broken))
    assert code == 2 and "published-keys document" in err


def test_show_prints_the_content_marked_unverified(
    published: tuple[Path, str, DepartmentKeyStore],
) -> None:
    keys_file, qr_text, _ = published
    code, out, _ = run("licence", "show", qr_text)
    assert code == 0
    assert out.startswith("未核验")
    assert "证照编号 Licence No.: YYZZ.370100SCJ.00000001.01." in out
    code, out, _ = run("licence", "show", qr_text, "--keys", str(keys_file), "--json")
    document = json.loads(out)
    assert document["verification"]["status"] == "valid"
    assert document["licence"]["fields"][1] == {"name": "法定代表人", "value": "张三"}
