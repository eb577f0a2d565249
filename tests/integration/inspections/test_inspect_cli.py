"""``yiwang inspect draw`` then ``yiwang inspect verify`` on real files (R-INSP-3)."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
import typer
from stdnum.cn import uscc
from typer.testing import CliRunner

from yiwang.cli.inspections import app as inspect_app

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "catalog" / "inspections" / "jinan-2024-joint-01.yaml"
SEED = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
CLASSES = ("诚信守法", "轻微失信", "一般失信", "严重失信")
SECTORS = ("food", "retail", "drugs", "vaccines", "special_equipment", "software")
COUNTIES = ("370102", "370103", "370104", "370105", "370112", "370181")

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(inspect_app, name="inspect")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(root, ["inspect", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def code(rnd: random.Random) -> str:
    body = "9137" + "".join(rnd.choice("0123456789") for _ in range(4))
    body += "".join(rnd.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    rnd = random.Random(7)
    rows = ["credit_code,name,credit_class,sector,county,last_random_joint_year,last_inspectors"]
    for _ in range(800):
        year = rnd.choice(["", "", "2023", "2024"])
        rows.append(f"{code(rnd)},企业{rnd.randint(1, 10**6)}有限公司,{rnd.choice(CLASSES)},"
                    f"{rnd.choice(SECTORS)},{rnd.choice(COUNTIES)},{year},")
    enterprises = tmp_path / "enterprises.csv"
    enterprises.write_text("\n".join(rows) + "\n", encoding="utf-8")
    staff = ["staff_no,department,county,conflicts"]
    for department in ("samr", "tax", "hrss"):
        for index in range(10):
            staff.append(f"{department.upper()}{index:03d},{department},"
                         f"{rnd.choice(COUNTIES)},")
    inspectors = tmp_path / "inspectors.csv"
    inspectors.write_text("\n".join(staff) + "\n", encoding="utf-8")
    return enterprises, inspectors


def draw_into(out: Path, inputs: tuple[Path, Path], *extra: str) -> tuple[int, str, str]:
    enterprises, inspectors = inputs
    return run("draw", str(PLAN), "--roster", str(enterprises), "--inspectors", str(inspectors),
               "--out", str(out), "--seed", SEED, "--beacon", "3051.28", *extra)


def test_draw_then_verify_reproduces_the_selection(tmp_path: Path,
                                                   inputs: tuple[Path, Path]) -> None:
    out = tmp_path / "draw"
    code_, stdout, _ = draw_into(out, inputs, "--json")
    assert code_ == 0
    summary = json.loads(stdout)
    assert summary["selected"] > 0
    assert sorted(p.name for p in out.iterdir()) == [
        "plan.json", "pre-publication.json", "roster-enterprises.csv", "roster-inspectors.csv",
        "seed.json", "selection.csv", "selection.json"]
    pre = json.loads((out / "pre-publication.json").read_text(encoding="utf-8"))
    assert pre["enterprises_sha256"] == hashlib.sha256(
        (out / "roster-enterprises.csv").read_bytes()).hexdigest()
    assert pre["seed_commitment"] == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()
    code_, stdout, stderr = run("verify", str(out))
    assert (code_, stderr) == (0, "")
    assert "verified" in stdout


def test_the_same_inputs_give_byte_identical_publications(tmp_path: Path,
                                                          inputs: tuple[Path, Path]) -> None:
    assert draw_into(tmp_path / "a", inputs)[0] == 0
    assert draw_into(tmp_path / "b", inputs)[0] == 0
    for name in ("pre-publication.json", "selection.json", "roster-enterprises.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_one_changed_enterprise_fails_verification_naming_the_roster_hash(
    tmp_path: Path, inputs: tuple[Path, Path]
) -> None:
    out = tmp_path / "draw"
    assert draw_into(out, inputs)[0] == 0
    roster = out / "roster-enterprises.csv"
    lines = roster.read_text(encoding="utf-8").split("\n")
    fields = lines[10].split(",")
    fields[2] = "严重失信" if fields[2] != "严重失信" else "轻微失信"
    lines[10] = ",".join(fields)
    roster.write_text("\n".join(lines), encoding="utf-8")
    code_, _, stderr = run("verify", str(out))
    assert code_ == 1
    assert "roster_hash" in stderr
    assert "enterprise roster hash" in stderr


def test_a_replaced_roster_with_a_forged_pre_publication_is_caught_by_the_original(
    tmp_path: Path, inputs: tuple[Path, Path]
) -> None:
    out = tmp_path / "draw"
    assert draw_into(out, inputs)[0] == 0
    original_pre = tmp_path / "pre-as-published.json"
    original_pre.write_bytes((out / "pre-publication.json").read_bytes())
    # redo everything with another roster: the directory is self-consistent again...
    enterprises = inputs[0]
    lines = enterprises.read_text(encoding="utf-8").split("\n")
    del lines[5]
    enterprises.write_text("\n".join(lines), encoding="utf-8")
    assert draw_into(out, inputs)[0] == 0
    assert run("verify", str(out))[0] == 0
    # ...but not against the pre-publication obtained before the draw
    code_, _, stderr = run("verify", str(out), "--pre-publication", str(original_pre))
    assert code_ == 1
    assert "roster_hash" in stderr


def test_a_changed_seed_fails_verification(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    out = tmp_path / "draw"
    assert draw_into(out, inputs)[0] == 0
    seed_file = out / "seed.json"
    document = json.loads(seed_file.read_text(encoding="utf-8"))
    document["seed"] = "ff" + document["seed"][2:]
    seed_file.write_text(json.dumps(document), encoding="utf-8")
    code_, stdout, _ = run("verify", str(out), "--json")
    assert code_ == 1
    problems = {p["code"] for p in json.loads(stdout)["problems"]}
    assert {"seed_commitment", "selection"} <= problems


def test_bad_input_exits_2_with_one_line(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    enterprises, inspectors = inputs
    code_, _, stderr = run("verify", str(tmp_path / "missing"))
    assert code_ == 2 and stderr.count("\n") == 1
    code_, _, stderr = run("verify", str(tmp_path))
    assert code_ == 2 and "pre-publication.json" in stderr
    bad_plan = tmp_path / "plan.yaml"
    bad_plan.write_text("id: X\nyear: 2024\n", encoding="utf-8")
    code_, _, stderr = run("draw", str(bad_plan), "--roster", str(enterprises), "--inspectors",
                           str(inspectors), "--out", str(tmp_path / "o"))
    assert code_ == 2 and "X" in stderr and "Traceback" not in stderr
    code_, _, stderr = run("draw", str(PLAN), "--roster", str(enterprises), "--inspectors",
                           str(inspectors), "--out", str(tmp_path / "o"), "--seed", "zz")
    assert code_ == 2 and "seed" in stderr
    broken = tmp_path / "broken.csv"
    broken.write_text("credit_code,name\n", encoding="utf-8")
    code_, _, stderr = run("draw", str(PLAN), "--roster", str(broken), "--inspectors",
                           str(inspectors), "--out", str(tmp_path / "o"))
    assert code_ == 2 and "header" in stderr
