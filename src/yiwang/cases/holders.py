"""Who holds an output: the party its catalog entry names by role (R-LIC-1).

The 不动产权证书 after a sale is the buyer's, the mortgage certificate the mortgagee's, the
business licence and the seals the new enterprise's, a talent card the talent's; the rest
is the applicant's. Outputs record only what was issued; the holder is read from the
case's form through the catalog version the case is pinned to, so it never drifts.
"""

from __future__ import annotations

from yiwang.cases.models import Case, Output
from yiwang.catalog.models import CatalogSpec

BUSINESS_LICENCE_KIND = "business_licence"


def _merged_field(catalog: CatalogSpec, case: Case, item_code: str, item_field: str) -> str:
    """The merged-form field that carries ``item_field`` of the item in this case's bundle."""
    bundle = catalog.as_bundle(case.subject_code)
    for stage in bundle.stages:
        for stage_item in stage.items:
            if stage_item.item_code == item_code:
                return stage_item.field_map.get(item_field, item_field)
    return item_field


def output_holder(case: Case, output: Output, catalog: CatalogSpec) -> tuple[str, str]:
    """(holder id, holder name) of ``output``."""
    applicant = (case.applicant_id, case.applicant_name)
    item = catalog.items.get(output.item_code)
    spec = item.output if item is not None else None
    if spec is None:
        return applicant
    if spec.holder_role == "enterprise":
        # The start-up registers an enterprise: its credit code is the licence's number.
        licence = output if output.kind == BUSINESS_LICENCE_KIND else next(
            (o for o in case.outputs if o.kind == BUSINESS_LICENCE_KIND), None
        )
        if licence is not None:
            name_field = _merged_field(catalog, case, licence.item_code, "name")
            return licence.number, str(case.form.get(name_field) or case.form.get("company_name") or case.applicant_name)
        return applicant
    if spec.holder_id_field:
        holder_id = str(case.form.get(_merged_field(catalog, case, output.item_code, spec.holder_id_field)) or "")
        name_field = _merged_field(catalog, case, output.item_code, spec.holder_name_field or "")
        if holder_id:
            return holder_id, str(case.form.get(name_field) or "")
    return applicant
