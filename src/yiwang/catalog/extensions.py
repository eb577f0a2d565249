"""Extension points: every name the catalog may use that code must provide.

The catalog is data, but some of its names only mean something when code answers to them:
a named form check, a licence kind, a registry dataset, a fact about the applicant. Each such
name is registered here explicitly by `bootstrap` (nothing registers itself on import), and
`check_extensions` refuses a catalog that uses a name nothing registers, naming the file, the
entry and the field. A catalog that passes cannot then fail at run time for want of code.

Code may also name catalog entries (the items bank clerks file, the bundle the construction
board follows): those are registered too, and the check refuses a catalog that lacks them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from yiwang.catalog.errors import CatalogProblem
from yiwang.catalog.models import CatalogSpec, Condition, FormFieldSpec, ItemSpec


class ExtensionPoint(StrEnum):
    """Where code and catalog meet. The value is how `catalog check` names the point."""

    CHECK = "check"  # named form checks: items' and bundles' `checks`
    LICENCE_KIND = "licence kind"  # outputs with `licence: true`; the `licences` dataset's fields
    LICENCE_FIELDS = "licence fields"  # printed fields of a licence kind (default: the form)
    OUTPUT_NUMBERING = "output numbering"  # the prefix of an output kind's numbers
    DATASET = "registry dataset"  # datasets the platform can read (registries.yaml)
    FACT = "fact"  # what the platform knows about the applicant: `applicant.*` in conditions
    PREFILL = "prefill source"  # where a form field's pre-fill comes from
    GREEN_CHANNEL = "green channel"  # the fact that puts a case in the green channel
    BANK_ITEM = "bank item"  # items a bank clerk may file (catalog entries code names)
    BOARD = "board"  # bundles a supervisor's board follows (catalog entries code names)
    CREDIT_CLASS = "credit class"  # credit classes rules, plans and conditions may name


# Points whose names are catalog entries that code relies on, rather than code that the
# catalog relies on.
_ENTRIES_CODE_NAMES = frozenset({ExtensionPoint.BANK_ITEM, ExtensionPoint.BOARD})


class ExtensionConflict(ValueError):
    """Two registrations of one name at one point: a wiring mistake, found at start-up."""


class Extensions:
    """What bootstrap registered, by point and name (with the code that answers to it)."""

    def __init__(self) -> None:
        self._points: dict[ExtensionPoint, dict[str, Any]] = {point: {} for point in ExtensionPoint}

    def register(self, point: ExtensionPoint, name: str, provider: Any = None) -> None:
        registered = self._points[point]
        if name in registered and registered[name] is not provider:
            raise ExtensionConflict(f"{point.value} {name!r} is registered twice")
        registered[name] = provider

    def register_all(self, point: ExtensionPoint, providers: dict[str, Any]) -> None:
        for name, provider in providers.items():
            self.register(point, name, provider)

    def names(self, point: ExtensionPoint) -> frozenset[str]:
        return frozenset(self._points[point])

    def provider(self, point: ExtensionPoint, name: str) -> Any:
        """The registered provider; `KeyError` for a name `check_extensions` would refuse."""
        return self._points[point][name]

    def __contains__(self, key: tuple[ExtensionPoint, str]) -> bool:
        point, name = key
        return name in self._points[point]


def _unregistered(point: ExtensionPoint, name: str, registered: frozenset[str]) -> str:
    known = ", ".join(sorted(registered)) or "none"
    return (
        f"没有代码提供此名称 / no code registers the {point.value} {name!r} (registered: {known})"
    )


class _Checker:
    def __init__(self, catalog: CatalogSpec, extensions: Extensions) -> None:
        self.catalog = catalog
        self.extensions = extensions
        self.problems: list[CatalogProblem] = []

    def need(self, point: ExtensionPoint, name: str, file: str, entry: str, field: str) -> None:
        if (point, name) not in self.extensions:
            registered = self.extensions.names(point)
            self.problems.append(
                CatalogProblem(file, entry, field, _unregistered(point, name, registered))
            )

    def conditions(
        self, conditions: tuple[Condition, ...], file: str, entry: str, field: str
    ) -> None:
        for index, condition in enumerate(conditions):
            if not condition.form_field.startswith("applicant."):
                continue
            where = f"{field}[{index}]"
            self.need(ExtensionPoint.FACT, condition.form_field, file, entry, f"{where}.field")
            if condition.form_field == CREDIT_CLASS_FACT:
                for value in condition.values:
                    self.need(ExtensionPoint.CREDIT_CLASS, value, file, entry, where)

    def form(self, fields: tuple[FormFieldSpec, ...], file: str, entry: str) -> None:
        for form_field in fields:
            if form_field.prefill:
                self.need(
                    ExtensionPoint.PREFILL,
                    form_field.prefill,
                    file,
                    entry,
                    f"form.{form_field.name}.prefill",
                )

    def item(self, item: ItemSpec) -> None:
        file, code = item.source_file, item.code
        for name in item.checks:
            self.need(ExtensionPoint.CHECK, name, file, code, "checks")
        self.form(item.form, file, code)
        if item.output is not None and item.output.is_licence:
            self.need(ExtensionPoint.LICENCE_KIND, item.output.kind, file, code, "output.kind")
        for index, rule in enumerate(item.auto_rules):
            self.conditions(rule.conditions, file, code, f"auto_rules[{index}].when")
        for index, variant in enumerate(item.limit_variants):
            self.conditions(variant.when, file, code, f"limit_variants[{index}].when")
        for material in item.materials:
            if material.registry_field:
                self.dataset_field(material.registry_field, file, code, material.code)

    def dataset_field(self, reference: str, file: str, entry: str, material: str) -> None:
        dataset, _, field_code = reference.partition(".")
        where = f"materials.{material}.registry_field"
        self.need(ExtensionPoint.DATASET, dataset, file, entry, where)
        if dataset == LICENCE_DATASET:
            # The licence library answers by kind: the field is a licence kind.
            self.need(ExtensionPoint.LICENCE_KIND, field_code, file, entry, where)

    def numbering(self) -> None:
        """Two output kinds must never print numbers with the same prefix: numbers of the
        same city and year would collide."""
        prefixes: dict[str, str] = {}
        for item in self.catalog.items.values():
            if item.output is None:
                continue
            kind = item.output.kind
            prefix = output_prefix(self.extensions, kind)
            owner = prefixes.setdefault(prefix, kind)
            if owner != kind:
                self.problems.append(
                    CatalogProblem(
                        item.source_file,
                        item.code,
                        "output.kind",
                        f"编号前缀 {prefix} 与 {owner} 相同 / output kind {kind!r} would number "
                        f"with the prefix {prefix}, as {owner!r} does: register a distinct "
                        f"{ExtensionPoint.OUTPUT_NUMBERING.value}",
                    )
                )

    def run(self) -> list[CatalogProblem]:
        catalog = self.catalog
        for item in catalog.items.values():
            self.item(item)
        for bundle in catalog.bundles.values():
            file, code = bundle.source_file, bundle.code
            for name in bundle.checks:
                self.need(ExtensionPoint.CHECK, name, file, code, "checks")
            self.form(bundle.form, file, code)
            for stage in bundle.stages:
                for stage_item in stage.items:
                    where = f"stages.{stage.code}.items.{stage_item.item_code}.when"
                    self.conditions(stage_item.when, file, code, where)
            for early in bundle.early_intervention:
                where = f"early_intervention.{early.item_code}.when"
                self.conditions(early.when, file, code, where)
        for dataset in catalog.datasets.values():
            self.need(ExtensionPoint.DATASET, dataset.code, "registries.yaml", dataset.code, "code")
        self.numbering()
        self.credit()
        self.code_names_entries()
        return self.problems

    def credit(self) -> None:
        rules = self.catalog.credit_rules
        if rules is not None:
            file = "credit/rules.yaml"
            for index, rule in enumerate(rules.rules):
                self.need(
                    ExtensionPoint.CREDIT_CLASS,
                    rule.credit_class.value,
                    file,
                    rule.rule_id,
                    f"rules[{index}].class",
                )
            self.need(
                ExtensionPoint.CREDIT_CLASS, rules.default_class.value, file, "", "default.class"
            )
        for plan_id, plan in self.catalog.inspection_plans.items():
            for credit_class, _rate in plan.rates:
                self.need(
                    ExtensionPoint.CREDIT_CLASS,
                    credit_class.value,
                    f"inspections/ ({plan_id})",
                    plan_id,
                    "sampling_rates",
                )

    def code_names_entries(self) -> None:
        """Entries code relies on must exist in the catalog."""
        for point in _ENTRIES_CODE_NAMES:
            for name in sorted(self.extensions.names(point)):
                if name not in self.catalog.items and name not in self.catalog.bundles:
                    self.problems.append(
                        CatalogProblem(
                            "",
                            name,
                            "",
                            f"代码引用的事项不在目录中 / the {point.value} {name!r} that code "
                            "relies on is not in the catalog",
                        )
                    )
        for name in sorted(self.extensions.names(ExtensionPoint.GREEN_CHANNEL)):
            self.need(ExtensionPoint.FACT, name, "", "", ExtensionPoint.GREEN_CHANNEL.value)


CREDIT_CLASS_FACT = "applicant.credit_class"
LICENCE_DATASET = "licences"


def output_prefix(extensions: Extensions, kind: str) -> str:
    """The prefix numbers of an output kind carry: the registered one, else the first two
    letters of the kind."""
    if (ExtensionPoint.OUTPUT_NUMBERING, kind) in extensions:
        return str(extensions.provider(ExtensionPoint.OUTPUT_NUMBERING, kind))
    return kind[:2].upper()


def check_extensions(catalog: CatalogSpec, extensions: Extensions) -> list[CatalogProblem]:
    """Every name the catalog uses that nothing registers, located by file, entry, field."""
    return _Checker(catalog, extensions).run()
