"""``yiwang credit``: classification of an enterprise under the declared credit rules.

* ``yiwang credit classify ENTERPRISE.yaml [--rules RULES.yaml] [--as-of DATE] [--json]``
  prints the class, the rule and the records that produced it, and the records set aside.
* ``yiwang credit check-rules [RULES.yaml]`` validates a rules file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
import yaml

from yiwang.cli.common import fail
from yiwang.credit.errors import CreditError
from yiwang.credit.rules import CreditRules, load_rules_text
from yiwang.credit.schemas import classification_to_dict, enterprise_file_from_mapping
from yiwang.credit.services import classify

app = typer.Typer(
    help="信用分级分类 / credit classification.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



def _bad_input(message: str) -> NoReturn:
    fail(message.replace("\n", " "), 2)


def _default_rules_path() -> Path:
    from yiwang.bootstrap import credit_rules_path

    return credit_rules_path()


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _bad_input(f"找不到{what} {path} / {what} not found: {path}")
    except (UnicodeDecodeError, IsADirectoryError):
        _bad_input(f"无法读取{what} {path} / cannot read {what}: {path}")


def _load_rules(path: Path | None) -> CreditRules:
    try:
        return load_rules_text(_read(path or _default_rules_path(), "信用规则文件"))
    except CreditError as exc:
        _bad_input(str(exc))


@app.command("classify")
def classify_command(
    enterprise_file: Annotated[
        Path, typer.Argument(help="企业信用记录 YAML / an enterprise's credit records")
    ],
    rules_file: Annotated[
        Path | None, typer.Option("--rules", help="信用规则 YAML / credit rules")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="评价日期 YYYY-MM-DD / evaluation date")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出 / JSON output")] = False,
) -> None:
    """Classify one enterprise from its records under the declared rules."""
    rules = _load_rules(rules_file)
    try:
        document = yaml.safe_load(_read(enterprise_file, "企业信用文件"))
    except yaml.YAMLError:
        _bad_input(f"{enterprise_file} 不是有效的 YAML / not valid YAML")
    try:
        credit_file = enterprise_file_from_mapping(document)
        when = date.fromisoformat(as_of) if as_of else credit_file.as_of
        if when is None:
            _bad_input("请用 --as-of 或文件中的 as_of 给出评价日期 / give the evaluation date "
                       "with --as-of or as_of in the file")
        result = classify(credit_file.records, when, rules, credit_file.flags,
                          credit_code=credit_file.credit_code)
    except ValueError:
        _bad_input(f"--as-of 日期格式应为 YYYY-MM-DD / --as-of must be YYYY-MM-DD: {as_of}")
    except CreditError as exc:
        _bad_input(str(exc))
    if as_json:
        typer.echo(json.dumps(classification_to_dict(result), ensure_ascii=False))
        return
    typer.echo(f"{result.credit_code} 于 {result.as_of} 的信用等级: {result.credit_class.value} "
               f"({result.credit_class.english})")
    typer.echo(f"依据规则 / rule {result.rule_id} (规则版本 {result.rules_version}): "
               f"{result.rule_text_zh}")
    if result.contributing_records:
        typer.echo(f"相关记录 / records: {', '.join(result.contributing_records)}")
    for item in result.disregarded:
        typer.echo(f"不计入 / not counted: {item.record_id} — {item.reason.label_zh}")
    for light in result.lightened:
        typer.echo(f"包容期减轻 / lightened: {light.record_id} {light.severity.label_zh} → "
                   f"{light.counted_as.label_zh}")
    if result.repeat.count:
        typer.echo(f"积累关注 / repeat violations: {result.repeat.status.label_zh} "
                   f"({result.repeat.count}: {', '.join(result.repeat.record_ids)})")


@app.command("check-rules")
def check_rules_command(
    rules_file: Annotated[
        Path | None, typer.Argument(help="信用规则 YAML / credit rules (default: the catalog's)")
    ] = None,
) -> None:
    """Validate a credit rules file."""
    rules = _load_rules(rules_file)
    typer.echo(f"信用规则有效: 版本 {rules.version}, {len(rules.rules)} 条规则 / valid credit "
               f"rules: version {rules.version}, {len(rules.rules)} rules")
