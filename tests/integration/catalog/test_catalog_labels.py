"""Every user-facing text of the shipped catalog is whole, in both languages: a flow-style
``{zh: …, en: Registered capital (10,000 yuan)}`` is split by YAML at the comma into a cut
label and a stray key, which the loader never sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from yiwang.catalog.loader import load_catalog_dir

CATALOG = Path(__file__).resolve().parents[3] / "catalog"


def _texts(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "zh" in node and "en" in node:
            found.append((where, node))
        for key, value in node.items():
            found += _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _texts(value, f"{where}[{index}]")
    return found


def test_no_bilingual_text_was_split_at_a_comma() -> None:
    split = []
    for path in sorted(CATALOG.rglob("*.yaml")):
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name):
            if set(text) != {"zh", "en"} or not all(isinstance(v, str) and v.strip() for v in text.values()):
                split.append(f"{where}: {text}")
    assert split == []


def test_every_form_field_of_an_item_or_bundle_has_both_labels() -> None:
    catalog = load_catalog_dir(CATALOG)
    forms = [(code, item.form) for code, item in catalog.items.items()]
    forms += [(code, bundle.form) for code, bundle in catalog.bundles.items()]
    missing = [f"{code}.{spec.name}" for code, form in forms for spec in form if not (spec.label.zh and spec.label.en)]
    assert missing == []
    assert catalog.bundles["bundle.enterprise_startup"].field("registered_capital").label.en == "Registered capital (10,000 yuan)"


def test_every_item_filed_alone_asks_what_its_guide_needs() -> None:
    """An item applied for alone (not only inside a bundle) has a form, unless it needs
    nothing but the applicant's identity (then the registries supply everything)."""
    catalog = load_catalog_dir(CATALOG)
    in_bundles = {code for bundle in catalog.bundles.values() for code in bundle.item_codes()}
    formless = [
        code
        for code, item in catalog.items.items()
        if code not in in_bundles and not item.form and any(m.asked_of_applicant for m in item.materials)
    ]
    assert formless == []
