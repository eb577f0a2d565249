"""The shipped catalog, read and parsed once per test session.

Each error-path test breaks one field of a deep copy of one shipped document and validates
the whole catalog again from the already-read documents (no file is read twice, nothing is
written), so every test asserts where a real catalog change would be reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from catalog_factories import Breaker

from yiwang.bootstrap import SHIPPED_CATALOG, register_extensions
from yiwang.catalog.errors import CatalogProblem
from yiwang.catalog.extensions import Extensions
from yiwang.catalog.loader import parse_catalog
from yiwang.catalog.models import CatalogSpec
from yiwang.catalog.reader import parse_yaml_files, read_catalog_files


@pytest.fixture(scope="session")
def shipped_files() -> Mapping[str, str]:
    return read_catalog_files(SHIPPED_CATALOG)


@pytest.fixture(scope="session")
def shipped_documents(shipped_files: Mapping[str, str]) -> Mapping[str, Any]:
    problems: list[CatalogProblem] = []
    documents = parse_yaml_files(shipped_files, problems)
    assert problems == []
    return documents


@pytest.fixture(scope="session")
def shipped(shipped_files: Mapping[str, str]) -> CatalogSpec:
    return parse_catalog(shipped_files)


@pytest.fixture(scope="session")
def extensions() -> Extensions:
    return register_extensions()


@pytest.fixture(scope="session")
def breaker(shipped_documents: Mapping[str, Any], extensions: Extensions) -> Breaker:
    return Breaker(shipped_documents, extensions)
