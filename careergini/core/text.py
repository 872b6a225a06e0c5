"""Text that can be stored on every database: no NUL characters, no nulls where a value must be.

PostgreSQL refuses the NUL character (U+0000) in text and JSONB while SQLite stores it, so the
same request would be a 500 on one stack and kept on the other. The rule, the same everywhere:

- a NUL in a field a user sends (a JSON body) is a 422 that names the field (``NoNulModel``,
  the base of request bodies, or ``SafeText`` for one field);
- text read from an uploaded file is stored without its NULs (``strip_nul``): a file is not
  something the user can easily fix, and a NUL carries no meaning in a resume or a posting;
- ``null`` sent for an optional field that cannot be empty (a PATCH's title, a flag) is a 422
  that names the field (``NOT_NULL``): leave the field out to keep its value.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

NUL = "\x00"
NUL_MESSAGE = "contains a NUL character (\\u0000), which cannot be stored; remove it"

T = TypeVar("T")


def find_nul(value: Any, *, depth: int = 0) -> str | None:
    """Return where a NUL is in ``value`` ("" for the value itself, "[2].title" inside it)."""
    if depth > 64:  # deeper input is refused by the JSON limits before it gets here
        return None
    if isinstance(value, str):
        return "" if NUL in value else None
    if isinstance(value, BaseModel):
        items: Any = ((f".{k}", v) for k, v in value)
    elif isinstance(value, dict):
        items = (pair for k, v in value.items() for pair in ((f".{k}", k), (f".{k}", v)))
    elif isinstance(value, list | tuple | set | frozenset):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, inner in items:
        found = find_nul(inner, depth=depth + 1)
        if found is not None:
            return f"{where}{found}"
    return None


def refuse_nul(value: T) -> T:
    """Raise (a 422 in a request) when ``value`` holds a NUL character anywhere."""
    where = find_nul(value)
    if where is not None:
        raise ValueError(NUL_MESSAGE + (f" (at {where.lstrip('.')})" if where else ""))
    return value


def strip_nul(value: T) -> T:
    """Return ``value`` with every NUL character removed from its strings (dict keys too)."""
    return _strip(value, 0)


def _strip(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if depth > 256:
        return value
    if isinstance(value, dict):
        return {_strip(k, depth + 1): _strip(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(_strip(v, depth + 1) for v in value)
    return value


def _not_null(value: T | None) -> T:
    if value is None:
        raise ValueError("may not be null; leave the field out to keep its value")
    return value


class _NotNull:
    """For ``Annotated[X | None, NOT_NULL] = None``: optional (leave it out), never null.

    The published schema says so too: the field's type without ``null`` (its ``default: null``
    means "left out").
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_not_null, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        branches = json_schema.get("anyOf")
        if isinstance(branches, list):
            kept = [b for b in branches if b.get("type") != "null"]
            if len(kept) == 1:
                del json_schema["anyOf"]
                json_schema.update(kept[0])
            else:
                json_schema["anyOf"] = kept
        return json_schema


# A text field whose NUL is a 422 naming the field.
SafeText = Annotated[str, AfterValidator(refuse_nul)]
NOT_NULL = _NotNull()


class NoNulModel(BaseModel):
    """A request body whose every field refuses NUL characters (a 422 naming the field).

    The check covers nested lists, dicts and models, so a body built from plain models is
    covered by deriving its outer model from this one.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return refuse_nul(value)
