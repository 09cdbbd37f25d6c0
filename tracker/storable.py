"""Text every engine can store: checked before anything heavier is imported, so the CLI can
refuse such an argument at once."""


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored on every engine, or None: NUL and lone surrogates.

    Everything else (any script, emoji, control characters, SQL-looking text) is kept
    exactly as typed; these two have no representation in PostgreSQL text or in UTF-8.
    """
    if "\x00" in text:
        return "contains the NUL character, which no database column can hold"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"is not valid Unicode text (lone surrogate U+{ord(text[error.start]):04X})"
    return None
