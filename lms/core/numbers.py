"""Per cents as the board reports write them: whole numbers, rounded half up."""

from decimal import ROUND_HALF_UP, Decimal


def per_cent(count: int, base: int) -> int | None:
    """A whole per cent, rounded half up (as people round); None when there is no base."""
    if not base:
        return None
    return int((Decimal(100 * count) / Decimal(base)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
