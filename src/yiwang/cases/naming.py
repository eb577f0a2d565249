"""Names, not codes: what a person reads where the data holds a code (issue 10, item 5).

Every page and API label that would otherwise show ``market_regulation@370100``,
``370104``, ``I001``, ``icbc``, ``premises_proof``, ``registration`` or
``reviewer:market_regulation@370100`` asks :class:`Names` instead. Each answer is a
(zh, en) pair; a code the catalog does not know is returned as it is (a page must never fail
on an old case), which the readable-pages test catches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pypinyin import lazy_pinyin

from yiwang.catalog.models import CatalogSpec, FieldType

Pair = tuple[str, str]

# Actor prefixes the engine and the use cases write into events (see Account.actor).
_ROLE_WORDS: Mapping[str, Pair] = {
    "reviewer": ("审核人员", "reviewer"),
    "lead_reviewer": ("牵头审核人员", "lead reviewer"),
    "lead": ("牵头审核人员", "lead reviewer"),
    "clerk": ("窗口人员", "window clerk"),
    "bank_clerk": ("银行网点人员", "bank clerk"),
    "supervisor": ("督查人员", "supervisor"),
    "admin": ("管理员", "administrator"),
    "applicant": ("申请人", "applicant"),
    "system": ("系统自动", "automatic"),
    # The registry reads of a sign-up attempt (yiwang.accounts.signup.SIGNUP_READER): whoever
    # filled in the form, not signed in, possibly not the person.
    "signup": ("注册申请（未登录）", "a sign-up attempt (not signed in)"),
}


def region_english(name: str) -> str:
    """A region's name in pinyin, its level in English: 济南市 -> "Jinan City"."""
    for suffix, word in (("自治县", " Autonomous County"), ("市", " City"), ("区", " District"), ("县", " County"), ("省", " Province")):
        if name.endswith(suffix) and len(name) > len(suffix):
            return "".join(lazy_pinyin(name[: -len(suffix)])).capitalize() + word
    return "".join(lazy_pinyin(name)).capitalize()


@dataclass(frozen=True)
class Names:
    catalog: CatalogSpec

    def region(self, code: str) -> Pair:
        """A region, or a region prefix (``3701`` = the city of Jinan, ``37`` = the province)."""
        code = (code or "").strip()
        full = code.ljust(6, "0") if code.isdigit() and len(code) < 6 else code
        region = self.catalog.regions.find(full)
        if region is None:
            return code, code
        english = region_english(region.name)
        parent = region.parent
        if parent is not None and parent.parent is not None:  # a county: say which city
            english = f"{english}, {region_english(parent.name)}"
        province = region.lineage[0].name if region.parent is not None else ""
        return region.full_name.removeprefix(province) or region.name, english

    def department(self, code: str) -> Pair:
        """``market_regulation@370100`` -> 济南市市场监督管理局 / Market Regulation
        Administration, Jinan City. A bare kind code names the kind."""
        kind_code, _, region_code = (code or "").partition("@")
        kind = self.catalog.department_kinds.get(kind_code)
        if kind is None:
            if region_code:
                # A bank branch or another service point: its place is what a person knows.
                zh, en = self.region(region_code)
                return f"{zh}网点", f"service point, {en}"
            return code, code
        if not region_code:
            return kind.name.zh, kind.name.en
        zh, en = self.region(region_code)
        return f"{zh}{kind.name.zh}", f"{kind.name.en}, {en}"

    def actor(self, actor: str, role: Pair | None = None, department_code: str | None = None) -> Pair:
        """Who acted, by department and role (``role`` and ``department_code`` of the
        acting account when it is staff): 济南市市场监督管理局 · 审核人员. The system and
        applicants are named as such; a user name is never shown."""
        if actor in _ROLE_WORDS:
            return _ROLE_WORDS[actor]
        if role is None and "@" in actor:  # a department acting as such (registry reads)
            return self.department(actor)
        if role is None:
            return _ROLE_WORDS["applicant"]
        if department_code:
            zh, en = self.department(department_code)
            return f"{zh} · {role[0]}", f"{en} ({role[1]})"
        return role

    def material(self, code: str) -> Pair:
        for item in self.catalog.items.values():
            for material in item.materials:
                if material.code == code:
                    return material.name.zh, material.name.en
        dataset, _, field = code.partition(".")
        known = self.catalog.datasets.get(dataset)
        if known is not None:
            if field:
                for entry in known.fields:
                    if entry.code == field:
                        return f"{known.name_zh} · {entry.name_zh}", f"{known.name_en}: {entry.name_en}"
            return known.name_zh, known.name_en
        return code, code

    def dataset(self, code: str) -> Pair:
        return self.material(code)

    def scope(self, codes: Sequence[str] | str) -> Pair:
        """Business-scope entries by name (the catalog's list is Chinese only)."""
        listed = [codes] if isinstance(codes, str) else list(codes)
        names = []
        for code in listed:
            entry = self.catalog.business_scope.get(code)
            names.append(entry.name if entry is not None else code)
        return "、".join(names), "; ".join(names)

    def stage(self, code: str, subject_code: str | None = None) -> Pair:
        """A stage by its code, looked up in ``subject_code``'s bundle first."""
        if subject_code is not None and subject_code in self.catalog.items and code == "main":
            return self.item(subject_code)  # a single item's one stage
        bundles = list(self.catalog.bundles.values())
        if subject_code is not None and subject_code in self.catalog.bundles:
            bundles.insert(0, self.catalog.bundles[subject_code])
        for bundle in bundles:
            for stage in bundle.stages:
                if stage.code == code:
                    return stage.name.zh, stage.name.en
        return code, code

    def item(self, code: str) -> Pair:
        item = self.catalog.items.get(code)
        if item is None:
            bundle = self.catalog.bundles.get(code)
            return (bundle.name.zh, bundle.name.en) if bundle is not None else (code, code)
        return item.name.zh, item.name.en

    def form_value(self, subject_code: str, field_name: str, value: Any) -> Pair:
        """A form value as the applicant chose it: choice labels, business scope by name,
        regions by name; other values as typed."""
        try:
            fields = {f.name: f for f in self.catalog.as_bundle(subject_code).form}
        except Exception:
            fields = {}
        spec = fields.get(field_name)
        values = value if isinstance(value, list | tuple) else [value]
        if spec is not None and spec.choices_from == "business_scope":
            return self.scope([str(v) for v in values])
        if spec is not None and spec.choices:
            labels = dict(spec.choices)
            zh = [labels[str(v)].zh if str(v) in labels else str(v) for v in values]
            en = [labels[str(v)].en if str(v) in labels else str(v) for v in values]
            return "、".join(zh), "; ".join(en)
        if (spec is not None and spec.type is FieldType.REGION) or field_name.endswith("region_code"):
            pairs = [self.region(str(v)) for v in values]
            return "、".join(p[0] for p in pairs), "; ".join(p[1] for p in pairs)
        if isinstance(value, bool):
            return ("是", "yes") if value else ("否", "no")
        text = "、".join(str(v) for v in values)
        return text, text.replace("、", "; ")


__all__ = ["Names", "region_english"]
