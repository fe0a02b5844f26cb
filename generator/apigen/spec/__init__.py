"""The spec stage: a spec file or URL in, one checked OpenAPI 3.x document out.

Modules, in the order a spec goes through them:
- `fetch`: a spec given as an http(s) URL, mirrored with the files its relative `$ref`s reach;
- `parse`: bytes -> text -> JSON or YAML data (JSON-types-only YAML, alias bombs refused);
- `refs`: the `$ref` walk (where `$ref` is a keyword, not a name or data), `canonical_ref`;
- `bundle`: relative external `$ref`s bundled into the root document, then the ref check;
- `dangling`: a `$ref` with a missing target degraded to an untyped stand-in where one fits;
- `swagger2`: Swagger 2.0 upgraded to OpenAPI 3.0.3;
- `load`: `LoadedSpec` and `load_spec`, the entry point running the steps above;
- `validate`: the validation verdict (cached, in a second process), classified and located;
  `validate_fast` finds the errors (the default), `validate_full` is openapi-spec-validator,
  the oracle it is tested against;
- `pointer`: JSON pointers (the one module; the IR, sandbox and contract runner use it too);
- `locate`: JSON pointer -> line in the source text, for diagnostics.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import SpecError

if TYPE_CHECKING:
    from .fetch import FetchedSpec, fetch_spec
    from .load import LoadedSpec, load_spec
    from .parse import parse_document
    from .validate import validate_in_background, validate_spec

__all__ = [
    "FetchedSpec",
    "LoadedSpec",
    "SpecError",
    "fetch_spec",
    "is_url",
    "load_spec",
    "parse_document",
    "validate_in_background",
    "validate_spec",
]

# Entry point -> the module holding it, imported on first use: importing `apigen.spec.pointer`
# alone (the IR, the contract runner: every `apigen` command at start-up) must not pull in
# YAML, the loader and the validators (~60 ms).
_HOME = {
    "FetchedSpec": "fetch",
    "fetch_spec": "fetch",
    "LoadedSpec": "load",
    "load_spec": "load",
    "parse_document": "parse",
    "validate_in_background": "validate",
    "validate_spec": "validate",
}

_URL = re.compile(r"https?://", re.IGNORECASE)


def is_url(text: str | Path) -> bool:
    """A spec given as an http(s) URL (fetched, spec/fetch.py) rather than a file path."""
    return isinstance(text, str) and _URL.match(text) is not None


if not TYPE_CHECKING:  # type checkers see the imports above, so a misspelt name still fails

    def __getattr__(name: str) -> Any:
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{home}", __name__), name)
        globals()[name] = value
        return value
