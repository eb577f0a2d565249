"""Entity types and the flags the workflow relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from yiwang.identity.errors import FieldProblem
from yiwang.identity.models import KEY_SECTORS, Enterprise, EntityType, Gender


@pytest.mark.parametrize(
    ("entity_type", "smart"),
    [
        (EntityType.LLC_NATURAL_PERSON_SOLE, True),
        (EntityType.LLC_NATURAL_PERSON, True),
        (EntityType.INDIVIDUAL_BUSINESS, True),
        (EntityType.SOLE_PROPRIETORSHIP, True),
        (EntityType.BRANCH, True),
        (EntityType.PARTNERSHIP, False),
        (EntityType.JOINT_STOCK, False),
    ],
)
def test_smart_approval_covers_the_kinds_plan_2_names(entity_type: EntityType, smart: bool) -> None:
    assert entity_type.smart_approval is smart


def test_form_values_match_the_start_up_form() -> None:
    # the choices of catalog/bundles/enterprise_startup.yaml
    assert {entity_type.value for entity_type in EntityType} == {
        "llc_natural_person_sole",
        "llc_natural_person",
        "individual_business",
        "sole_proprietorship",
        "branch",
        "partnership",
        "joint_stock",
    }
    assert EntityType("branch") is EntityType.BRANCH


def test_labels_and_credit_code_types() -> None:
    assert EntityType.LLC_NATURAL_PERSON.label_zh == "有限责任公司（自然人投资或控股）"
    assert EntityType.INDIVIDUAL_BUSINESS.label_en == "Individual business"
    assert EntityType.INDIVIDUAL_BUSINESS.credit_code_entity_type == "2"
    assert {
        t.credit_code_entity_type for t in EntityType if t is not EntityType.INDIVIDUAL_BUSINESS
    } == {"1"}
    assert EntityType.BRANCH.is_company and not EntityType.PARTNERSHIP.is_company
    assert (Gender.MALE.label_zh, Gender.FEMALE.label_en) == ("男", "Female")


def test_key_sectors() -> None:
    assert {"疫苗", "药品", "特种设备", "危险化学品"} == KEY_SECTORS
    firm = Enterprise(
        credit_code="91370102000123457X",
        name="济南泉源医药有限公司",
        entity_type=EntityType.LLC_NATURAL_PERSON,
        region_code="370102",
        legal_representative_id="110101199003071233",
        registered_on=dt.date(2020, 1, 2),
        sector="药品",
        address="山东省济南市历下区经十路1号",
    )
    assert firm.in_key_sector


def test_field_problem_message_is_chinese_then_english() -> None:
    problem = FieldProblem("company_name", "required", "请填写企业名称", "the name is required")
    assert problem.message == "请填写企业名称 / the name is required"
