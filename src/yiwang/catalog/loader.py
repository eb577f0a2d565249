"""Catalog YAML in, validated immutable specs out.

Parsing takes file *texts* (path -> text), so the same code parses a catalog directory, a
snapshot stored with a catalog version in the database, or a test's inline strings. Every
problem is collected with its file, entry and field, and reported all at once: a reviewer of a
catalog change wants the whole list, not the first error.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from yiwang.calendar import InvalidTimeLimit, LimitKind, OfficeHours, TimeLimit
from yiwang.calendar.models import promise_within
from yiwang.catalog.errors import CatalogInvalid, CatalogProblem
from yiwang.catalog.models import (
    AutoDecisionRule,
    BundleSpec,
    CatalogSpec,
    Condition,
    DepartmentKindSpec,
    FeeSpec,
    FieldType,
    FlowVariant,
    FlowVariants,
    FormFieldSpec,
    HandlingMode,
    ImplementationEntry,
    ImplementationList,
    ItemSpec,
    Level,
    LimitVariant,
    MaterialSource,
    MaterialSpec,
    NegativeListEntry,
    OutputSpec,
    StageItemSpec,
    StageSpec,
    StepSpec,
    Text,
)
from yiwang.identity.errors import IdentityDataError
from yiwang.identity.names import ProhibitedWords, build_prohibited_words
from yiwang.identity.regions import RegionTree, build_regions
from yiwang.identity.scope import BusinessScope, build_business_scope
from yiwang.registries.models import Dataset, DatasetField, SharingLevel

_MISSING = object()
# Limits are compared in nominal working seconds of the default office day.
_OFFICE = OfficeHours.default()
# Legal limits only a statute can set: the catalog must name the article.
_STATUTE_ONLY_KINDS = frozenset(
    {LimitKind.CALENDAR_DAYS, LimitKind.SAME_DAY, LimitKind.ON_RECEIPT}
)


class _Reader:
    """Reads one mapping, recording problems with their location instead of raising."""

    def __init__(
        self, data: Any, file: str, entry: str, path: str, problems: list[CatalogProblem]
    ) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.file = file
        self.entry = entry
        self.path = path
        self.problems = problems
        if not isinstance(data, dict):
            self.problem("", f"应为映射 / expected a mapping, got {type(data).__name__}")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, message: str) -> None:
        field = self.at(key) if key else self.path
        self.problems.append(CatalogProblem(self.file, self.entry, field, message))

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            self.problem(key, "缺少必填字段 / required field missing")
            return None
        return default

    def string(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if value is None:
            return "" if default in (_MISSING, None) else str(default)
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(key, f"应为文本 / expected text, got {type(value).__name__}")
            return ""
        text = str(value).strip()
        if not text and default is _MISSING:
            self.problem(key, "不能为空 / must not be empty")
        return text

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.problem(key, "应为 true 或 false / expected true or false")
            return default
        return value

    def text(self, key: str, default: Any = _MISSING) -> Text:
        value = self.raw(key, default)
        if value is None:
            return Text("", "")
        if isinstance(value, str):
            # A bare string is Chinese only; the English name is required for user-facing text.
            self.problem(key, "需要 zh 与 en 两种文字 / needs both zh and en")
            return Text(value, value)
        sub = self.sub(key, value)
        return Text(sub.string("zh"), sub.string("en"))

    def limit(self, key: str, default: Any = _MISSING) -> TimeLimit:
        value = self.raw(key, default)
        if value is None:
            return TimeLimit.instant()
        try:
            return TimeLimit.parse(str(value))
        except (InvalidTimeLimit, ValueError) as error:
            self.problem(key, f"时限格式错误 / bad time limit {value!r}: {error}")
            return TimeLimit.instant()

    def strings(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem(key, "应为文本列表 / expected a list of texts")
            return ()
        return tuple(str(v) for v in value)

    def items(self, key: str, default: Any = _MISSING) -> Iterator[tuple[int, Any]]:
        value = self.raw(key, default)
        if value is None:
            return iter(())
        if not isinstance(value, list):
            self.problem(key, "应为列表 / expected a list")
            return iter(())
        return iter(enumerate(value))

    def sub(self, key: str, value: Any, entry: str | None = None) -> _Reader:
        return _Reader(
            value,
            self.file,
            self.entry if entry is None else entry,
            self.at(key),
            self.problems,
        )

    def enum(self, key: str, enum_type: type[Any], value: Any) -> Any:
        try:
            return enum_type(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            self.problem(key, f"取值 {value!r} 无效，可选 / invalid value, allowed: {allowed}")
            return None


def _parse_text_files(files: Mapping[str, str], problems: list[CatalogProblem]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for name in sorted(files):
        if not name.endswith((".yaml", ".yml")):
            continue
        try:
            parsed[name] = yaml.safe_load(files[name])
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            problems.append(
                CatalogProblem(name, "", "", f"YAML 语法错误 / YAML syntax error{line}")
            )
    return parsed


def catalog_version(files: Mapping[str, str]) -> str:
    """Content digest of the catalog: the same files always give the same version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def read_catalog_files(root: Path) -> dict[str, str]:
    """Every YAML file under ``root``, by path relative to it."""
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*.y*ml")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return files


def _department_kinds(
    name: str, data: Any, problems: list[CatalogProblem]
) -> dict[str, DepartmentKindSpec]:
    kinds: dict[str, DepartmentKindSpec] = {}
    top = _Reader(data, name, "", "", problems)
    for index, raw in top.items("department_kinds"):
        reader = top.sub(f"department_kinds[{index}]", raw)
        code = reader.string("code")
        reader.entry = code
        if code in kinds:
            reader.problem("code", f"部门代码重复 / duplicate department kind {code}")
        kinds[code] = DepartmentKindSpec(
            code=code,
            name=reader.text("name"),
            levels=reader.strings("levels", ["province", "city", "county"]),
            abbreviation=reader.string("abbreviation"),
        )
        if not re.fullmatch(r"[A-Z]{2,6}", kinds[code].abbreviation):
            reader.problem("abbreviation", "须为2至6个大写字母 / must be 2-6 upper-case letters")
    return kinds


def _datasets(name: str, data: Any, problems: list[CatalogProblem]) -> dict[str, Dataset]:
    datasets: dict[str, Dataset] = {}
    top = _Reader(data, name, "", "", problems)
    for index, raw in top.items("datasets"):
        reader = top.sub(f"datasets[{index}]", raw)
        code = reader.string("code")
        reader.entry = code
        fields = []
        for f_index, f_raw in reader.items("fields"):
            sub = reader.sub(f"fields[{f_index}]", f_raw)
            text = sub.text("name")
            fields.append(
                DatasetField(sub.string("code"), text.zh, text.en, sub.boolean("personal", False))
            )
        title = reader.text("name")
        sharing = reader.enum("sharing", SharingLevel, reader.string("sharing"))
        datasets[code] = Dataset(
            code=code,
            name_zh=title.zh,
            name_en=title.en,
            owner_department_kind=reader.string("owner"),
            sharing=sharing or SharingLevel.NOT_SHARED,
            fields=tuple(fields),
        )
    return datasets


def _conditions(reader: _Reader, key: str, default: Any = _MISSING) -> tuple[Condition, ...]:
    """``[{field: F, in: [...]}, {field: G, equals: v}, {field: H, present: true}]``."""
    conditions = []
    for index, raw in reader.items(key, default):
        cond = reader.sub(f"{key}[{index}]", raw)
        operator = next((op for op in ("in", "not_in", "equals", "present") if op in cond.data), "")
        if not operator:
            cond.problem("", "条件须含 in/not_in/equals/present / condition needs an operator")
            continue
        values: tuple[str, ...]
        if operator == "present":
            values = ()
        elif operator == "equals":
            values = (cond.string("equals"),)
        else:
            values = cond.strings(operator)
        conditions.append(Condition(cond.string("field"), operator, values))
    return tuple(conditions)


def _stage_item(reader: _Reader, key: str, raw: Any) -> StageItemSpec:
    if isinstance(raw, str):
        return StageItemSpec(item_code=raw)
    item_reader = reader.sub(key, raw)
    field_map_raw = item_reader.raw("field_map", {}) or {}
    if not isinstance(field_map_raw, dict):
        item_reader.problem("field_map", "应为映射 / expected a mapping")
        field_map_raw = {}
    limit_raw = item_reader.raw("limit", None)
    return StageItemSpec(
        item_code=item_reader.string("item"),
        field_map=MappingProxyType({str(k): str(v) for k, v in field_map_raw.items()}),
        limit=item_reader.limit("limit") if limit_raw is not None else None,
        when=_conditions(item_reader, "when", []),
        needs=item_reader.strings("needs", []),
    )


def _needs_cycle(stage: StageSpec) -> bool:
    """Whether the ``needs`` of a stage's items loop back on themselves."""
    needs = {si.item_code: set(si.needs) for si in stage.items}
    done: set[str] = set()
    while True:
        ready = {code for code, wanted in needs.items() if code not in done and wanted <= done | (wanted - needs.keys())}
        if not ready:
            return len(done) < len(needs)
        done |= ready


def _implementation(name: str, data: Any, problems: list[CatalogProblem]) -> ImplementationList:
    """``catalog/implementation/<region>.yaml``: which level handles each item there."""
    top = _Reader(data, name, "", "", problems)
    region = top.string("region")
    entries: dict[str, ImplementationEntry] = {}
    for index, raw in top.items("entries"):
        reader = top.sub(f"entries[{index}]", raw)
        code = reader.string("item")
        reader.entry = code
        level = reader.enum("level", Level, reader.string("level"))
        window = reader.enum(
            "window", Level, reader.string("window", level.value if level else "city")
        )
        review_text = reader.string("review", None)
        review = reader.enum("review", Level, review_text) if review_text else None
        since = reader.string("since")
        try:
            date.fromisoformat(since)
        except ValueError:
            reader.problem("since", f"日期格式错误 / bad date {since!r}")
        if code in entries:
            reader.problem("item", "事项重复 / item listed twice")
        entries[code] = ImplementationEntry(
            item_code=code,
            level=level or Level.CITY,
            window=window or Level.CITY,
            review=review,
            since=since,
            legal_basis=reader.string("legal_basis"),
        )
    return ImplementationList(region, MappingProxyType(entries), name)


def _check_implementation(
    lists: Mapping[str, ImplementationList],
    links: tuple[frozenset[str], ...],
    items: Mapping[str, ItemSpec],
    regions: RegionTree | None,
    problems: list[CatalogProblem],
) -> None:
    order = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.ZONE]
    for group in links:
        for code in group - set(items):
            problems.append(
                CatalogProblem(
                    "implementation/links.yaml", code, "", f"未知事项 / unknown item {code}"
                )
            )
    for implementation in lists.values():
        file = implementation.source_file
        region = regions.find(implementation.region_code) if regions is not None else None
        if regions is not None and region is None:
            problems.append(
                CatalogProblem(
                    file,
                    "",
                    "region",
                    f"未知行政区划 / unknown region {implementation.region_code}",
                )
            )
        for entry in implementation.entries.values():
            if entry.item_code not in items:
                problems.append(
                    CatalogProblem(file, entry.item_code, "item", "未知事项 / unknown item")
                )
            if entry.level is Level.ZONE and (region is None or region.level.value != "zone"):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "level",
                        "只有功能区清单可用 zone / only a function zone's list may use zone",
                    )
                )
            if entry.review is not None and order.index(entry.review) <= order.index(entry.level):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "review",
                        "审核层级须低于审批层级 / the reviewing level must be below the approving level",
                    )
                )
            if order.index(entry.window) < order.index(entry.level):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "window",
                        "受理窗口只能前移到更低层级 / the window can only move down, not up",
                    )
                )
        # 一链办理: a linked group is delegated as a whole or not at all.
        for group in links:
            listed = {
                code: implementation.entries[code]
                for code in group
                if code in implementation.entries
            }
            if not listed:
                continue
            placements = {(e.level, e.window, e.review) for e in listed.values()}
            if len(listed) != len(group) or len(placements) > 1:
                problems.append(
                    CatalogProblem(
                        file,
                        ",".join(sorted(group)),
                        "entries",
                        "一链办理事项须一并下放，不得拆分 / linked items must be delegated together",
                    )
                )


def _form_fields(reader: _Reader, key: str) -> tuple[FormFieldSpec, ...]:
    fields: list[FormFieldSpec] = []
    seen: set[str] = set()
    for index, raw in reader.items(key, []):
        sub = reader.sub(f"{key}[{index}]", raw)
        name = sub.string("name")
        if name in seen:
            sub.problem("name", f"表单字段重复声明 / form field {name} declared twice")
        seen.add(name)
        choices: list[tuple[str, Text]] = []
        for choice_index, choice_raw in sub.items("choices", []):
            choice = sub.sub(f"choices[{choice_index}]", choice_raw)
            choices.append((choice.string("value"), choice.text("label")))
        field_type = sub.enum("type", FieldType, sub.string("type"))
        help_raw = sub.raw("help", None)
        fields.append(
            FormFieldSpec(
                name=name,
                label=sub.text("label"),
                type=field_type or FieldType.TEXT,
                required=sub.boolean("required", True),
                choices=tuple(choices),
                choices_from=sub.string("choices_from", None) or None,
                prefill=sub.string("prefill", None) or None,
                help=sub.text("help") if help_raw is not None else None,
            )
        )
    return tuple(fields)


def _item(reader: _Reader) -> ItemSpec:
    materials: list[MaterialSpec] = []
    material_codes: set[str] = set()
    for index, raw in reader.items("materials", []):
        sub = reader.sub(f"materials[{index}]", raw)
        code = sub.string("code")
        if code in material_codes:
            sub.problem("code", f"材料代码重复 / duplicate material {code}")
        material_codes.add(code)
        source = sub.enum("source", MaterialSource, sub.string("source"))
        registry_field = sub.string("registry_field", None) or None
        from_item = sub.string("from_item", None) or None
        if source is MaterialSource.REGISTRY and not registry_field:
            sub.problem(
                "registry_field", "共享材料须指明数据项 / registry material needs registry_field"
            )
        if source is MaterialSource.PRIOR_OUTPUT and not from_item:
            sub.problem(
                "from_item", "前序结果材料须指明事项 / prior-output material needs from_item"
            )
        materials.append(
            MaterialSpec(
                code=code,
                name=sub.text("name"),
                source=source or MaterialSource.APPLICANT,
                required=sub.boolean("required", True),
                registry_field=registry_field,
                commitment_allowed=sub.boolean("commitment_allowed", False),
                from_item=from_item,
                copies=int(sub.raw("copies", 1) or 1),
                subject=sub.string("subject", "applicant"),
                promise_until=sub.string("promise_until", None) or None,
            )
        )
    steps: list[StepSpec] = []
    for index, raw in reader.items("procedure"):
        sub = reader.sub(f"procedure[{index}]", raw)
        steps.append(StepSpec(code=sub.string("code"), name=sub.text("name")))
    if not steps:
        reader.problem("procedure", "办理流程不能为空 / procedure must have at least one step")
    fees: list[FeeSpec] = []
    for index, raw in reader.items("fees", []):
        sub = reader.sub(f"fees[{index}]", raw)
        amount = sub.string("amount_yuan")
        try:
            if float(amount) < 0:
                sub.problem("amount_yuan", "收费不能为负 / fee must not be negative")
        except ValueError:
            sub.problem("amount_yuan", f"金额格式错误 / bad amount {amount!r}")
        fees.append(
            FeeSpec(name=sub.text("name"), amount_yuan=amount, basis=sub.string("basis", ""))
        )
    modes = []
    for mode in reader.strings("handling_modes"):
        parsed = reader.enum("handling_modes", HandlingMode, mode)
        if parsed is not None:
            modes.append(parsed)
    if not modes:
        reader.problem("handling_modes", "至少一种办理方式 / at least one handling mode")
    output = None
    output_raw = reader.raw("output", None)
    if output_raw is not None:
        sub = reader.sub("output", output_raw)
        pieces = tuple(
            sub.sub(f"pieces[{i}]", piece).text("name") for i, piece in sub.items("pieces", [])
        )
        holder_raw = sub.raw("holder", "applicant")
        holder_role, holder_id_field, holder_name_field = "applicant", None, None
        if isinstance(holder_raw, str):
            holder_role = holder_raw
            if holder_role not in ("applicant", "enterprise"):
                sub.problem("holder", "持有人须为 applicant、enterprise 或带表单字段的角色 / holder: applicant, enterprise, or a role with its form fields")
        else:
            holder = sub.sub("holder", holder_raw)
            holder_role = holder.string("role")
            holder_id_field = holder.string("id_field")
            holder_name_field = holder.string("name_field")
        output = OutputSpec(
            kind=sub.string("kind"),
            name=sub.text("name"),
            is_licence=sub.boolean("licence", False),
            pieces=pieces,
            holder_role=holder_role,
            holder_id_field=holder_id_field,
            holder_name_field=holder_name_field,
        )
    rules: list[AutoDecisionRule] = []
    for index, raw in reader.items("auto_rules", []):
        sub = reader.sub(f"auto_rules[{index}]", raw)
        conditions = _conditions(sub, "when")
        rules.append(
            AutoDecisionRule(
                rule_id=sub.string("id"),
                description=sub.text("description"),
                conditions=tuple(conditions),
            )
        )
    legal_limit = reader.limit("legal_limit")
    promised_limit = reader.limit("promised_limit")
    limit_variants = []
    for v_index, v_raw in reader.items("limit_variants", []):
        v_reader = reader.sub(f"limit_variants[{v_index}]", v_raw)
        limit_variants.append(
            LimitVariant(when=_conditions(v_reader, "when"), limit=v_reader.limit("limit"))
        )
    legal_limit_variants = []
    for v_index, v_raw in reader.items("legal_limit_variants", []):
        v_reader = reader.sub(f"legal_limit_variants[{v_index}]", v_raw)
        legal_limit_variants.append(
            LimitVariant(
                when=_conditions(v_reader, "when"),
                limit=v_reader.limit("limit"),
                label=v_reader.text("label"),
            )
        )
    legal_limit_basis = reader.string("legal_limit_basis", "")
    for legal in (legal_limit, *(v.limit for v in legal_limit_variants)):
        if legal.kind in _STATUTE_ONLY_KINDS and not legal_limit_basis:
            reader.problem(
                "legal_limit_basis",
                f"法定时限 {legal} 须注明设定依据 / legal limit {legal} needs its legal basis",
            )
        if not promise_within(promised_limit, legal, _OFFICE):
            reader.problem(
                "promised_limit",
                f"承诺时限 {promised_limit} 长于法定时限 {legal} / promised limit exceeds legal limit",
            )
    return ItemSpec(
        code=reader.entry,
        name=reader.text("name"),
        aliases=reader.strings("aliases", []),
        department_kind=reader.string("department"),
        legal_basis=reader.strings("legal_basis"),
        handling_modes=tuple(modes),
        materials=tuple(materials),
        procedure=tuple(steps),
        legal_limit=legal_limit,
        promised_limit=promised_limit,
        fees=tuple(fees),
        service_standard=reader.text("service_standard"),
        output=output,
        auto_rules=tuple(rules),
        form=_form_fields(reader, "form"),
        category=reader.string("category", ""),
        limit_variants=tuple(limit_variants),
        checks=reader.strings("checks", []),
        source_file=reader.file,
        legal_limit_basis=legal_limit_basis,
        legal_limit_variants=tuple(legal_limit_variants),
    )


def _bundle(reader: _Reader) -> BundleSpec:
    form = _form_fields(reader, "form")
    stages: list[StageSpec] = []
    for index, raw in reader.items("stages"):
        sub = reader.sub(f"stages[{index}]", raw)
        stage_items: list[StageItemSpec] = []
        for i_index, i_raw in sub.items("items"):
            stage_items.append(_stage_item(sub, f"items[{i_index}]", i_raw))
        if not stage_items:
            sub.problem("items", "阶段至少一个事项 / a stage needs at least one item")
        stages.append(
            StageSpec(
                code=sub.string("code"),
                name=sub.text("name"),
                lead_department_kind=sub.string("lead_department"),
                limit=sub.limit("limit"),
                items=tuple(stage_items),
                joint=sub.boolean("joint", False),
            )
        )
    if not stages:
        reader.problem("stages", "一件事至少一个阶段 / a bundle needs at least one stage")
    modes = tuple(
        m
        for m in (
            reader.enum("handling_modes", HandlingMode, v)
            for v in reader.strings("handling_modes", [])
        )
        if m is not None
    )
    description_raw = reader.raw("description", None)
    variants = None
    variants_raw = reader.raw("variants", None)
    if variants_raw is not None:
        v_reader = reader.sub("variants", variants_raw)
        options = []
        stage_codes = {stage.code for stage in stages}
        for o_index, o_raw in v_reader.items("options"):
            option = v_reader.sub(f"options[{o_index}]", o_raw)
            limits_raw = option.raw("stage_limits", {}) or {}
            stage_limits: dict[str, TimeLimit] = {}
            if isinstance(limits_raw, dict):
                for stage_code in limits_raw:
                    if stage_code not in stage_codes:
                        option.problem(
                            f"stage_limits.{stage_code}", f"无此阶段 / no stage {stage_code}"
                        )
                    stage_limits[str(stage_code)] = option.sub("stage_limits", limits_raw).limit(
                        str(stage_code)
                    )
            options.append(
                FlowVariant(
                    value=option.string("value"),
                    label=option.text("label"),
                    total_limit=option.limit("total_limit"),
                    stage_limits=MappingProxyType(stage_limits),
                )
            )
        variants = FlowVariants(form_field=v_reader.string("field"), options=tuple(options))
    early = tuple(
        _stage_item(reader, f"early_intervention[{index}]", raw)
        for index, raw in reader.items("early_intervention", [])
    )
    return BundleSpec(
        code=reader.entry,
        name=reader.text("name"),
        aliases=reader.strings("aliases", []),
        form=form,
        stages=tuple(stages),
        total_limit=reader.limit("total_limit"),
        checks=reader.strings("checks", []),
        handling_modes=modes,
        description=reader.text("description") if description_raw is not None else None,
        variants=variants,
        early_intervention=early,
        source_file=reader.file,
        submission_window=_submission_window(reader),
    )


def _submission_window(reader: _Reader) -> tuple[int, int] | None:
    """``submission_window: [1, 7]``: applications only on those working days of a month."""
    raw = reader.raw("submission_window", None)
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in raw)
        or not 1 <= raw[0] <= raw[1] <= 23
    ):
        reader.problem(
            "submission_window",
            f"应为 [起, 止] 两个工作日序号，1 ≤ 起 ≤ 止 ≤ 23 / expected [first, last] working "
            f"days of the month, 1 <= first <= last <= 23, got {raw!r}",
        )
        return None
    return raw[0], raw[1]


def _cross_check(
    kinds: Mapping[str, DepartmentKindSpec],
    items: Mapping[str, ItemSpec],
    bundles: Mapping[str, BundleSpec],
    reference_lists: frozenset[str],
    problems: list[CatalogProblem],
) -> None:
    """References between files: departments, items in stages, form mappings, time limits."""
    for item in items.values():
        if item.department_kind and item.department_kind not in kinds:
            problems.append(
                CatalogProblem(
                    item.source_file,
                    item.code,
                    "department",
                    f"未知部门 / unknown department kind {item.department_kind}",
                )
            )
        for material in item.materials:
            if material.from_item and material.from_item not in items:
                problems.append(
                    CatalogProblem(
                        item.source_file,
                        item.code,
                        f"materials.{material.code}.from_item",
                        f"未知事项 / unknown item {material.from_item}",
                    )
                )
    for bundle in bundles.values():
        form_names = {f.name for f in bundle.form}
        for form_field in bundle.form:
            if form_field.choices_from and form_field.choices_from not in reference_lists:
                problems.append(
                    CatalogProblem(
                        bundle.source_file,
                        bundle.code,
                        f"form.{form_field.name}.choices_from",
                        f"未知参考列表 / unknown reference list {form_field.choices_from}",
                    )
                )
        stage_seconds = 0
        seen_items: set[str] = set()
        for stage in bundle.stages:
            where = f"stages.{stage.code}"
            if stage.lead_department_kind not in kinds:
                problems.append(
                    CatalogProblem(
                        bundle.source_file,
                        bundle.code,
                        f"{where}.lead_department",
                        f"未知部门 / unknown department kind {stage.lead_department_kind}",
                    )
                )
            stage_seconds += stage.limit.working_seconds_nominal(_OFFICE)
            in_stage = {si.item_code for si in stage.items}
            if _needs_cycle(stage):
                problems.append(
                    CatalogProblem(
                        bundle.source_file,
                        bundle.code,
                        f"{where}.items",
                        "事项之间循环依赖，任何一项都无法开始 / the items need each other in a cycle: none could start",
                    )
                )
            for stage_item in stage.items:
                for needed in stage_item.needs:
                    if needed not in in_stage or needed == stage_item.item_code:
                        problems.append(
                            CatalogProblem(
                                bundle.source_file,
                                bundle.code,
                                f"{where}.items.{stage_item.item_code}.needs",
                                f"只能依赖本阶段的其他事项 / can only need another item of this stage: {needed}",
                            )
                        )
                if stage_item.item_code not in items:
                    problems.append(
                        CatalogProblem(
                            bundle.source_file,
                            bundle.code,
                            f"{where}.items",
                            f"未知事项 / unknown item {stage_item.item_code}",
                        )
                    )
                    continue
                if stage_item.item_code in seen_items:
                    problems.append(
                        CatalogProblem(
                            bundle.source_file,
                            bundle.code,
                            f"{where}.items",
                            f"事项重复 / item {stage_item.item_code} appears twice",
                        )
                    )
                seen_items.add(stage_item.item_code)
                item_limit = stage_item.limit or items[stage_item.item_code].promised_limit
                if item_limit.working_seconds_nominal(
                    _OFFICE
                ) > stage.limit.working_seconds_nominal(_OFFICE):
                    problems.append(
                        CatalogProblem(
                            bundle.source_file,
                            bundle.code,
                            f"{where}.items.{stage_item.item_code}",
                            f"事项时限 {item_limit} 超出阶段时限 {stage.limit} / item limit exceeds the stage limit",
                        )
                    )
                for item_field, form_field_name in stage_item.field_map.items():
                    if form_field_name not in form_names:
                        problems.append(
                            CatalogProblem(
                                bundle.source_file,
                                bundle.code,
                                f"{where}.items.{stage_item.item_code}.field_map.{item_field}",
                                f"合并表单无此字段 / merged form has no field {form_field_name}",
                            )
                        )
        for early in bundle.early_intervention:
            if early.item_code not in items:
                problems.append(
                    CatalogProblem(
                        bundle.source_file,
                        bundle.code,
                        "early_intervention",
                        f"未知事项 / unknown item {early.item_code}",
                    )
                )
        stage_codes = {stage.code for stage in bundle.stages}
        for item_code in bundle.item_codes():
            for material in items[item_code].materials if item_code in items else ():
                if material.promise_until and material.promise_until not in stage_codes:
                    problems.append(
                        CatalogProblem(
                            items[item_code].source_file,
                            item_code,
                            f"materials.{material.code}.promise_until",
                            f"一件事 {bundle.code} 无此阶段 / bundle has no stage {material.promise_until}",
                        )
                    )
        if bundle.variants is not None:
            form_names = {f.name for f in bundle.form}
            if bundle.variants.form_field not in form_names:
                problems.append(
                    CatalogProblem(
                        bundle.source_file,
                        bundle.code,
                        "variants.field",
                        f"合并表单无此字段 / merged form has no field {bundle.variants.form_field}",
                    )
                )
            for option in bundle.variants.options:
                budget = sum(
                    bundle.stage_limit_for(
                        stage, {bundle.variants.form_field: option.value}
                    ).working_seconds_nominal(_OFFICE)
                    for stage in bundle.stages
                )
                if budget > option.total_limit.working_seconds_nominal(_OFFICE):
                    problems.append(
                        CatalogProblem(
                            bundle.source_file,
                            bundle.code,
                            f"variants.{option.value}",
                            f"各阶段时限之和超过流程总时限 {option.total_limit} / stage budgets exceed the flow's total",
                        )
                    )
        month_day = any(
            limit.kind is LimitKind.MONTH_WORKING_DAY
            for limit in (bundle.total_limit, *(stage.limit for stage in bundle.stages))
        )
        # Month-day limits are dates in the month, not durations: they do not add up.
        if not month_day and stage_seconds > bundle.total_limit.working_seconds_nominal(_OFFICE):
            problems.append(
                CatalogProblem(
                    bundle.source_file,
                    bundle.code,
                    "total_limit",
                    f"各阶段时限之和超过总时限 {bundle.total_limit} / stage limits exceed the total limit",
                )
            )


def _check_holders(
    items: Mapping[str, ItemSpec], bundles: Mapping[str, BundleSpec], problems: list[CatalogProblem]
) -> None:
    """An output held by a party of the form (buyer, mortgagee …) needs that party's fields
    on every form the item is filed with: its own, and each bundle's merged form."""
    for item in items.values():
        output = item.output
        if output is None or output.holder_id_field is None:
            continue
        wanted = (output.holder_id_field, output.holder_name_field or output.holder_id_field)
        lacking: list[tuple[str, str]] = []
        if item.form and not set(wanted) <= {f.name for f in item.form}:
            lacking.append((item.source_file, item.code))
        for bundle in bundles.values():
            names = {f.name for f in bundle.form}
            for stage in bundle.stages:
                for stage_item in stage.items:
                    if stage_item.item_code == item.code and not {stage_item.field_map.get(w, w) for w in wanted} <= names:
                        lacking.append((bundle.source_file, bundle.code))
        for source, code in lacking:
            problems.append(
                CatalogProblem(
                    source,
                    code,
                    "output.holder",
                    f"表单缺少持有人字段 / the form lacks the holder's fields {', '.join(wanted)} ({item.code})",
                )
            )


def _check_registry_fields(
    kinds: Mapping[str, DepartmentKindSpec],
    items: Mapping[str, ItemSpec],
    bundles: Mapping[str, BundleSpec],
    datasets: Mapping[str, Dataset],
    problems: list[CatalogProblem],
) -> None:
    """Registry materials must name a real dataset field; subjects must be form fields."""
    for dataset in datasets.values():
        if dataset.owner_department_kind not in kinds:
            problems.append(
                CatalogProblem(
                    "registries.yaml",
                    dataset.code,
                    "owner",
                    f"未知部门 / unknown department kind {dataset.owner_department_kind}",
                )
            )
    form_fields: dict[str, set[str]] = {}
    for bundle in bundles.values():
        for item_code in bundle.item_codes():
            form_fields.setdefault(item_code, set()).update(f.name for f in bundle.form)
    for item in items.values():
        form_fields.setdefault(item.code, set()).update(f.name for f in item.form)
        for material in item.materials:
            where = f"materials.{material.code}"
            if material.registry_field:
                dataset_code, _, field_code = material.registry_field.partition(".")
                named = datasets.get(dataset_code)
                if named is None or field_code not in {f.code for f in named.fields}:
                    problems.append(
                        CatalogProblem(
                            item.source_file,
                            item.code,
                            f"{where}.registry_field",
                            f"未知共享数据项 / unknown registry field {material.registry_field}",
                        )
                    )
            if material.subject != "applicant":
                prefix, _, field_name = material.subject.partition(":")
                if prefix != "form" or field_name not in form_fields[item.code]:
                    problems.append(
                        CatalogProblem(
                            item.source_file,
                            item.code,
                            f"{where}.subject",
                            f"主体须为 applicant 或 form:<表单字段> / subject must be applicant or form:<field>, got {material.subject}",
                        )
                    )


_IDENTITY_DATA = frozenset(
    {"regions.yaml", "reference/business_scope.yaml", "reference/prohibited_name_words.yaml"}
)


def parse_catalog(files: Mapping[str, str]) -> CatalogSpec:
    """Parse and validate a whole catalog; raise `CatalogInvalid` listing every problem."""
    problems: list[CatalogProblem] = []
    parsed = _parse_text_files(files, problems)
    kinds: dict[str, DepartmentKindSpec] = {}
    items: dict[str, ItemSpec] = {}
    bundles: dict[str, BundleSpec] = {}
    datasets: dict[str, Dataset] = {}
    implementation: dict[str, ImplementationList] = {}
    links: tuple[frozenset[str], ...] = ()
    negative_list: dict[str, NegativeListEntry] = {}
    regions: RegionTree | None = None
    scope: BusinessScope | None = None
    words: ProhibitedWords | None = None
    for name, data in parsed.items():
        if name == "departments.yaml":
            kinds.update(_department_kinds(name, data, problems))
        elif name == "registries.yaml":
            datasets.update(_datasets(name, data, problems))
        elif name == "reference/negative_list.yaml":
            top = _Reader(data, name, "", "", problems)
            for index, raw in top.items("entries"):
                entry = top.sub(f"entries[{index}]", raw)
                code = entry.string("code")
                kind = entry.string("kind")
                if kind not in ("restricted", "prohibited"):
                    entry.problem("kind", "须为 restricted 或 prohibited / must be restricted or prohibited")
                negative_list[code] = NegativeListEntry(code, kind, entry.string("measure"))
        elif name == "implementation/links.yaml":
            top = _Reader(data, name, "", "", problems)
            links = tuple(
                frozenset(top.sub(f"links[{i}]", raw).strings("items"))
                for i, raw in top.items("links")
            )
        elif name.startswith("implementation/"):
            listed = _implementation(name, data, problems)
            if listed.region_code in implementation:
                problems.append(
                    CatalogProblem(
                        name,
                        "",
                        "region",
                        f"该区划已有清单 / region {listed.region_code} listed twice",
                    )
                )
            implementation[listed.region_code] = listed
        elif name.startswith("items/"):
            top = _Reader(data, name, "", "", problems)
            for index, raw in top.items("items"):
                code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
                reader = top.sub(f"items[{index}]", raw, entry=code)
                reader.path = ""
                if not code:
                    reader.problem("code", "缺少事项编码 / item code missing")
                if code in items:
                    reader.problem(
                        "code",
                        f"事项编码重复 / duplicate item code (also in {items[code].source_file})",
                    )
                items[code] = _item(reader)
        elif name.startswith("bundles/"):
            raw = data.get("bundle") if isinstance(data, dict) else None
            code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
            reader = _Reader(raw, name, code, "", problems)
            if not code:
                reader.problem("code", "缺少一件事编码 / bundle code missing")
            if code in bundles:
                reader.problem("code", "一件事编码重复 / duplicate bundle code")
            bundles[code] = _bundle(reader)
        elif name in _IDENTITY_DATA:
            try:
                if name == "regions.yaml":
                    regions = build_regions(data, name)
                elif name == "reference/business_scope.yaml":
                    scope = build_business_scope(data, name)
                else:
                    words = build_prohibited_words(data, name)
            except IdentityDataError as error:
                problems.extend(CatalogProblem(name, "", "", text) for text in error.problems)
    if not kinds:
        problems.append(
            CatalogProblem("departments.yaml", "", "", "缺少部门定义 / no department kinds")
        )
    for required_file, value in (
        ("regions.yaml", regions),
        ("reference/business_scope.yaml", scope),
        ("reference/prohibited_name_words.yaml", words),
    ):
        if value is None and not any(p.file == required_file for p in problems):
            problems.append(CatalogProblem(required_file, "", "", "缺少文件 / file missing"))
    _cross_check(kinds, items, bundles, frozenset({"business_scope", "regions"}), problems)
    _check_registry_fields(kinds, items, bundles, datasets, problems)
    _check_holders(items, bundles, problems)
    _check_implementation(implementation, links, items, regions, problems)
    if problems or regions is None or scope is None or words is None:
        raise CatalogInvalid(problems)
    return CatalogSpec(
        version=catalog_version(files),
        department_kinds=MappingProxyType(kinds),
        items=MappingProxyType(items),
        bundles=MappingProxyType(bundles),
        regions=regions,
        business_scope=scope,
        prohibited_words=words,
        datasets=MappingProxyType(datasets),
        implementation=MappingProxyType(implementation),
        linked_items=links,
        negative_list=MappingProxyType(negative_list),
    )


def load_catalog_dir(root: Path) -> CatalogSpec:
    return parse_catalog(read_catalog_files(root))
