"""Catalog search and guides (办事指南): public, no sign-in needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from yiwang.api.deps import PlatformDep
from yiwang.cases.views import guide_public
from yiwang.catalog.errors import UnknownCatalogEntry
from yiwang.schemas import ErrorPublic, GuidePublic, SearchHitPublic

router = APIRouter(prefix="/catalog", tags=["catalog"])


@router.get("/search", summary="Find items and bundles by Chinese text, alias or pinyin initials")
def search(services: PlatformDep, q: Annotated[str, Query(max_length=50)] = "") -> list[SearchHitPublic]:
    catalog = services.platform.catalogs.current()
    return [
        SearchHitPublic(code=h.code, kind="bundle" if h.kind == "bundle" else "item", name_zh=h.name_zh, name_en=h.name_en, matched=h.matched)
        for h in services.search.search(catalog, q)
    ]


@router.get("/entries/{code}", responses={404: {"model": ErrorPublic}}, summary="The guide of an item or bundle")
def guide(services: PlatformDep, code: Annotated[str, Path(max_length=120)]) -> GuidePublic:
    catalog = services.platform.catalogs.current()
    if code not in catalog.items and code not in catalog.bundles:
        raise UnknownCatalogEntry(code[:120])
    return guide_public(catalog, code)
