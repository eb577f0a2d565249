"""The upload quota's rule, on the usage the store reads inside the insert's transaction: the
limits are inclusive, and each scope says which one was passed."""

from __future__ import annotations

import pytest

from yiwang.materials.errors import QuotaExceeded
from yiwang.materials.ports import Usage
from yiwang.materials.services import Quota, check_quota

QUOTA = Quota(case_bytes=4_000, case_files=3, account_bytes=10_000)


def test_an_upload_that_fills_the_quota_exactly_is_allowed() -> None:
    check_quota(QUOTA, Usage(case_files=2, case_bytes=3_000, uploader_bytes=9_000), 1_000)


@pytest.mark.parametrize(
    ("usage", "size", "scope"),
    [
        (Usage(case_files=0, case_bytes=3_001, uploader_bytes=0), 1_000, "this case"),
        (Usage(case_files=3, case_bytes=0, uploader_bytes=0), 1, "this case"),
        (Usage(case_files=0, case_bytes=0, uploader_bytes=9_001), 1_000, "your account today"),
    ],
)
def test_one_byte_or_one_file_over_is_refused_naming_the_scope(usage: Usage, size: int, scope: str) -> None:
    with pytest.raises(QuotaExceeded, match=scope) as refused:
        check_quota(QUOTA, usage, size)
    assert refused.value.code == "upload_quota_exceeded" and "上限" in refused.value.message_zh
