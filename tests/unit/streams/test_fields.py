"""Field readers' refusals: JSON's words for types, values quoted short."""
import pytest

from streams.exceptions import InvalidEvent
from streams.fields import decimal_value, json_kind, shown, text, whole_number


def reason(read, *args) -> str:
    with pytest.raises(InvalidEvent) as caught:
        read(*args)
    return caught.value.reason


@pytest.mark.parametrize("value, kind", [(None, "null"), (True, "true"), (False, "false"), (1.5, "a number"),
                                         (3, "a number"), ("x", "a string"), ([1], "an array"), ({}, "an object")])
def test_json_kind_names_a_decoded_value_by_its_json_type(value, kind):
    assert json_kind(value) == kind


@pytest.mark.parametrize("value, kind", [(None, "null"), ([1], "an array"), ({"a": 1}, "an object")])
def test_a_decimal_of_the_wrong_type_is_refused_in_json_words(value, kind):
    assert reason(decimal_value, value, "tiers[0].rate") == f"must be a decimal string or number, got {kind}"


@pytest.mark.parametrize("value, quoted", [(1.5, "1.5"), (True, "true"), ([], "[]"), ({"a": None}, '{"a":null}')])
def test_a_text_of_the_wrong_type_is_quoted_as_json(value, quoted):
    assert reason(text, {"rep_id": value}, "rep_id") == f"must be a non-empty string, got {quoted}"


def test_a_long_refused_value_is_quoted_short():
    assert shown("1" * 600_000 + "x") == repr("1" * 600_000)[:60] + "…"
    assert len(reason(decimal_value, "9" * 600_000 + "x", "amount")) < 120


@pytest.mark.parametrize("value", [1.5, -1, 10 ** 15, True])
def test_a_whole_number_is_from_0_to_15_digits(value):
    assert "must be a whole number from 0 to 15 digits" in reason(whole_number, {"duration_s": value}, "duration_s")


def test_a_whole_number_of_15_digits_is_read():
    assert whole_number({"duration_s": 10 ** 15 - 1}, "duration_s") == 999_999_999_999_999


def test_a_text_with_a_combining_accent_is_read_as_the_same_name_with_the_precomposed_letter():
    decomposed = "Jose\u0301"  # e + COMBINING ACUTE ACCENT: prints as José
    assert text({"rep_id": decomposed}, "rep_id") == "Jos\u00e9"
