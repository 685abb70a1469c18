"""The file rules of matcher/rules.py (issue 12): each says the same thing in both languages (the
same fields to fill in), says why it exists, and is found by its key among all the rules."""

from __future__ import annotations

import string

import pytest

from matcher.rules import FILES, RULES


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("entry", FILES, ids=lambda r: r.key)
def test_both_languages_fill_the_same_fields(entry):
    assert entry.indonesian and entry.english and entry.why
    assert entry.indonesian != entry.english
    assert _fields(entry.indonesian) == _fields(entry.english)
    assert entry.pasal == "" or entry.pasal.startswith("Pasal 85(")
    message = entry.say(**{name: "X" for name in _fields(entry.indonesian)})
    assert "{" not in message.text("id") and "{" not in message.text("en")
    assert RULES[entry.key] is entry
