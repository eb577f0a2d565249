"""企业名称自主申报: the self-declaration check of an enterprise name.

A name is 行政区划 + 字号 + 行业 + 组织形式 (region + trade name + industry + organisation form),
e.g. 济南市历下区 + 泉源 + 科技 + 有限公司. The region may instead follow the trade name or the
industry in brackets (泉源科技（济南）有限公司). A branch is its company's name + a distinguishing
word + 分公司. ``check_company_name`` returns every problem at once so the applicant can fix
them in one go; it is a pure function of its arguments.

Rules (《企业名称登记管理规定》2020, 《企业名称登记管理规定实施办法》2023):

* standard Chinese characters only; the trade name has at least two of them;
* the region is the county-level-or-higher region where the enterprise is, or one above it;
  a city district (市辖区) is used only after its city's name;
* the industry follows the trade name; the organisation form matches the kind of entity
  (only companies may say 公司; sole proprietorships, partnerships and individual businesses
  may not say 有限 or 公司; partnerships say 普通合伙/有限合伙 in brackets);
* no prohibited words; restricted words only with approval or as an industry qualifier;
* at one registration authority, no identical name and no same trade name in the same industry.

The length maxima (``NAME_MAX_LENGTH``, ``TRADE_NAME_MAX_LENGTH``) are this platform's limits,
not the regulation's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import yaml

from yiwang.identity.errors import FieldProblem, IdentityDataError
from yiwang.identity.models import EntityType
from yiwang.identity.regions import Region, RegionLevel

__all__ = [
    "INDUSTRY_TERMS",
    "NAME_MAX_LENGTH",
    "SHOP_FORMS",
    "TRADE_NAME_MAX_LENGTH",
    "TRADE_NAME_MIN_LENGTH",
    "NameIndex",
    "NameParts",
    "ProhibitedWords",
    "WordRule",
    "build_prohibited_words",
    "check_company_name",
    "normalise_name",
    "parse_prohibited_words",
    "split_company_name",
]

NAME_MAX_LENGTH: Final = 50
TRADE_NAME_MIN_LENGTH: Final = 2
TRADE_NAME_MAX_LENGTH: Final = 10

#: Industry expressions (行业表述) the check recognises, after the trade name. Longer terms win
#: (信息科技 over 科技). Derived from the sections of GB/T 4754-2017 as used in names.
# fmt: off
INDUSTRY_TERMS: Final[tuple[str, ...]] = (
    "科技", "信息科技", "信息技术", "网络科技", "智能科技", "软件", "软件开发", "电子商务", "电子",
    "通信", "生物科技", "生物技术", "生物制品", "医药", "医药科技", "医疗器械", "药业", "制药",
    "化工", "化学", "新材料", "材料", "机械", "机械设备", "设备", "电梯", "锅炉", "压力容器",
    "建筑", "建筑工程", "建设工程", "装饰工程", "装饰", "工程", "劳务", "物流", "运输", "货运",
    "供应链", "仓储", "贸易", "商贸", "国际贸易", "进出口", "食品", "餐饮", "餐饮管理", "农业",
    "农业科技", "种植", "养殖", "文化", "文化传媒", "传媒", "广告", "影视", "教育咨询", "教育科技",
    "咨询", "企业管理", "管理咨询", "信息咨询", "人力资源", "物业管理", "房地产", "置业",
    "家政服务", "家政", "美容", "美发", "汽车服务", "汽车销售", "汽车维修", "服装", "服饰", "百货",
    "五金", "建材", "家具", "印刷", "环保", "环保科技", "能源", "新能源", "安全技术", "检测",
    "检测技术", "设计", "投资", "健康管理", "养老服务", "体育", "旅游", "电器", "照明", "水产",
    "茶业", "粮油", "蔬菜", "果业", "花卉", "宠物", "摄影", "珠宝", "便利", "日用品", "烟酒",
)
# fmt: on

#: Organisation forms of individual businesses and sole proprietorships (商号后缀).
# fmt: off
SHOP_FORMS: Final[tuple[str, ...]] = (
    "经营部", "服务部", "门市部", "工作室", "商行", "中心", "店", "馆", "部", "行", "厂", "坊",
    "社", "堂", "铺", "场", "站", "所",
)
# fmt: on

# Shop forms that say the industry themselves (泉源大药房, 泉源饭店): no separate industry term.
# fmt: off
_INDUSTRY_FORMS: Final[tuple[str, ...]] = (
    "大药房", "药房", "药店", "饭店", "餐馆", "酒店", "超市", "便利店", "书店", "花店", "理发店",
    "诊所",
)
# fmt: on
_COMPANY_FORMS: Final[dict[str, frozenset[EntityType]]] = {
    "股份有限公司": frozenset({EntityType.JOINT_STOCK}),
    "股份公司": frozenset({EntityType.JOINT_STOCK}),
    "有限责任公司": frozenset({EntityType.LLC_NATURAL_PERSON_SOLE, EntityType.LLC_NATURAL_PERSON}),
    "有限公司": frozenset({EntityType.LLC_NATURAL_PERSON_SOLE, EntityType.LLC_NATURAL_PERSON}),
}
_PARTNERSHIP_MARKERS: Final = ("(特殊普通合伙)", "(普通合伙)", "(有限合伙)")
_PARTNERSHIP_WORDS: Final = ("合伙企业", "事务所", "企业", "中心")
_SHOP_TYPES: Final = frozenset({EntityType.INDIVIDUAL_BUSINESS, EntityType.SOLE_PROPRIETORSHIP})
_BRANCH_FORM: Final = "分公司"

_TERMS_LONGEST_FIRST: Final = tuple(sorted(INDUSTRY_TERMS, key=len, reverse=True))
_ALLOWED_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff()]")
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The comparison form of a name: NFKC (full-width to half-width), no spaces, case-folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).casefold()


# --- prohibited words ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WordRule:
    word: str
    category: str
    reason_zh: str
    reason_en: str
    exceptions: tuple[str, ...] = ()
    #: allowed with approval, or as an industry qualifier
    restricted: bool = False

    def occurrences(self, text: str) -> list[int]:
        """Start positions of the word in ``text`` that no exception covers."""
        covered: set[int] = set()
        for exception in self.exceptions:
            offset = exception.find(self.word)
            start = text.find(exception)
            while start != -1 and offset != -1:
                covered.add(start + offset)
                start = text.find(exception, start + 1)
        found: list[int] = []
        start = text.find(self.word)
        while start != -1:
            if start not in covered:
                found.append(start)
            start = text.find(self.word, start + 1)
        return found


@dataclass(frozen=True, slots=True)
class ProhibitedWords:
    """The parsed ``prohibited_name_words.yaml``."""

    rules: tuple[WordRule, ...]

    @property
    def prohibited(self) -> tuple[WordRule, ...]:
        return tuple(rule for rule in self.rules if not rule.restricted)

    @property
    def restricted(self) -> tuple[WordRule, ...]:
        return tuple(rule for rule in self.rules if rule.restricted)


def parse_prohibited_words(text: str, source: str) -> ProhibitedWords:
    """Parse the YAML text of the prohibited-words file; ``source`` names it in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IdentityDataError(source, [f"不是有效的YAML / not valid YAML: {exc}"]) from exc
    return build_prohibited_words(data, source)


def build_prohibited_words(data: object, source: str) -> ProhibitedWords:
    problems: list[str] = []
    rules: list[WordRule] = []
    if not isinstance(data, dict):
        raise IdentityDataError(source, ["顶层应为映射 / the top level must be a mapping"])
    categories = data.get("prohibited")
    if not isinstance(categories, list) or not categories:
        problems.append("prohibited: 应为非空列表 / must be a non-empty list")
        categories = []
    for index, category in enumerate(categories):
        where = f"prohibited[{index}]"
        if not isinstance(category, dict) or not isinstance(category.get("category"), str):
            problems.append(f"{where}: 需要 category / needs a category name")
            continue
        where = f"{where} ({category['category']})"
        reason = _reason(category.get("reason"), where, problems)
        rules.extend(
            _words(category.get("words"), category["category"], reason, False, where, problems)
        )
    restricted = data.get("restricted")
    if restricted is not None:
        if isinstance(restricted, dict):
            reason = _reason(restricted.get("reason"), "restricted", problems)
            rules.extend(
                _words(restricted.get("words"), "restricted", reason, True, "restricted", problems)
            )
        else:
            problems.append("restricted: 应为映射 / must be a mapping with reason and words")
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.word in seen:
            problems.append(f"{rule.category}: 字词“{rule.word}”重复 / duplicate word")
        seen[rule.word] = rule.category
    if problems:
        raise IdentityDataError(source, problems)
    return ProhibitedWords(tuple(rules))


def _reason(entry: object, where: str, problems: list[str]) -> tuple[str, str]:
    if (
        isinstance(entry, dict)
        and isinstance(entry.get("zh"), str)
        and isinstance(entry.get("en"), str)
    ):
        return entry["zh"], entry["en"]
    problems.append(f"{where}: reason 需要 zh 和 en / reason needs zh and en")
    return "", ""


def _words(
    entries: object,
    category: str,
    reason: tuple[str, str],
    restricted: bool,
    where: str,
    problems: list[str],
) -> list[WordRule]:
    if not isinstance(entries, list) or not entries:
        problems.append(f"{where}: words 应为非空列表 / words must be a non-empty list")
        return []
    rules: list[WordRule] = []
    for index, entry in enumerate(entries):
        word: Any = entry
        exceptions: Any = []
        if isinstance(entry, dict):
            word, exceptions = entry.get("word"), entry.get("except", [])
        if not isinstance(word, str) or not word.strip():
            problems.append(f"{where}.words[{index}]: 需要字词 / needs a word, got {entry!r}")
            continue
        word = unicodedata.normalize("NFKC", word.strip())
        if not isinstance(exceptions, list) or not all(
            isinstance(exception, str) and word in exception and exception != word
            for exception in exceptions
        ):
            problems.append(
                f"{where}.words[{index}] ({word}): except 应为包含该字词的更长字词列表 / "
                "except must list longer words that contain the word"
            )
            continue
        rules.append(WordRule(word, category, reason[0], reason[1], tuple(exceptions), restricted))
    return rules


# --- structure ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split into its parts (all in NFKC form)."""

    region: str
    trade_name: str
    industry: str
    organisation_form: str
    #: for a branch: the name of the company it belongs to
    branch_of: str = ""


@dataclass(frozen=True, slots=True)
class _Form:
    text: str  # as it appears at the end of the name
    entity_types: frozenset[EntityType]


def _find_form(text: str) -> _Form | None:
    if text.endswith(_BRANCH_FORM):
        return _Form(_BRANCH_FORM, frozenset({EntityType.BRANCH}))
    for form, types in _COMPANY_FORMS.items():
        if text.endswith(form):
            return _Form(form, types)
    for marker in _PARTNERSHIP_MARKERS:
        if text.endswith(marker):
            head = text[: -len(marker)]
            word = next((word for word in _PARTNERSHIP_WORDS if head.endswith(word)), "")
            return _Form(word + marker, frozenset({EntityType.PARTNERSHIP}))
    for form in (*_INDUSTRY_FORMS, *SHOP_FORMS):
        if text.endswith(form):
            return _Form(form, _SHOP_TYPES)
    return None


def _region_prefixes(region: Region) -> list[str]:
    """Region expressions a name registered in ``region`` may use, longest first."""
    city = region.city
    candidates: set[str] = set()
    for ancestor in region.lineage:
        if ancestor.level in (RegionLevel.PROVINCE, RegionLevel.CITY):
            candidates.update({ancestor.name, ancestor.short_name})
    if region.level is RegionLevel.COUNTY:
        if city is not None:
            candidates.update(prefix + region.name for prefix in (city.name, city.short_name))
        if not region.is_district:
            candidates.update({region.name, region.short_name})
    normalised = {unicodedata.normalize("NFKC", candidate) for candidate in candidates}
    return sorted(normalised, key=lambda candidate: (-len(candidate), candidate))


def _region_words(region: Region) -> list[str]:
    """Names of the region and those above it (not zones), long forms first."""
    words = {
        unicodedata.normalize("NFKC", word)
        for ancestor in region.lineage
        if ancestor.level is not RegionLevel.ZONE
        for word in (ancestor.name, ancestor.short_name)
    }
    return sorted(words, key=lambda word: (-len(word), word))


@dataclass(frozen=True, slots=True)
class _Analysis:
    parts: NameParts | None
    problems: tuple[tuple[str, str, str], ...]  # (code, zh, en)
    form: _Form | None
    #: the text the word rules read: the name without its region
    body: str
    #: where the industry term sits in ``body``, if found
    industry_span: tuple[int, int] | None = None


def _analyse(text: str, prefixes: Sequence[str]) -> _Analysis:
    """Split an NFKC, space-free name; collect structural problems."""
    problems: list[tuple[str, str, str]] = []
    form = _find_form(text)
    if form is None:
        problems.append(
            (
                "organisation_form_missing",
                "名称缺少组织形式（如有限公司、股份有限公司、（有限合伙）、工作室）",
                "the name does not end with an organisation form (e.g. 有限公司)",
            )
        )
        return _Analysis(None, tuple(problems), None, text)
    rest = text[: -len(form.text)]
    if form.text == _BRANCH_FORM:
        return _analyse_branch(rest, form)

    region_part = next((prefix for prefix in prefixes if rest.startswith(prefix)), "")
    core = rest[len(region_part) :]
    if not region_part:
        bracketed = next((prefix for prefix in prefixes if f"({prefix})" in core), "")
        if bracketed:
            region_part = bracketed
            core = core.replace(f"({bracketed})", "", 1)
    if not region_part:
        examples = "、".join(prefixes[:4])
        problems.append(
            (
                "region_missing",
                f"名称应以登记机关所在地或其上级的行政区划开头，例如：{examples}",
                f"the name starts with the region of registration or one above it, e.g. "
                f"{', '.join(prefixes[:4])}",
            )
        )

    industry = next((term for term in _TERMS_LONGEST_FIRST if core.endswith(term)), "")
    span: tuple[int, int] | None = None
    if industry:
        trade_name = core[: -len(industry)]
        span = (len(trade_name), len(core))
    elif form.text in _INDUSTRY_FORMS:
        industry, trade_name = form.text, core
    else:
        trade_name = core
        problems.append(
            (
                "industry_missing",
                "名称缺少规范的行业表述（如科技、商贸、餐饮），应位于字号之后",
                "the name needs a standard industry term (e.g. 科技, 商贸, 餐饮) after the "
                "trade name",
            )
        )
    parts = NameParts(region_part, trade_name, industry, form.text)
    return _Analysis(parts, tuple(problems), form, core + form.text, span)


def _analyse_branch(rest: str, form: _Form) -> _Analysis:
    problems: list[tuple[str, str, str]] = []
    parent_end = max(
        (
            rest.rfind(company_form) + len(company_form)
            for company_form in _COMPANY_FORMS
            if company_form in rest
        ),
        default=-1,
    )
    if parent_end == -1:
        problems.append(
            (
                "branch_parent_missing",
                "分公司名称应冠以所属公司的名称",
                "a branch's name starts with the name of the company it belongs to",
            )
        )
        return _Analysis(None, tuple(problems), form, rest + form.text)
    parent, distinguishing = rest[:parent_end], rest[parent_end:]
    if not distinguishing:
        problems.append(
            (
                "branch_distinguisher_missing",
                "分公司名称应在“分公司”前写明所在地或区分字词",
                "a branch's name says where it is (or another distinguishing word) before 分公司",
            )
        )
    parts = NameParts("", distinguishing, "", form.text, branch_of=parent)
    return _Analysis(parts, tuple(problems), form, rest + form.text)


def split_company_name(name: str, region: Region) -> NameParts | None:
    """Split a name into region, trade name, industry and form, or None if it has no form."""
    return _analyse(_normalise_form(name), _region_prefixes(region)).parts


def _normalise_form(name: str) -> str:
    """NFKC with spaces removed, case kept: the form the structural rules read."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


# --- uniqueness --------------------------------------------------------------------------------


class NameIndex:
    """Registered names of one registration authority, indexed for the uniqueness rules.

    Build it once when checking many names against the same register.
    """

    def __init__(self, names: Iterable[str], region: Region) -> None:
        self.region_code = region.code
        self._prefixes = _region_prefixes(region)
        self._exact: dict[str, str] = {}
        self._trade: dict[tuple[str, str], str] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self._exact.setdefault(normalise_name(name), name)
        parts = _analyse(_normalise_form(name), self._prefixes).parts
        if parts is not None and not parts.branch_of and parts.trade_name and parts.industry:
            self._trade.setdefault((parts.trade_name.casefold(), parts.industry.casefold()), name)

    def __len__(self) -> int:
        return len(self._exact)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalise_name(name) in self._exact

    def same_name(self, name: str) -> str | None:
        return self._exact.get(normalise_name(name))

    def same_trade_name(self, trade_name: str, industry: str) -> str | None:
        return self._trade.get((trade_name.casefold(), industry.casefold()))


# --- the check ---------------------------------------------------------------------------------


def check_company_name(
    name: str,
    region: Region,
    registered_names: Collection[str] | NameIndex,
    words: ProhibitedWords,
    *,
    entity_type: EntityType | None = None,
    approved_words: Collection[str] = (),
    field: str = "company_name",
) -> list[FieldProblem]:
    """Every problem of ``name`` for an enterprise registered in ``region``; empty if none.

    ``registered_names`` are the names already registered (or reserved) at the same
    registration authority; pass a ``NameIndex`` when checking many names. ``entity_type``,
    when known, must match the organisation form. ``approved_words`` are restricted words the
    applicant holds an approval for.
    """
    problems: list[FieldProblem] = []

    def add(code: str, message_zh: str, message_en: str) -> None:
        problems.append(FieldProblem(field, code, message_zh, message_en))

    text = _normalise_form(name)
    if not text:
        add("required", "请填写企业名称", "the company name is required")
        return problems

    bad = sorted({char for char in text if not _ALLOWED_CHAR.fullmatch(char)})
    if bad:
        add(
            "invalid_characters",
            f"企业名称应当使用规范汉字，不得含有：{'、'.join(bad)}",
            f"a company name uses standard Chinese characters only; found: {', '.join(bad)}",
        )
    if len(text) > NAME_MAX_LENGTH:
        add(
            "too_long",
            f"企业名称不得超过{NAME_MAX_LENGTH}个字，现为{len(text)}个字",
            f"a company name has at most {NAME_MAX_LENGTH} characters, this one has {len(text)}",
        )

    analysis = _analyse(text, _region_prefixes(region))
    for code, message_zh, message_en in analysis.problems:
        if code == "region_missing" and region.is_district and region.city is not None:
            district = unicodedata.normalize("NFKC", region.name)
            if text.startswith(district):
                code = "district_without_city"
                message_zh = f"市辖区名称应冠以所属市的名称：{region.city.name}{region.name}"
                message_en = (
                    f"a city district is named after its city: {region.city.name}{region.name}"
                )
        add(code, message_zh, message_en)
    parts, form = analysis.parts, analysis.form

    if form is not None and entity_type is not None and entity_type not in form.entity_types:
        add(
            "organisation_form_mismatch",
            f"组织形式“{form.text}”与企业类型“{entity_type.label_zh}”不符",
            f"the organisation form {form.text} does not fit the entity type "
            f"{entity_type.label_en}",
        )
    if (
        form is not None
        and not any(kind.is_company for kind in form.entity_types)
        and ("公司" in text[: -len(form.text)] or "有限" in text[: -len(form.text)])
    ):
        add(
            "company_word_not_allowed",
            "个体工商户、个人独资企业、合伙企业的名称不得使用“有限”“公司”字样",
            "only companies may use 有限 or 公司 in their names",
        )

    # The trade name is judged only when the region and industry around it were found;
    # otherwise its bounds are guesses and the missing part is already reported.
    if parts is not None and not parts.branch_of and parts.region and parts.industry:
        trade = parts.trade_name
        if not trade:
            add(
                "trade_name_missing",
                "名称缺少字号：行政区划之后、行业表述之前应有字号",
                "the name has no trade name between the region and the industry",
            )
        elif len(trade) < TRADE_NAME_MIN_LENGTH:
            add(
                "trade_name_too_short",
                f"字号应由{TRADE_NAME_MIN_LENGTH}个以上汉字组成",
                f"the trade name needs at least {TRADE_NAME_MIN_LENGTH} Chinese characters",
            )
        elif len(trade) > TRADE_NAME_MAX_LENGTH:
            add(
                "trade_name_too_long",
                f"字号不得超过{TRADE_NAME_MAX_LENGTH}个字，现为{len(trade)}个字",
                f"the trade name has at most {TRADE_NAME_MAX_LENGTH} characters, "
                f"this one has {len(trade)}",
            )
        region_word = next((word for word in _region_words(region) if word in trade), None)
        if region_word is not None:
            add(
                "trade_name_is_region",
                f"字号不得使用行政区划名称“{region_word}”",
                f"the trade name must not use the region name {region_word}",
            )

    _check_words(analysis, words, approved_words, add)

    index = (
        registered_names
        if isinstance(registered_names, NameIndex)
        else NameIndex(registered_names, region)
    )
    same = index.same_name(name)
    if same is not None:
        add(
            "duplicate",
            f"与已登记的企业名称“{same}”相同",
            f"the same as the registered name {same}",
        )
    elif parts is not None and not parts.branch_of and parts.trade_name and parts.industry:
        similar = index.same_trade_name(parts.trade_name, parts.industry)
        if similar is not None:
            add(
                "trade_name_taken",
                f"字号“{parts.trade_name}”在同一行业已被“{similar}”使用",
                f"the trade name {parts.trade_name} is already used in the same industry by "
                f"{similar}",
            )
    return problems


def _check_words(
    analysis: _Analysis,
    words: ProhibitedWords,
    approved_words: Collection[str],
    add: Callable[[str, str, str], None],
) -> None:
    body, span = analysis.body, analysis.industry_span
    approved = {unicodedata.normalize("NFKC", word) for word in approved_words}
    for rule in words.rules:
        positions = rule.occurrences(body)
        if not positions:
            continue
        if not rule.restricted:
            add(
                "prohibited_word",
                f"名称不得含有“{rule.word}”：{rule.reason_zh}",
                f"the name must not contain {rule.word}: {rule.reason_en}",
            )
            continue
        qualifies_industry = span is not None and all(
            span[0] <= position and position + len(rule.word) <= span[1] for position in positions
        )
        if rule.word not in approved and not qualifies_industry:
            add(
                "approval_required",
                f"“{rule.word}”：{rule.reason_zh}",
                f"{rule.word}: {rule.reason_en}",
            )
