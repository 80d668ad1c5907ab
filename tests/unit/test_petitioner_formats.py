"""Format rules for phone and ID numbers typed at the desk and in the field forms."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.petitioners import (ID_BIRTH_DATE, ID_CHECKSUM, ID_FORMAT, PHONE_FORMAT, id_check_character,
                                id_number_problem, phone_kind, phone_problem)


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "+86 138-1234-5678", "0086 13812345678",
                                   "138 1234 5678"])
def test_mainland_mobile_numbers_are_accepted_with_or_without_prefix_and_separators(phone: str) -> None:
    assert phone_kind(phone) == "mobile" and phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["0571-88886666", "0571-8888666", "(0571)88886666", "010-62345678", "021 52345678"])
def test_landlines_need_their_area_code(phone: str) -> None:
    assert phone_kind(phone) == "landline" and phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["abc", "123", "12812345678", "1381234567", "138123456789", "88886666",
                                   "010-12345678", "0571-0888666", "138l2345678", "13812345678 转 2", "+1 415 555 0100"])
def test_anything_else_is_refused_with_the_phone_code(phone: str) -> None:
    assert phone_kind(phone) is None and phone_problem(phone) == PHONE_FORMAT


def test_an_empty_phone_is_no_problem_the_field_is_optional() -> None:
    assert phone_problem(None) is None and phone_problem("  ") is None


def test_the_check_character_of_the_standard_example() -> None:
    # GB 11643-1999's own example: 11010519491231002X
    assert id_check_character("11010519491231002") == "X"
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("11010519491231002x") is None  # read out in lower case


@pytest.mark.parametrize(("value", "code"), [
    ("123", ID_FORMAT), ("11010519491231002", ID_FORMAT), ("01010519491231002X", ID_FORMAT),
    ("1101051949123100XX", ID_FORMAT), ("110105194913310021", ID_BIRTH_DATE), ("110105189912310021", ID_BIRTH_DATE),
    ("110105194912310021", ID_CHECKSUM), ("330782199001011234", ID_CHECKSUM)])
def test_a_wrong_shape_date_or_check_character_is_refused_with_its_own_code(value: str, code: str) -> None:
    assert id_number_problem(value) == code


@given(st.from_regex(r"[1-8]\d{5}", fullmatch=True), st.dates(date(1900, 1, 1), date(2030, 12, 31)),
       st.from_regex(r"\d{3}", fullmatch=True))
def test_every_id_built_with_its_check_character_passes_and_every_other_last_character_fails(
        region: str, born: date, serial: str) -> None:
    first17 = f"{region}{born:%Y%m%d}{serial}"
    right = id_check_character(first17)
    assert id_number_problem(first17 + right) is None
    assert all(id_number_problem(first17 + other) == ID_CHECKSUM for other in "0123456789X" if other != right)


def test_a_birth_date_must_exist() -> None:
    first17 = "11010520230229" + "001"  # 2023 has no 29 February
    assert id_number_problem(first17 + id_check_character(first17)) == ID_BIRTH_DATE
    leap = "11010520240229" + "001"
    assert id_number_problem(leap + id_check_character(leap)) is None
