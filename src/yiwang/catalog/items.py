"""Service items (政务服务事项): ``catalog/items/*.yaml``.

Changes when the item schema changes (the six unified fields, outputs, automatic rules).
"""

from __future__ import annotations

from types import MappingProxyType

from yiwang.calendar import LimitKind, OfficeHours
from yiwang.calendar.models import promise_within
from yiwang.catalog.forms import conditions, form_fields
from yiwang.catalog.models import (
    DEFAULT_EXCLUDED_PERIOD_CAPS,
    EXCLUDED_PERIOD_KINDS,
    JOINT_EXTENSION_CAP,
    AutoDecisionRule,
    CommitmentSpec,
    FeeSpec,
    HandlingMode,
    ItemSpec,
    LimitVariant,
    MaterialSource,
    MaterialSpec,
    OutputSpec,
    StepSpec,
)
from yiwang.catalog.reader import Reader

# Limits are compared in nominal working seconds of the default office day.
_OFFICE = OfficeHours.default()
# Legal limits only a statute can set: the catalog must name the article.
_STATUTE_ONLY_KINDS = frozenset(
    {LimitKind.CALENDAR_DAYS, LimitKind.SAME_DAY, LimitKind.ON_RECEIPT}
)


def parse_item(reader: Reader) -> ItemSpec:
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
                copies=sub.integer("copies", 1, minimum=1),
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
        when = conditions(sub, "when")
        rules.append(
            AutoDecisionRule(
                rule_id=sub.string("id"),
                description=sub.text("description"),
                conditions=when,
            )
        )
    legal_limit = reader.limit("legal_limit")
    promised_limit = reader.limit("promised_limit")
    limit_variants = []
    for v_index, v_raw in reader.items("limit_variants", []):
        v_reader = reader.sub(f"limit_variants[{v_index}]", v_raw)
        limit_variants.append(
            LimitVariant(when=conditions(v_reader, "when"), limit=v_reader.limit("limit"))
        )
    legal_limit_variants = []
    for v_index, v_raw in reader.items("legal_limit_variants", []):
        v_reader = reader.sub(f"legal_limit_variants[{v_index}]", v_raw)
        legal_limit_variants.append(
            LimitVariant(
                when=conditions(v_reader, "when"),
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
    commitment = None
    commitment_raw = reader.raw("commitment", None)
    if commitment_raw is not None:
        sub = reader.sub("commitment", commitment_raw)
        commitment = CommitmentSpec(text=sub.text("text"), basis=sub.string("basis", ""))
    if any(m.commitment_allowed for m in materials) and commitment is None:
        reader.problem(
            "commitment",
            "允许告知承诺的事项须公布承诺书文本 / an item whose materials a commitment may "
            "replace must publish the commitment text",
            # Newer than the first published versions: cases pinned to one of those must load.
            authoring=True,
        )
    answer_limit = (
        reader.limit("supplement_answer_limit")
        if reader.raw("supplement_answer_limit", None) is not None
        else None
    )
    extension_cap = reader.raw("extension_cap", None)
    if extension_cap is not None and (
        not isinstance(extension_cap, int) or not 0 <= extension_cap <= JOINT_EXTENSION_CAP
    ):
        reader.problem(
            "extension_cap",
            f"延期上限应为0至{JOINT_EXTENSION_CAP}个工作日 / extension cap must be 0-"
            f"{JOINT_EXTENSION_CAP} working days",
        )
        extension_cap = None
    caps = dict(DEFAULT_EXCLUDED_PERIOD_CAPS)
    caps_raw = reader.raw("excluded_period_caps", None)
    if caps_raw is not None:
        if not isinstance(caps_raw, dict):
            reader.problem("excluded_period_caps", "应为映射 / expected a mapping")
        else:
            for kind, days in caps_raw.items():
                if kind not in EXCLUDED_PERIOD_KINDS or not isinstance(days, int) or days < 1:
                    reader.problem(
                        "excluded_period_caps",
                        f"未知种类或天数无效 / unknown kind or bad days: {kind}",
                    )
                else:
                    caps[kind] = days
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
        form=form_fields(reader, "form"),
        category=reader.string("category", ""),
        limit_variants=tuple(limit_variants),
        checks=reader.strings("checks", []),
        source_file=reader.file,
        legal_limit_basis=legal_limit_basis,
        legal_limit_variants=tuple(legal_limit_variants),
        commitment=commitment,
        supplement_answer_limit=answer_limit,
        extension_cap=extension_cap,
        excluded_period_caps=MappingProxyType(caps),
    )
