"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, Z, S, V); the 18th is a check character
computed from the first 17 with weights 3^(i-1) mod 31.
"""

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
        raise USCCError(f"统一社会信用代码应为18位，实际为{len(code)}位 (must be 18 characters)")
    for pos, c in enumerate(code, start=1):
        if c not in _VALUE:
            raise USCCError(
                f"第{pos}位字符“{c}”不允许（不得含 I、O、Z、S、V 或符号）"
                f" (character {c!r} at position {pos} is not allowed)"
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            f"校验位错误：第18位应为“{expected}”，实际为“{code[17]}”"
            f" (check character should be {expected!r}, not {code[17]!r})"
        )
    return code


def complete(first17: str) -> str:
    """Append the check character: used to make valid demo codes."""
    return first17 + check_character(first17)
