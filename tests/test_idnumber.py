"""As a training officer I want ID numbers checked the way the public-security system checks them,
so a typo in a roster is caught before it reaches a certificate."""

from __future__ import annotations

import datetime as dt

import pytest

from trainer import idnumber
from trainer.idnumber import IdNumberError

# A published specimen (GB 11643 examples): check character X, born 1949-12-31, female.
SPECIMEN_X = "11010519491231002X"


def test_a_valid_number_gives_birth_date_gender_and_area() -> None:
    info = idnumber.parse(SPECIMEN_X)
    assert info.number == SPECIMEN_X
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"
    assert info.area_code == "110105"


def test_a_lower_case_x_is_accepted_and_stored_upper_case() -> None:
    assert idnumber.normalize(SPECIMEN_X.lower()) == SPECIMEN_X
    assert idnumber.parse(SPECIMEN_X.lower()).number == SPECIMEN_X


def test_full_width_characters_from_a_chinese_input_method_are_read_as_ascii() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in SPECIMEN_X)  # １１０１…Ｘ
    assert idnumber.parse(full_width).number == SPECIMEN_X
    assert idnumber.parse(full_width.lower()).number == SPECIMEN_X


def test_spaces_around_and_inside_are_dropped() -> None:
    assert idnumber.parse(f" {SPECIMEN_X[:6]} {SPECIMEN_X[6:14]} {SPECIMEN_X[14:]} ").number == SPECIMEN_X


@pytest.mark.parametrize("gender", ["男", "女"])
def test_numbers_made_for_the_demo_are_valid_and_carry_the_gender(gender: str) -> None:
    for seq in range(0, 500, 7):
        number = idnumber.make("410402", dt.date(1990, 2, 28), seq, gender)
        info = idnumber.parse(number)
        assert info.gender == gender
        assert info.birth_date == dt.date(1990, 2, 28)


def test_gender_comes_from_the_17th_digit() -> None:
    body_odd = "41040219900101123"  # 17th digit 3: male
    body_even = "41040219900101124"  # 17th digit 4: female
    assert idnumber.parse(body_odd + idnumber.mod11_2(body_odd)).gender == "男"
    assert idnumber.parse(body_even + idnumber.mod11_2(body_even)).gender == "女"


@pytest.mark.parametrize(("raw", "message"), [
    ("41040219900101123", "应为18位，实际为17位"),
    ("4104021990010112345", "应为18位，实际为19位"),
    ("", "应为18位，实际为0位"),
])
def test_wrong_length_is_refused(raw: str, message: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        idnumber.parse(raw)
    assert str(exc.value) == message


@pytest.mark.parametrize("raw", [
    "41040219900101A234", "4104021990010112Y4", "41040219900101123Y", "41040219900101-234",
    "٤10402199001011234",  # an Arabic-Indic digit: str.isdigit() says yes, an ID number says no
])
def test_letters_or_other_characters_are_refused(raw: str) -> None:
    with pytest.raises(IdNumberError) as exc:
        idnumber.parse(raw)
    assert str(exc.value) == "含有非法字符（前17位应为数字，末位为数字或X）"


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990100", "20230229"])
def test_an_impossible_birth_date_is_refused_even_with_a_correct_check_character(birth: str) -> None:
    body = "410402" + birth + "123"
    with pytest.raises(IdNumberError) as exc:
        idnumber.parse(body + idnumber.mod11_2(body))
    assert str(exc.value) == f"出生日期{birth}不存在"


def test_a_birth_date_in_the_future_or_before_1900_is_refused() -> None:
    for birth in ((dt.date.today() + dt.timedelta(days=1)).strftime("%Y%m%d"), "18991231"):
        body = "410402" + birth + "123"
        with pytest.raises(IdNumberError, match="不合理"):
            idnumber.parse(body + idnumber.mod11_2(body))


def test_29_february_of_a_leap_year_is_a_real_birthday() -> None:
    body = "41040220000229123"
    assert idnumber.parse(body + idnumber.mod11_2(body)).birth_date == dt.date(2000, 2, 29)


def test_every_wrong_check_character_is_refused() -> None:
    body = SPECIMEN_X[:17]
    for wrong in "0123456789":
        with pytest.raises(IdNumberError) as exc:
            idnumber.parse(body + wrong)
        assert str(exc.value) == "校验位错误"


def test_mod11_2_is_iso_7064() -> None:
    # The certificate-number example of issue 5: PDS2021JY00012 + check over the nine digits 202100012.
    assert idnumber.mod11_2("202100012") == "2"
    assert "PDS2021JY00012" + idnumber.mod11_2("202100012") == "PDS2021JY000122"
    # The GB 11643 specimen ends in X: the check value 10.
    assert idnumber.mod11_2(SPECIMEN_X[:17]) == "X"
    # Defining property of ISO 7064 MOD 11-2: digits and check weighted by 2^(position from right) ≡ 1 (mod 11).
    for digits in ("0", "7", "202100012", "11010519491231002", "41040219900101123", "123456789012345678901"):
        check = idnumber.mod11_2(digits)
        value = 10 if check == "X" else int(check)
        n = len(digits)
        total = sum(int(d) * pow(2, n - i, 11) for i, d in enumerate(digits)) + value
        assert total % 11 == 1, digits


def test_an_id_saved_by_excel_as_a_number_is_refused_with_a_clear_reason() -> None:
    # Excel keeps 15 significant digits: 410402199001011234 comes back as 410402199001011000 (a float here).
    for raw in (410402199001011234.0, 4.10402199001011e17, "4.10402E+17", "4.10402199001011e+17"):
        with pytest.raises(IdNumberError) as exc:
            idnumber.parse(raw)
        assert str(exc.value) == "以数字形式保存，末位已丢失，请将该列设为文本后重新录入", raw


def test_an_exact_integer_is_accepted() -> None:
    body = "41040219900101123"
    number = body + idnumber.mod11_2(body)
    assert number[-1].isdigit()
    assert idnumber.parse(int(number)).number == number


def test_normalize_treats_empty_cells_as_empty() -> None:
    assert idnumber.normalize(None) == ""
    assert idnumber.normalize(float("nan")) == ""
    assert idnumber.normalize("  ") == ""


def test_mask_shows_the_first_six_and_the_last_four() -> None:
    assert idnumber.mask(SPECIMEN_X) == "110105********002X"
    assert idnumber.mask("12345") == "12345"  # not an ID number: left alone
