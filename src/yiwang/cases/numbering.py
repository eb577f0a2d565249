"""The letters that open an output's number (证照编号), one registered prefix per output kind.

A number is ``<prefix><county code><year><7-digit serial>``. The serial counts per kind and
city, so two kinds may reach the same serial in the same county and year: only the prefix
tells their numbers apart, and it must differ for every kind. (The first two letters of the
kind did not: the talent card and the tax receipt both began ``TA``, and approving the second
failed on the unique number forever.)

Business licences carry the unified social credit code instead (GB 32100-2015) and are not
numbered here.
"""

from __future__ import annotations

from types import MappingProxyType

# Upper-case letters only, so the prefix ends where the county code's digits begin.
# None starts with X: that letter is kept for kinds not registered here (see `number_prefix`).
OUTPUT_NUMBER_PREFIXES = MappingProxyType(
    {
        "seals": "YZ",  # 印章
        "tax_setup": "SW",  # 税务
        "tax_receipt": "WS",  # 完税
        "talent_card": "HC",  # 惠才
        "real_estate_certificate": "BDC",  # 不动产
        "title_certificate": "QS",  # 权属
        "contract_filing": "BA",  # 备案
        "fdi_filing_record": "WZBA",  # 外资备案
        "fdi_approval": "WZHZ",  # 外资核准
        "written_opinion": "YJ",  # 意见
        "cosignature": "HQ",  # 会签
    }
)
UNREGISTERED_MARK = "X"


def number_prefix(kind: str) -> str:
    """The registered prefix of ``kind``; a kind the registry does not know yet gets ``X``
    and its own name, which no registered prefix can equal, so numbers still never collide."""
    registered = OUTPUT_NUMBER_PREFIXES.get(kind)
    if registered is not None:
        return registered
    return UNREGISTERED_MARK + "".join(ch for ch in kind.upper() if ch.isalnum() or ch == "_")


def output_number(kind: str, region_code: str, year: int, serial: int) -> str:
    return f"{number_prefix(kind)}{region_code}{year:04d}{serial:07d}"
