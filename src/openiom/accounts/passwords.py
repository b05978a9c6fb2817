"""Password rules after the NCSC's guidance: length over complexity, no forced expiry, block the
passwords attackers try first.

Django's validators (settings.AUTH_PASSWORD_VALIDATORS) give the minimum length (12) and the
list of 20,000 common passwords. `GuessablePasswordValidator` adds what those miss: a common
password dressed up with capitals, digit or symbol substitutions and a number or symbol on the
end ("Password2024!", "P@ssw0rd1234"), runs of one character, keyboard and alphabet sequences,
and the name of the service. There are no composition rules and no expiry, and nothing stops
pasting from a password manager.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

_SUBSTITUTIONS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_SERVICE_WORDS = ("openiom", "integratedoffendermanagement")


class GuessablePasswordValidator:
    """Refuse passwords that are easy to guess however long they look."""

    def __init__(self) -> None:
        self._common: set[str] = set(CommonPasswordValidator().passwords)

    def _cores(self, password: str) -> set[str]:
        lowered = password.lower()
        trimmed = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)  # "2024Password!!" -> "password"
        return {lowered, trimmed, trimmed.translate(_SUBSTITUTIONS), lowered.translate(_SUBSTITUTIONS)}

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        squashed = re.sub(r"[\W_]+", "", lowered)
        if len(set(lowered)) <= 3 or re.fullmatch(r"(.{1,8}?)\1+", lowered):
            raise ValidationError("This password repeats too few characters. Try three random words.", "guessable")
        for sequence in _SEQUENCES:
            if len(squashed) >= 6 and (squashed in sequence * 3 or squashed in (sequence * 3)[::-1]):
                raise ValidationError("This password is a keyboard or alphabet sequence.", "guessable")
        if any(word in squashed.translate(_SUBSTITUTIONS) for word in _SERVICE_WORDS):
            raise ValidationError("This password contains the name of the service.", "guessable")
        for core in self._cores(password):
            if core in self._common:
                raise ValidationError(
                    "This password is a common password with small changes. Try three random words.", "guessable"
                )

    def get_help_text(self) -> str:
        return "Your password cannot be a common password with small changes, a sequence or the name of the service."
