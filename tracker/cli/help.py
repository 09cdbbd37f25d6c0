"""Readable types in `--help`: `TEXT`, `INTEGER`, `[table|json|csv]`, and nothing after a flag.

Typer labels every parameter with its Python annotation (`<str>`, `<list[str]>`, `<int>`),
flags included (`--version <bool>`, though a flag takes no value). Click's names read better
and are what users of other command-line tools know. Typer builds the parameters itself, with
no hook to choose their class, so importing this module replaces the one method both of its
help layouts (rich panels and plain text) ask for the label: `display_type_rich`.
"""

import datetime as dt
import uuid
from enum import Enum
from typing import Any, get_args

from typer.core import TyperArgument, TyperOption

PATH_NAMES = {"file": "FILE", "dir": "DIRECTORY"}
CLICK_NAMES: dict[Any, str] = {
    str: "TEXT",
    int: "INTEGER",
    float: "FLOAT",
    bool: "BOOLEAN",
    uuid.UUID: "UUID",
    dt.datetime: "DATETIME",
}


def type_label(param: TyperArgument | TyperOption) -> str | None:
    """What follows a parameter's name in help: `None` for a flag (it takes no value), the
    option's own metavar when it declares one, else click's name for the type."""
    if isinstance(param, TyperOption):
        if param.is_flag or param.count:
            return None
        if param.metavar is not None:
            return param.metavar
    described = param.type_descriptor
    if described.is_choice:
        if not param.show_choices:
            return "CHOICE"
        return "[" + "|".join(_choice(choice) for choice in described.choices or ()) + "]"
    if described.is_path:
        return PATH_NAMES.get(described.path_type, "PATH")
    if described.is_datetime and described.parameter_info.formats:
        return "[" + "|".join(described.parameter_info.formats) + "]"
    annotation = described.annotation
    if described.is_list or described.is_tuple:
        label = " ".join(_name(arg) for arg in get_args(annotation))
    else:
        label = _name(annotation)
    return f"{label} RANGE" if described.is_ranged else label


def _choice(choice: Any) -> str:
    return str(choice.value) if isinstance(choice, Enum) else str(choice)


def _name(annotation: Any) -> str:
    if annotation in CLICK_NAMES:
        return CLICK_NAMES[annotation]
    return getattr(annotation, "__name__", str(annotation)).upper()


def _display_type_rich(self: TyperArgument | TyperOption, ctx: Any) -> str | None:
    return type_label(self)


TyperOption.display_type_rich = _display_type_rich  # type: ignore[method-assign]
TyperArgument.display_type_rich = _display_type_rich  # type: ignore[method-assign,assignment]
