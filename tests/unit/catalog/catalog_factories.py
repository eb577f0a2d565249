"""Breaking shipped catalog documents one field at a time, for the error-path tests."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from yiwang.catalog.errors import CatalogInvalid, CatalogProblem
from yiwang.catalog.extensions import Extensions, check_extensions
from yiwang.catalog.loader import parse_documents

# Changes a document in place, or returns what replaces it.
Mutation = Callable[[dict[str, Any]], Any]


class Breaker:
    """Breaks shipped documents and reports what the catalog check says about them."""

    def __init__(self, documents: Mapping[str, Any], extensions: Extensions) -> None:
        self.documents = documents
        self.extensions = extensions

    def mutated(self, changes: Mapping[str, Mutation | None]) -> dict[str, Any]:
        """Copies of the documents with ``changes`` applied (None removes the file)."""
        documents = dict(self.documents)
        for name, change in changes.items():
            if change is None:
                documents.pop(name)
                continue
            document = copy.deepcopy(documents.get(name, {}))
            replacement = change(document)
            documents[name] = document if replacement is None else replacement
        return documents

    def problems(self, changes: Mapping[str, Mutation | None]) -> list[CatalogProblem]:
        """The parse problems of the changed catalog (it must be refused)."""
        with pytest.raises(CatalogInvalid) as invalid:
            parse_documents(self.mutated(changes), "broken")
        return invalid.value.problems

    def unregistered(self, changes: Mapping[str, Mutation]) -> list[CatalogProblem]:
        """The extension problems of a changed catalog that still parses."""
        spec = parse_documents(self.mutated(changes), "changed")
        return check_extensions(spec, self.extensions)


def find(document: dict[str, Any], code: str, key: str = "items") -> dict[str, Any]:
    """The entry with ``code`` in a list-of-entries document."""
    for entry in document[key]:
        if code in (entry.get("code"), entry.get("item"), entry.get("name")):
            return entry  # the live entry of a copy: tests change it in place
    raise KeyError(code)
