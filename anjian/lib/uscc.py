"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, Z, S, V); the 18th is a check character
computed from the first 17 with weights 3^(i-1) mod 31.
"""

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


class USCCError(ValueError):
    """A USCC that is not well formed; the message says what is wrong."""


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(raw: str) -> str:
    """Upper-case and strip the spaces people type inside codes."""
    return "".join(raw.split()).upper()


def validate(raw: str) -> str:
    """Return the normalized code, or raise USCCError naming the problem."""
    code = normalize(raw)
    if len(code) != 18:
        raise USCCError(
            _("A unified social credit code has 18 characters, not %(n)d.") % {"n": len(code)}
        )
    for pos, c in enumerate(code, start=1):
        if c not in _VALUE:
            raise USCCError(
                _(
                    "The character “%(c)s” at position %(pos)d is not allowed "
                    "(no I, O, Z, S, V or symbols)."
                )
                % {"c": c, "pos": pos}
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            _("Wrong check character: the 18th should be “%(expected)s”, not “%(actual)s”.")
            % {"expected": expected, "actual": code[17]}
        )
    return code


def complete(first17: str) -> str:
    """Append the check character: used to make valid demo codes."""
    return first17 + check_character(first17)
