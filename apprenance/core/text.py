import unicodedata


def fold(text: str) -> str:
    """Lower-case text without accents, so that « élodie » and « Elodie » compare equal everywhere."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.replace("’", "'").casefold()
