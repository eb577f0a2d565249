"""材料齐全: approval needs every required applicant material supplied, committed or shared;
a supplement answer must carry every material the notice asked for."""

from __future__ import annotations

from yiwang.calendar import TimeLimit
from yiwang.cases.completeness import missing_for_approval, missing_from_answer
from yiwang.catalog.models import HandlingMode, ItemSpec, MaterialSource, MaterialSpec, Text


def _material(code: str, source: MaterialSource = MaterialSource.APPLICANT, *, required: bool = True) -> MaterialSpec:
    return MaterialSpec(code, Text(code, code), source, required=required, commitment_allowed=True)


ITEM = ItemSpec(
    code="I1",
    name=Text("事项", "item"),
    aliases=(),
    department_kind="market_regulation",
    legal_basis=("《行政许可法》第三十四条",),
    handling_modes=(HandlingMode.ONLINE,),
    materials=(
        _material("application"),
        _material("premises_proof"),
        _material("optional_photo", required=False),
        _material("id_card", MaterialSource.REGISTRY),
        _material("licence", MaterialSource.PRIOR_OUTPUT),
    ),
    procedure=(),
    legal_limit=TimeLimit.parse("20wd"),
    promised_limit=TimeLimit.parse("3wd"),
    fees=(),
    service_standard=Text("", ""),
)


def _codes(materials: list[MaterialSpec]) -> list[str]:
    return [m.code for m in materials]


def test_nothing_supplied_blocks_on_every_required_applicant_material() -> None:
    assert _codes(missing_for_approval(ITEM, supplied=(), committed=())) == ["application", "premises_proof"]


def test_one_short_still_blocks_and_all_in_hand_allows() -> None:
    assert _codes(missing_for_approval(ITEM, supplied={"application"}, committed=())) == ["premises_proof"]
    assert missing_for_approval(ITEM, supplied={"application", "premises_proof"}, committed=()) == []


def test_a_commitment_or_promise_counts_as_in_hand() -> None:
    assert missing_for_approval(ITEM, supplied={"application"}, committed={"premises_proof"}) == []


def test_shared_and_optional_materials_never_block() -> None:
    blocking = _codes(missing_for_approval(ITEM, supplied=(), committed=()))
    assert "id_card" not in blocking and "licence" not in blocking and "optional_photo" not in blocking


def test_an_answer_must_carry_every_requested_material() -> None:
    requested = ("expense_list", "diagnosis")
    assert missing_from_answer(requested, ()) == ["expense_list", "diagnosis"]
    assert missing_from_answer(requested, ("expense_list",)) == ["diagnosis"]
    assert missing_from_answer(requested, ("diagnosis", "expense_list", "extra")) == []
    assert missing_from_answer((), ()) == []  # a notice with only a note needs no file
