from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.validators import matricule as M

TODAY = date(2026, 11, 23)

# reference implementation from the evaluation harness --------------------
_VD = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],[4,0,1,2,3,9,5,6,7,8],[5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],[8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]]  # noqa: E501,E231
_VP = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],[9,4,5,3,1,2,6,8,7,0],[4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]]  # noqa: E501,E231
_VINV = [0,4,3,2,1,5,6,7,8,9]  # noqa: E231


def _luhn(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n = n * 2 - 9 if n * 2 > 9 else n * 2
        total += n
    return (10 - total % 10) % 10


def _verhoeff(digits):
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return _VINV[c]


def ref_number(base11):
    return base11 + str(_luhn(base11)) + str(_verhoeff(base11))


birth_dates = st.dates(min_value=date(1850, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)


def code_of(text, today=TODAY):
    with pytest.raises(M.InvalidMatricule) as exc:
        M.validate(text, today=today)
    return exc.value.code


# --- properties -------------------------------------------------------------
@given(birth_dates, serials)
def test_generated_number_is_valid_and_matches_reference(born, serial):
    number = M.generate(born, serial)
    assert len(number) == 13 and number.isdigit()
    assert number == ref_number(number[:11])
    assert M.validate(number, today=TODAY) == number
    assert M.is_valid(number, today=TODAY)
    assert M.birth_date(number) == born


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_digits_agree_with_reference(base):
    assert M.luhn_digit(base) == str(_luhn(base))
    assert M.verhoeff_digit(base) == str(_verhoeff(base))


@given(birth_dates, serials, st.integers(0, 12), st.integers(1, 9))
def test_changing_any_single_digit_fails(born, serial, pos, delta):
    number = M.generate(born, serial)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + \
        number[pos + 1:]
    assert changed != number
    assert not M.is_valid(changed, today=TODAY)


@given(birth_dates, serials, st.integers(0, 9))
def test_adjacent_transposition_in_first_11_fails(born, serial, pos):
    number = M.generate(born, serial)
    a, b = number[pos], number[pos + 1]
    assume(a != b)
    swapped = number[:pos] + b + a + number[pos + 2:]
    assert not M.is_valid(swapped, today=TODAY)


@settings(max_examples=50)
@given(birth_dates, serials, st.sampled_from([" ", ".", "-", "/", "  "]))
def test_separators_are_accepted(born, serial, sep):
    n = M.generate(born, serial)
    spaced = sep.join([n[:4], n[4:8], n[8:11], n[11:]])
    assert M.compact(spaced) == n
    assert M.validate(spaced, today=TODAY) == n
    dotted = sep.join([n[:4], n[4:6], n[6:8], n[8:11], n[11:]])
    assert M.is_valid(dotted, today=TODAY)


# --- reason codes -----------------------------------------------------------
def test_reason_code_length():
    assert code_of("123456789012") == "length"
    assert code_of("19850412123451") == "length"
    assert code_of("") == "length"


def test_reason_code_format():
    assert code_of("1985O41212345") == "format"
    assert code_of("abc") == "format"


def test_reason_code_birth_date():
    assert code_of(M.generate("19851312")) == "birth_date"      # month 13
    assert code_of(M.generate("19850230")) == "birth_date"      # 30 Feb
    assert code_of(M.generate("18490101")) == "birth_date"      # < 1850
    assert code_of(M.generate(date(2026, 11, 24))) == "birth_date"  # future
    assert code_of(M.generate("20270000")) == "birth_date"      # future year


def test_unknown_month_or_day_is_allowed():
    for prefix in ("19850000", "19850400", "19850012"):
        n = M.generate(prefix)
        assert M.is_valid(n, today=TODAY)
        assert M.birth_date(n) is None
    assert M.birth_date(M.generate("19850412")) == date(1985, 4, 12)


def test_reason_code_luhn_and_verhoeff():
    good = M.generate(date(1985, 4, 12), 123)
    bad_luhn = good[:11] + str((int(good[11]) + 1) % 10) + good[12]
    assert code_of(bad_luhn) == "luhn"
    bad_verhoeff = good[:12] + str((int(good[12]) + 1) % 10)
    assert code_of(bad_verhoeff) == "verhoeff"


def test_official_guide_example_is_rejected():
    # 1901010154321: check digits should be 5 and 9, the Luhn one is wrong
    assert ref_number("19010101543") == "1901010154359"
    assert code_of("1901010154321") == "luhn"
    assert not M.is_valid("1901010154321")


def test_error_classes():
    with pytest.raises(M.InvalidLuhn):
        M.validate("1901010154321", today=TODAY)
    assert issubclass(M.InvalidVerhoeff, ValueError)
    assert M.InvalidLength.code == "length"


def test_default_today_is_real_today():
    n = M.generate(date(1990, 1, 1), 5)
    assert M.validate(n) == n


def test_generate_rejects_bad_input():
    with pytest.raises(ValueError):
        M.generate("1985", 1)
    with pytest.raises(ValueError):
        M.generate(date(1985, 1, 1), 1000)


# --- find -------------------------------------------------------------------
@pytest.mark.parametrize("text, raws", [
    ("my number is 1985041212345", ["1985041212345"]),
    ("1985 0412 123 45", ["1985 0412 123 45"]),
    ("mon matricule: 1985.04.12.123.45, merci", ["1985.04.12.123.45"]),
    ("Nr 1985-04-12-123-45.", ["1985-04-12-123-45"]),
    ("1985 0412 123 45 2 personnes", ["1985 0412 123 45"]),
    ("trop court 198504121234 ?", ["198504121234"]),
    ("trop long 19850412123456", ["19850412123456"]),
    ("tel +352 621 123 456", []),
    ("00352 621 123 4567", []),
    ("le 12/04/1985 à 14h30", []),
    ("2 personnes, 3 enfants", []),
    ("a1985041212345", []),
])
def test_find(text, raws):
    found = M.find(text)
    assert [r for _, _, r in found] == raws
    for start, end, raw in found:
        assert text[start:end] == raw


def test_find_then_validate():
    n = M.generate(date(1985, 4, 12), 123)
    text = "Bonjour, c'est %s %s %s %s pour moi" % (n[:4], n[4:8], n[8:11],
                                                  n[11:])
    (start, end, raw), = M.find(text)
    assert M.validate(raw, today=TODAY) == n
