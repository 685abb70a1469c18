"""matcher/rules.py: every entry says the same thing in both languages (the same fields to fill
in), has a reason to exist, and is found by its key."""

from __future__ import annotations

import string

import pytest

from matcher.rules import RULES, number, rule, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("entry", RULES, ids=lambda r: r.key)
def test_both_languages_fill_the_same_fields(entry):
    assert entry.id and entry.en and entry.why and entry.id != entry.en
    assert _fields(entry.id) == _fields(entry.en)
    assert entry.pasal == "" or entry.pasal.startswith("Pasal 85(")
    filled = {name: "X" for name in _fields(entry.id)}
    assert "{" not in text(entry.key, "id", **filled) and "{" not in text(entry.key, "en", **filled)


def test_keys_are_unique_and_looked_up():
    assert len({r.key for r in RULES}) == len(RULES)
    assert rule("file.missing_columns").en.startswith("required column")


def test_counts_are_written_as_each_language_writes_them():
    assert (number(2980, "id"), number(2980, "en"), number(12)) == ("2.980", "2,980", "12")
