"""告知承诺 in a case (国办发〔2020〕42号): the 承诺书 the applicant signed, kept word for word.

Which proofs a commitment may replace is catalog data (the item's materials marked
``commitment_allowed``, its published list) and the text is the item's standard 承诺书
(`CommitmentSpec`). A commitment replaces those proofs and nothing else; whether anything is
then decided at once is for the item's declared rules (yiwang.cases.engine).
"""

from __future__ import annotations

from datetime import datetime

from yiwang.cases import events as ev
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.legal_record import SignedCommitment
from yiwang.cases.models import Case
from yiwang.catalog.models import BundleSpec, CatalogSpec


def record_signed_commitments(
    case: Case, command: SubmitApplication, bundle: BundleSpec, catalog: CatalogSpec, at: datetime
) -> None:
    """Keep, per item, the proofs replaced and the text signed; the applicant is shown both."""
    actor = command.filed_by or command.applicant_id
    for code in bundle.item_codes():
        item = catalog.item(code)
        replaced = tuple(sorted(item.replaceable_by_commitment & set(command.commitments)))
        if not replaced or item.commitment is None:
            continue
        signed = SignedCommitment(
            item_code=item.code,
            materials=replaced,
            text_zh=command.commitment_text.strip(),
            standard_text_zh=item.commitment.text.zh,
            signed_at=at,
            signed_by=actor,
        )
        case.legal.commitments.append(signed)
        case.record(
            ev.CommitmentSigned(
                at=at,
                actor=actor,
                reason=signed.text_zh,
                item=item.code,
                materials=tuple(
                    ev.MaterialRef(m.code, m.name.zh) for m in item.materials if m.code in replaced
                ),
                text=signed.text_zh,
                basis=item.commitment.basis,
                note="承诺仅代替上列证明材料，其余材料仍须审查 / the commitment replaces only "
                "the listed proofs; everything else is still reviewed",
            )
        )
