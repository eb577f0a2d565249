"""Factories for credit tests: the shipped rules as data, records, enterprises.

``RULES_DOC`` mirrors ``catalog/credit/rules.yaml`` (unit tests read no files); an integration
test checks the shipped file parses to exactly this document, so the hand-worked cases below
exercise the rules the platform ships.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from stdnum.cn import uscc

from yiwang.credit.models import CreditRecord, RecordKind, Severity
from yiwang.credit.rules import CreditRules, parse_rules

RULES_DOC: dict[str, Any] = (
    {'version': '2024.1',
     'title_zh': '山东省市场主体信用分级分类规则(示例)',
     'rules': [{'id': 'S1-BLACKLIST',
                'class': '严重失信',
                'text_zh': '被列入失信黑名单且尚未移出',
                'text_en': 'listed on the dishonesty blacklist and not lifted',
                'condition': {'kinds': ['blacklist_listing'], 'active_listing': True}},
               {'id': 'S2-GRAVE-JUDGMENT',
                'class': '严重失信',
                'text_zh': '3年内有情节严重的司法判决1次及以上',
                'text_en': 'at least one grave court judgment within 3 years (1095 days)',
                'condition': {'kinds': ['court_judgment'],
                              'severities': ['grave'],
                              'window_days': 1095}},
               {'id': 'S3-GRAVE-PENALTY',
                'class': '严重失信',
                'text_zh': '3年内受到情节严重的行政处罚1次及以上',
                'text_en': 'at least one grave administrative penalty or inspection violation '
                           'within 3 years',
                'condition': {'kinds': ['administrative_penalty', 'inspection_violation'],
                              'severities': ['grave'],
                              'window_days': 1095}},
               {'id': 'S4-BROKEN-COMMITMENTS',
                'class': '严重失信',
                'text_zh': '2年内违反信用承诺3次及以上',
                'text_en': 'three or more broken credit commitments within 2 years (730 days)',
                'condition': {'kinds': ['broken_commitment'], 'window_days': 730, 'at_least': 3}},
               {'id': 'G1-GENERAL-PENALTY',
                'class': '一般失信',
                'text_zh': '2年内受到一般情节的行政处罚1次及以上',
                'text_en': 'at least one general administrative penalty or inspection violation '
                           'within 2 years',
                'condition': {'kinds': ['administrative_penalty', 'inspection_violation'],
                              'severities': ['general'],
                              'window_days': 730}},
               {'id': 'G2-ABNORMAL-OPERATION',
                'class': '一般失信',
                'text_zh': '被列入经营异常名录且尚未移出',
                'text_en': 'listed as operating abnormally and not lifted',
                'condition': {'kinds': ['abnormal_operation'], 'active_listing': True}},
               {'id': 'G3-BROKEN-COMMITMENTS',
                'class': '一般失信',
                'text_zh': '2年内违反信用承诺2次',
                'text_en': 'two broken credit commitments within 2 years',
                'condition': {'kinds': ['broken_commitment'], 'window_days': 730, 'at_least': 2}},
               {'id': 'G4-COMPLAINTS',
                'class': '一般失信',
                'text_zh': '1年内经核实的投诉举报3次及以上',
                'text_en': 'three or more verified complaints within one year (365 days)',
                'condition': {'kinds': ['verified_complaint'],
                              'window_days': 365,
                              'at_least': 3}},
               {'id': 'G5-GENERAL-JUDGMENT',
                'class': '一般失信',
                'text_zh': '2年内有一般情节的司法判决',
                'text_en': 'a court judgment of general severity within 2 years',
                'condition': {'kinds': ['court_judgment'],
                              'severities': ['general'],
                              'window_days': 730}},
               {'id': 'G6-KEY-ATTENTION',
                'class': '一般失信',
                'text_zh': '经提醒约谈仍反复违法失信,列入重点关注名单',
                'text_en': 'on the key-attention list after repeated violations despite a '
                           'warning',
                'condition': {'repeat_status': 'key_attention'}},
               {'id': 'M1-MINOR-PENALTY',
                'class': '轻微失信',
                'text_zh': '1年内受到轻微情节的行政处罚',
                'text_en': 'a minor administrative penalty or inspection violation within one '
                           'year',
                'condition': {'kinds': ['administrative_penalty', 'inspection_violation'],
                              'severities': ['minor'],
                              'window_days': 365}},
               {'id': 'M2-BROKEN-COMMITMENT',
                'class': '轻微失信',
                'text_zh': '2年内违反信用承诺1次',
                'text_en': 'one broken credit commitment within 2 years',
                'condition': {'kinds': ['broken_commitment'], 'window_days': 730}},
               {'id': 'M3-COMPLAINT',
                'class': '轻微失信',
                'text_zh': '1年内有经核实的投诉举报',
                'text_en': 'a verified complaint within one year',
                'condition': {'kinds': ['verified_complaint'], 'window_days': 365}},
               {'id': 'M4-MINOR-JUDGMENT',
                'class': '轻微失信',
                'text_zh': '1年内有轻微情节的司法判决',
                'text_en': 'a minor court judgment within one year',
                'condition': {'kinds': ['court_judgment'],
                              'severities': ['minor'],
                              'window_days': 365}}],
     'default': {'id': 'T0-DEFAULT',
                 'class': '诚信守法',
                 'text_zh': '无计入分类的失信记录',
                 'text_en': 'no dishonesty record that any rule counts'},
     'grace_period': {'min_years': 1,
                      'max_years': 3,
                      'kinds': ['administrative_penalty',
                                'inspection_violation',
                                'verified_complaint'],
                      'keep_grave': True},
     'no_penalty_list': {'kinds': ['administrative_penalty', 'inspection_violation'],
                         'lookback_days': 730,
                         'items': [{'code': 'NP-SAMR-001',
                                    'description_zh': '未按规定时间公示年度报告,首次且在责令期限内改正',
                                    'legal_basis': '《企业信息公示暂行条例》;市场监管领域轻微违法行为免罚清单第1项'},
                                   {'code': 'NP-SAMR-002',
                                    'description_zh': '营业执照未在住所醒目位置悬挂,首次且及时改正',
                                    'legal_basis': '《市场主体登记管理条例》;市场监管领域轻微违法行为免罚清单第2项'},
                                   {'code': 'NP-SAMR-003',
                                    'description_zh': '食品经营者未按规定公示健康证明,首次且及时改正,未造成危害后果',
                                    'legal_basis': '《食品安全法》;市场监管领域轻微违法行为免罚清单第3项'},
                                   {'code': 'NP-TAX-001',
                                    'description_zh': '未按期办理纳税申报,首次且在税务机关责令期限内改正',
                                    'legal_basis': '《税务行政处罚"首违不罚"事项清单》第1项'}]},
     'repeat_violations': {'kinds': ['administrative_penalty',
                                     'inspection_violation',
                                     'verified_complaint',
                                     'broken_commitment'],
                           'severities': ['minor', 'general'],
                           'window_days': 365,
                           'warning_at': 2,
                           'key_attention_at': 3},
     'repair': [{'kinds': ['administrative_penalty',
                           'inspection_violation',
                           'verified_complaint'],
                 'severities': ['minor'],
                 'min_days': 90},
                {'kinds': ['administrative_penalty',
                           'inspection_violation',
                           'verified_complaint'],
                 'severities': ['general'],
                 'min_days': 365},
                {'kinds': ['broken_commitment'],
                 'severities': ['minor', 'general'],
                 'min_days': 180}],
     'blacklist': {'min_listing_days': 365},
     'commitments': {'excluded_classes': ['严重失信'],
                     'post_check_share': '0.2',
                     'broken_commitment_severity': 'general'}}
)

AS_OF = date(2024, 6, 30)


def credit_code(serial: int) -> str:
    body = f"91370102MA{serial:07d}"
    return body + uscc.calc_check_digit(body)


CODE = credit_code(1)


def rules() -> CreditRules:
    return parse_rules(RULES_DOC)


def days_ago(days: int, as_of: date = AS_OF) -> date:
    return as_of - timedelta(days=days)


_counter = iter(range(1, 10**9))


def record(
    kind: RecordKind,
    *,
    age_days: int = 10,
    severity: Severity | None = Severity.MINOR,
    record_id: str | None = None,
    code: str = CODE,
    **extra: Any,
) -> CreditRecord:
    """A record ``age_days`` before ``AS_OF`` (commendations default to no severity)."""
    if kind is RecordKind.COMMENDATION and "severity" not in extra and severity is Severity.MINOR:
        severity = None
    return CreditRecord(
        record_id=record_id or f"R{next(_counter):05d}",
        credit_code=code,
        kind=kind,
        occurred_on=days_ago(age_days),
        source_department="济南市市场监督管理局",
        legal_basis="测试依据",
        severity=severity,
        **extra,
    )
