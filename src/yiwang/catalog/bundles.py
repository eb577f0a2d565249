"""Bundles (一件事): ``catalog/bundles/*.yaml``: stages, merged form, flow variants.

Changes when the bundle schema changes.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from yiwang.calendar import TimeLimit
from yiwang.catalog.forms import conditions, form_fields
from yiwang.catalog.models import (
    BundleSpec,
    FlowVariant,
    FlowVariants,
    HandlingMode,
    StageItemSpec,
    StageSpec,
)
from yiwang.catalog.reader import Reader


def stage_item(reader: Reader, key: str, raw: Any) -> StageItemSpec:
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
        when=conditions(item_reader, "when", []),
        needs=item_reader.strings("needs", []),
    )


def parse_bundle(reader: Reader) -> BundleSpec:
    form = form_fields(reader, "form")
    stages: list[StageSpec] = []
    for index, raw in reader.items("stages"):
        sub = reader.sub(f"stages[{index}]", raw)
        stage_items: list[StageItemSpec] = []
        for i_index, i_raw in sub.items("items"):
            stage_items.append(stage_item(sub, f"items[{i_index}]", i_raw))
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
        stage_item(reader, f"early_intervention[{index}]", raw)
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


def _submission_window(reader: Reader) -> tuple[int, int] | None:
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
