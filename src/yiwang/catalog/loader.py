"""Catalog YAML in, validated immutable specs out: the whole catalog folder, checked whole.

Which file holds what is decided here; how each kind of entry is read lives beside it
(`items`, `bundles`, `organisation`, `attached`), how YAML is read in `reader`, and the checks
across files in `validation`. Every problem is collected with its file, entry and field and
reported all at once (`CatalogInvalid`): a reviewer of a catalog change wants the whole list,
not the first error.

The names the catalog uses that code must provide (checks, licence kinds, datasets …) are
checked against the registry built in bootstrap by `extensions.check_extensions`, not here:
parsing stays free of what happens to be installed.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from yiwang.catalog import attached
from yiwang.catalog.bundles import parse_bundle
from yiwang.catalog.errors import CatalogInvalid, CatalogProblem
from yiwang.catalog.items import parse_item
from yiwang.catalog.models import (
    BundleSpec,
    CatalogSpec,
    DepartmentKindSpec,
    ImplementationList,
    ItemSpec,
    NegativeListEntry,
)
from yiwang.catalog.organisation import (
    check_implementation,
    datasets,
    department_kinds,
    implementation_list,
    negative_list_entries,
)
from yiwang.catalog.reader import (
    Reader,
    catalog_version,
    parse_yaml_files,
    read_catalog_files,
)
from yiwang.catalog.validation import (
    check_holders,
    check_materials_supplied,
    check_references,
    check_registry_fields,
)
from yiwang.credit.rules import CreditRules
from yiwang.identity.errors import IdentityDataError
from yiwang.identity.names import ProhibitedWords, build_prohibited_words
from yiwang.identity.regions import RegionTree, build_regions
from yiwang.identity.scope import BusinessScope, build_business_scope
from yiwang.inspections.models import InspectionPlan
from yiwang.metrics.catalog_report import Targets
from yiwang.registries.models import Dataset

__all__ = [
    "catalog_version",
    "load_catalog_dir",
    "parse_catalog",
    "parse_documents",
    "read_catalog_files",
]

_IDENTITY_DATA = frozenset(
    {"regions.yaml", "reference/business_scope.yaml", "reference/prohibited_name_words.yaml"}
)


class _Parsed:
    """What the files hold, gathered before the checks across files."""

    def __init__(self) -> None:
        self.kinds: dict[str, DepartmentKindSpec] = {}
        self.items: dict[str, ItemSpec] = {}
        self.bundles: dict[str, BundleSpec] = {}
        self.datasets: dict[str, Dataset] = {}
        self.implementation: dict[str, ImplementationList] = {}
        self.links: tuple[frozenset[str], ...] = ()
        self.negative_list: dict[str, NegativeListEntry] = {}
        self.regions: RegionTree | None = None
        self.scope: BusinessScope | None = None
        self.words: ProhibitedWords | None = None
        self.credit_rules: CreditRules | None = None
        self.plans: dict[str, InspectionPlan] = {}
        self.targets: Targets | None = None


def _read_file(name: str, data: Any, into: _Parsed, problems: list[CatalogProblem]) -> None:
    if name == "departments.yaml":
        into.kinds.update(department_kinds(name, data, problems))
    elif name == "registries.yaml":
        into.datasets.update(datasets(name, data, problems))
    elif name == "reference/negative_list.yaml":
        into.negative_list.update(negative_list_entries(name, data, problems))
    elif name == "implementation/links.yaml":
        top = Reader(data, name, "", "", problems)
        into.links = tuple(
            frozenset(top.sub(f"links[{i}]", raw).strings("items")) for i, raw in top.items("links")
        )
    elif name.startswith("implementation/"):
        listed = implementation_list(name, data, problems)
        if listed.region_code in into.implementation:
            problems.append(
                CatalogProblem(
                    name, "", "region", f"该区划已有清单 / region {listed.region_code} listed twice"
                )
            )
        into.implementation[listed.region_code] = listed
    elif name.startswith("items/"):
        top = Reader(data, name, "", "", problems)
        for index, raw in top.items("items"):
            code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
            reader = top.sub(f"items[{index}]", raw, entry=code)
            reader.path = ""
            if not code:
                reader.problem("code", "缺少事项编码 / item code missing")
            if code in into.items:
                reader.problem(
                    "code",
                    f"事项编码重复 / duplicate item code (also in {into.items[code].source_file})",
                )
            into.items[code] = parse_item(reader)
    elif name.startswith("bundles/"):
        raw = data.get("bundle") if isinstance(data, dict) else None
        code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
        reader = Reader(raw, name, code, "", problems)
        if not code:
            reader.problem("code", "缺少一件事编码 / bundle code missing")
        if code in into.bundles:
            reader.problem("code", "一件事编码重复 / duplicate bundle code")
        into.bundles[code] = parse_bundle(reader)
    elif name == attached.CREDIT_RULES_FILE:
        with _authoring(problems) as found:
            into.credit_rules = attached.credit_rules(data, found)
    elif name == attached.TARGETS_FILE:
        with _authoring(problems) as found:
            into.targets = attached.targets(data, found)
    elif name.startswith(attached.PLANS_FOLDER):
        with _authoring(problems) as found:
            plan = attached.inspection_plan(name, data, found)
        if plan is not None:
            into.plans[name] = plan
    elif name in _IDENTITY_DATA:
        try:
            if name == "regions.yaml":
                into.regions = build_regions(data, name)
            elif name == "reference/business_scope.yaml":
                into.scope = build_business_scope(data, name)
            else:
                into.words = build_prohibited_words(data, name)
        except IdentityDataError as error:
            problems.extend(_identity_problem(name, text) for text in error.problems)
    else:
        # A file nothing reads is a file someone expects to matter: say so.
        problems.append(
            CatalogProblem(
                name, "", "", "目录不认识此文件 / no part of the catalog reads this file", True
            )
        )


# The identity parsers report "cities[0] (370100 济南市).counties[0] (379999 历下区): message":
# the field is the path without the parentheses, the entry the last code named in them.
_IDENTITY_PROBLEM = re.compile(r"^(?P<where>(?:[\w.\[\]]+(?: \([^()]*\))?)+): (?P<message>.+)$", re.S)
_NAMED = re.compile(r" \((?P<code>[^ ()]+)[^()]*\)")


def _identity_problem(name: str, text: str) -> CatalogProblem:
    match = _IDENTITY_PROBLEM.match(text)
    if match is None:
        return CatalogProblem(name, "", "", text)
    named = _NAMED.findall(match["where"])
    field = _NAMED.sub("", match["where"])
    return CatalogProblem(name, named[-1] if named else "", field, match["message"])


# Parsed versions by content digest: a version is immutable, so the same files always give
# the same spec. Bounded, because a long-running process may see a few versions.
_CACHE: OrderedDict[tuple[str, bool], CatalogSpec] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def parse_catalog(files: Mapping[str, str], *, stored: bool = False) -> CatalogSpec:
    """Parse and validate a whole catalog; raise `CatalogInvalid` listing every problem.

    ``stored``: the files of a version already published (running cases are pinned to it);
    problems that only newer checks find (`CatalogProblem.authoring`) do not refuse it.
    """
    version = catalog_version(files)
    key = (version, stored)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    problems: list[CatalogProblem] = []
    spec = _build(parse_yaml_files(files, problems), version, problems, stored=stored)
    with _CACHE_LOCK:
        _CACHE[key] = spec
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return spec


def parse_documents(
    documents: Mapping[str, Any], version: str, *, stored: bool = False
) -> CatalogSpec:
    """Validate already-read YAML documents (by file name) as a whole catalog. For callers
    that hold the data rather than the text; nothing is cached."""
    return _build(documents, version, [], stored=stored)


@contextmanager
def _authoring(problems: list[CatalogProblem]) -> Iterator[list[CatalogProblem]]:
    """Collects the problems of a check newer than the first stored catalogs, marked so."""
    found: list[CatalogProblem] = []
    yield found
    problems.extend(replace(problem, authoring=True) for problem in found)


def _build(
    documents: Mapping[str, Any],
    version: str,
    problems: list[CatalogProblem],
    *,
    stored: bool,
) -> CatalogSpec:
    found = _Parsed()
    for name in sorted(documents):
        _read_file(name, documents[name], found, problems)
    if not found.kinds:
        problems.append(
            CatalogProblem("departments.yaml", "", "", "缺少部门定义 / no department kinds")
        )
    for required_file, value in (
        ("regions.yaml", found.regions),
        ("reference/business_scope.yaml", found.scope),
        ("reference/prohibited_name_words.yaml", found.words),
    ):
        if value is None and not any(p.file == required_file for p in problems):
            problems.append(CatalogProblem(required_file, "", "", "缺少文件 / file missing"))
    check_references(
        found.kinds, found.items, found.bundles, frozenset({"business_scope", "regions"}), problems
    )
    check_registry_fields(found.kinds, found.items, found.bundles, found.datasets, problems)
    check_holders(found.items, found.bundles, problems)
    with _authoring(problems) as new_checks:
        check_materials_supplied(found.items, found.bundles, new_checks)
    check_implementation(found.implementation, found.links, found.items, found.regions, problems)
    with _authoring(problems) as new_checks:
        plans = attached.plans_by_id(found.plans, new_checks)
    if stored:
        problems = [problem for problem in problems if not problem.authoring]
    if problems or found.regions is None or found.scope is None or found.words is None:
        raise CatalogInvalid(problems)
    return CatalogSpec(
        version=version,
        department_kinds=MappingProxyType(found.kinds),
        items=MappingProxyType(found.items),
        bundles=MappingProxyType(found.bundles),
        regions=found.regions,
        business_scope=found.scope,
        prohibited_words=found.words,
        datasets=MappingProxyType(found.datasets),
        implementation=MappingProxyType(found.implementation),
        linked_items=found.links,
        negative_list=MappingProxyType(found.negative_list),
        credit_rules=found.credit_rules,
        inspection_plans=plans,
        targets=found.targets,
    )


def load_catalog_dir(root: Path) -> CatalogSpec:
    return parse_catalog(read_catalog_files(root))
