"""Text bound for a spreadsheet (CSV and XLSX downloads): what a spreadsheet would run as a
formula is defused, so a cell someone typed cannot run code on a reader's computer."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: str) -> str:
    """The text with a leading quote when it starts as a formula would (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
