"""Money is integer öre everywhere; Decimal only on the way in (rates) and out (files)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ORE = 100


def round_kronor(amount_kr: Decimal) -> int:
    """Whole kronor, half up, returned as öre: 1066.40 kr -> 106600."""
    return int(Decimal(amount_kr).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * ORE


def to_decimal(ore: int) -> Decimal:
    return (Decimal(ore) / ORE).quantize(Decimal("0.01"))


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return "\u00a0".join(out)


def format_kr(ore: int) -> str:
    """Swedish style with a non-breaking space: 180000 -> '1 800 kr', 12350 -> '123,50 kr'."""
    sign = "−" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), ORE)
    text = _group(str(kronor))
    if rest:
        text += f",{rest:02d}"
    return f"{sign}{text}\u00a0kr"


def format_number(value: Decimal) -> str:
    """A quantity the Swedish way: 3.50 -> '3,5', 4.00 -> '4'."""
    value = Decimal(value).normalize()
    text = format(value, "f")
    return text.replace(".", ",")


def file_amount(ore: int) -> str:
    """An amount in a payroll file: 1800,00 (decimal comma, no grouping)."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), ORE)
    return f"{sign}{kronor},{rest:02d}"


def sie_amount(ore: int) -> str:
    """An amount in SIE: 1800.00 (decimal point)."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), ORE)
    return f"{sign}{kronor}.{rest:02d}"
