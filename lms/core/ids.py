"""Ids read from posted forms, which a stale or tampered form can make anything."""

# Every table's id is a 64-bit integer (BigAutoField).
MAX_ID = 2**63 - 1


def parse_id(value):
    """The id ``value`` spells, or None for anything that cannot be a row's id: blank, not ASCII
    digits ("²" passes ``str.isdigit()`` but not ``int()``), or beyond a 64-bit id (SQLite
    refuses such numbers, and ``int()`` refuses strings over 4,300 digits)."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if number <= MAX_ID else None
