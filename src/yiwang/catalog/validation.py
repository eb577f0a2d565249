"""Checks across files: every reference resolves, limits add up, registry materials name
real dataset fields.

Changes when a new rule about how catalog entries fit together is added.
"""

from __future__ import annotations

from collections.abc import Mapping

from yiwang.calendar import LimitKind, OfficeHours
from yiwang.catalog.errors import CatalogProblem
from yiwang.catalog.models import (
    BundleSpec,
    DepartmentKindSpec,
    ItemSpec,
    MaterialSource,
    MaterialSpec,
    StageSpec,
)
from yiwang.registries.models import Dataset

# Limits are compared in nominal working seconds of the default office day.
_OFFICE = OfficeHours.default()


def check_references(
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


def _needs_cycle(stage: StageSpec) -> bool:
    """Whether the ``needs`` of a stage's items loop back on themselves."""
    needs = {si.item_code: set(si.needs) for si in stage.items}
    done: set[str] = set()
    while True:
        ready = {code for code, wanted in needs.items() if code not in done and wanted <= done | (wanted - needs.keys())}
        if not ready:
            return len(done) < len(needs)
        done |= ready


def check_holders(
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


def check_registry_fields(
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


def _supplied_by(material: MaterialSpec, form_names: set[str], earlier: set[str]) -> bool:
    """Whether a required material has a way in: an upload (the applicant supplies it), a
    commitment, sharing from a registry about someone the form names, or the output of an
    item handled before it in the same case."""
    if not material.required or material.commitment_allowed:
        return True
    if material.source in (MaterialSource.APPLICANT, MaterialSource.COMMITMENT):
        return True
    if material.source is MaterialSource.REGISTRY:
        prefix, _, field_name = material.subject.partition(":")
        return material.subject == "applicant" or (prefix == "form" and field_name in form_names)
    return material.from_item in earlier


def check_materials_supplied(
    items: Mapping[str, ItemSpec],
    bundles: Mapping[str, BundleSpec],
    problems: list[CatalogProblem],
) -> None:
    """Inside each bundle, every required material of every item has a way in: a shared
    material names someone on the merged form, a prior output comes from an item of an
    earlier stage (or an earlier item of the same stage)."""
    for bundle in bundles.values():
        form_names = {f.name for f in bundle.form}
        earlier: set[str] = set()
        for stage in bundle.stages:
            for stage_item in stage.items:
                item = items.get(stage_item.item_code)
                if item is None:
                    continue  # reported as an unknown item
                for material in item.materials:
                    if not _supplied_by(material, form_names, earlier):
                        problems.append(
                            CatalogProblem(
                                bundle.source_file,
                                bundle.code,
                                f"stages.{stage.code}.items.{item.code}",
                                f"材料 {material.code} 无从提供 / required material "
                                f"{material.code} has no way in ({_way(material)})",
                            )
                        )
                earlier.add(item.code)


def _way(material: MaterialSpec) -> str:
    if material.source is MaterialSource.REGISTRY:
        return f"shared about {material.subject}, which the form does not name"
    return f"output of {material.from_item}, not handled before it"


def items_not_suppliable_alone(
    items: Mapping[str, ItemSpec], bundles: Mapping[str, BundleSpec]
) -> list[CatalogProblem]:
    """Items that an applicant filing them alone (not inside a bundle) could not supply a
    required material for: no form field names the person a shared material is about, or
    the material is the output of an item handled before it in a bundle.

    TODO(issue 10 item 2): reported as warnings, not failures, until every filed item has
    the form its service guide needs (the forms work) and items that only make sense inside
    a bundle are marked as such; then move these into the failing checks.
    """
    inside = {code for bundle in bundles.values() for code in bundle.item_codes()}
    warnings: list[CatalogProblem] = []
    for item in items.values():
        form_names = {f.name for f in item.form}
        for material in item.materials:
            if not _supplied_by(material, form_names, set()):
                where = " (only inside a bundle)" if item.code in inside else ""
                warnings.append(
                    CatalogProblem(
                        item.source_file,
                        item.code,
                        f"materials.{material.code}",
                        f"单独申办时无从提供 / no way in when filed alone{where}: "
                        f"{_way(material)}",
                    )
                )
    return warnings
