"""Whether the materials a decision rests on are in hand (材料齐全).

Two rules, both pure:

* A reviewer may approve a task only when every required material of its item that the
  applicant must supply is supplied (uploaded, in the application or in a supplement
  answer), replaced by a credit commitment (告知承诺) or promised for later under 容缺受理
  (a later task checks the promise). Materials the platform obtains itself (shared
  registries, licences, earlier outputs) are never asked for (R-CAT-2), so they never block.
  Basis: 行政许可法 Art. 34 (the authority reviews the materials submitted) and Art. 32
  (an incomplete application is completed by 补正 first). Decisions by declared rules and
  秒批 on a commitment are the catalog's own and are not affected.
* A supplement answer (补正) restarts the stopped clocks only when it carries every material
  the one-time notice (一次性告知) asked for: a partial answer leaves the application as
  incomplete as before, so the clock must stay stopped (行政许可法 Art. 32(4); the plans'
  R-CAL-2: time the applicant spends correcting does not count).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from yiwang.catalog.models import ItemSpec, MaterialSpec


def missing_for_approval(
    item: ItemSpec, *, supplied: Collection[str], committed: Collection[str]
) -> list[MaterialSpec]:
    """The required applicant materials of ``item`` that are neither supplied (codes in
    ``supplied``) nor committed or promised (codes in ``committed``: the case's
    ``commitments`` and ``promises``)."""
    return [
        material
        for material in item.materials
        if material.required
        and material.asked_of_applicant
        and material.code not in supplied
        and material.code not in committed
    ]


def missing_from_answer(requested: Sequence[str], supplied: Collection[str]) -> list[str]:
    """The material codes a supplement notice asked for that the answer does not carry."""
    return [code for code in requested if code not in supplied]


__all__ = ["missing_for_approval", "missing_from_answer"]
