"""The media type a parameter's `content` is sent in, read alike by the IR, the sandbox and the
contract check.

OpenAPI allows one entry in a parameter's `content`; a spec listing several (dcg's
`multipleMediaFilter`: `application/xml`, then `application/json`) gets its JSON entry, the one
the runtime can encode data in, else its first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["is_json_media", "parameter_media"]

_JSON = re.compile(r"^application/([\w.+-]*\+)?json(;.*)?$", re.IGNORECASE)


def is_json_media(media_type: str) -> bool:
    return _JSON.match(media_type.strip()) is not None


def parameter_media(content: Mapping[str, Any]) -> tuple[str, Any] | None:
    """(media type, media object) of a parameter's non-empty `content`, else None."""
    if not content:
        return None
    entries = [(str(media), obj) for media, obj in content.items()]
    return next((entry for entry in entries if is_json_media(entry[0])), entries[0])
