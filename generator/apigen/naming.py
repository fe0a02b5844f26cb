"""Turning spec text into Python identifiers.

Every name in generated code passes through here, so a spec cannot inject code through a name:
the output is always `[A-Za-z_][A-Za-z0-9_]*`, never a keyword, never one of the names generated
code relies on. Collisions are settled with qualifiers that say something, never with counters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .python_names import BUILTINS, KEYWORDS, SOFT_KEYWORDS

_SYMBOLS = {
    "+": "plus",
    "-": "minus",
    "*": "star",
    "@": "at",
    "$": "dollar",
    "#": "hash",
    "%": "percent",
    "&": "and",
    "=": "eq",
    "<": "lt",
    ">": "gt",
    "!": "not",
    "~": "tilde",
    "^": "caret",
    "|": "or",
    "/": "slash",
    ".": "dot",
    ":": "colon",
    "?": "question",
}

# The generated client's own keyword arguments (templates/client.py.jinja: its constructor's and
# `copy()`'s), which a server variable (`timeout` -> `timeout_variable`) or a configured
# credential may not take; tests/e2e/test_server_variables.py checks this list against a
# generated client's signatures.
CLIENT_KEYWORDS = frozenset(
    {
        "self",
        "base_url",
        "timeout",
        "max_retries",
        "http_client",
        "default_headers",
        "default_query",
        "retry",
        "deadline",
        "rate_limit",
        "circuit_breaker",
        "hooks",
        "rate_warning",
        "idempotency_header",
        "retry_count_header",
        "max_response_bytes",
        "max_stream_reconnects",
        "allow_insecure_credentials",
        "strict_response_validation",
        "cache",
        "set_default_headers",  # copy()'s, beside the constructor's
        "set_default_query",
    }
)

_WORD_SPLIT = re.compile(r"[^0-9a-zA-Z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Names a generated model field may not take: keywords, the builtins generated annotations use,
# and everything pydantic's BaseModel defines (`model_config`, `json`, `schema`, `copy`, ...).
_FIELD_RESERVED: frozenset[str] = frozenset(
    KEYWORDS
    | SOFT_KEYWORDS
    | {"str", "int", "float", "bool", "bytes", "list", "dict"}
    | {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "copy",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
        "register",
        # the runtime's `Model` (openai-python's names)
        "to_dict",
        "to_json",
    }
)

# Names a method keyword argument may not take (besides keywords): the method's own plumbing.
_PARAM_RESERVED: frozenset[str] = frozenset(
    KEYWORDS
    | {"self", "cls", "request_options"}
    | {  # the per-call options every method takes (runtime's `request_options`)
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "idempotency_key",
        "deadline",
        "retry_count_header",
    }
)

# Class names that would shadow what generated modules import or define.
CLASS_RESERVED: frozenset[str] = frozenset(
    KEYWORDS
    | BUILTINS
    | {
        "Any",
        "Literal",
        "TypeAlias",
        "Union",
        "Optional",
        "Field",
        "Annotated",
        "Discriminator",
        "Tag",
        "TypedDict",
        "Required",
        "Mapping",
        "Sequence",
        "Callable",
        "Self",  # `_client.py`'s `with_options() -> Self` (Mist's `Self` tag)
        "TypeAliasType",
        "Iterator",
        "Model",
        "BaseModel",
        "NotGiven",
        "SequenceNotStr",
        "RequestOptions",
        "TYPE_CHECKING",
        "Client",
        "AsyncClient",
        # `_client.py` imports its wrappers by these names: a tag `client_with_raw_response`
        # made a resource class of that name, which type checkers then took for the wrapper
        "ClientWithRawResponse",
        "ClientWithStreamingResponse",
        "AsyncClientWithRawResponse",
        "AsyncClientWithStreamingResponse",
        # what generated modules that import models define themselves (webhooks.py's
        # registry, _exceptions.py's map, the runtime shim's pin): a schema named `WEBHOOKS`
        # redefined the registry for type checkers
        "WEBHOOKS",
        "ERRORS",
        "REQUIREMENT",
    }
)


# Names repeat across a spec (the same property in hundreds of schemas): the pure functions
# below are memoized, bounded so a long-lived process cannot grow without limit.
_memo = lru_cache(maxsize=1 << 16)


def _ascii_words(text: str) -> list[str]:
    """Split free text into ASCII words, spelling out symbols that carry meaning."""
    if text.isascii():  # the common case: nothing to normalize, every letter is a word letter
        out = [chunk for chunk in _WORD_SPLIT.split(text) if chunk]
    else:
        out = _unicode_chunks(text)
    words: list[str] = []
    for chunk in out:
        words.extend(w for w in _CAMEL.split(chunk) if w)
    return words


def _unicode_chunks(text: str) -> list[str]:
    """`_ascii_words`' chunks of non-ASCII text: accents dropped, other letters spelled `uXXXX`."""
    text = unicodedata.normalize("NFKD", text)
    out: list[str] = []
    buf: list[str] = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            buf.append(ch)
            continue
        if unicodedata.combining(ch):
            continue  # accents: "ü" reads as "u"
        if buf:
            out.append("".join(buf))
            buf = []
        if not ch.isascii() and ch.isalnum():
            out.append(f"u{ord(ch):04x}")
    if buf:
        out.append("".join(buf))
    return out


def _leading_symbol(text: str) -> str | None:
    stripped = text.strip()
    if stripped and stripped[0] in "+-" and len(stripped) > 1 and stripped[1:2].isalnum():
        return _SYMBOLS[stripped[0]]
    return None


def words(text: str) -> list[str]:
    """Words of a name, with a meaningful sign kept (`+1` -> plus 1, `-created` -> minus created)."""
    return list(_words(text))


@_memo
def _words(text: str) -> tuple[str, ...]:
    ws = _ascii_words(text)
    sign = _leading_symbol(text)
    if sign is not None:
        ws.insert(0, sign)
    if not ws:
        symbols = [_SYMBOLS[c] for c in text if c in _SYMBOLS]
        ws = symbols or ["value"]
    return tuple(ws)


# Mixed-case words that are one word (`OAuth`, `IPv6`, `iOS`) and plural acronyms (`URLs`,
# `IDs`), spelled so the camel-case split keeps each whole: `get_oauth_token`, not
# `get_o_auth_token`; `list_urls`, not `list_ur_ls`. (snake only: class names keep `OAuthApp`.)
_ONE_WORD = re.compile(
    r"OAuth|IPv[46]|(?<![A-Za-z])iOS|macOS|tvOS|watchOS|(?<=[A-Z]{2})s(?=[A-Z0-9_]|$)"
)


def _one_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return "S" if word == "s" else word[:1].upper() + word[1:].lower()


@_memo
def snake(text: str) -> str:
    """snake_case identifier (may still be a keyword; callers add their own suffix rules)."""
    if text.isascii() and any(c.isupper() for c in text):
        text = _ONE_WORD.sub(_one_word, text)
    name = "_".join(w.lower() for w in _words(text))
    if name[0].isdigit():
        name = "n" + name
    return name


@_memo
def pascal(text: str) -> str:
    """PascalCase identifier; a leading digit gets a letter prefix."""
    parts = _words(text)
    name = "".join(w[:1].upper() + w[1:] for w in parts)
    if name[0].isdigit():
        name = "N" + name
    return name


@_memo
def field_name(wire: str) -> str:
    """Attribute name for a model field (its alias keeps the wire name)."""
    name = snake(wire).lstrip("_") or "value"
    if name[0].isdigit():
        name = "n" + name
    if name in _FIELD_RESERVED:
        name += "_"
    return name


# A comparison a query parameter's name ends with (Twilio's `StartTime<`, `StartTime>` beside
# `StartTime`): spelled as the bracketed filters are (`created[lt]` -> `created_lt`).
_COMPARISON = re.compile(r"(?<=[0-9A-Za-z])(<=|>=|<|>)$")
_COMPARED = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}


@_memo
def param_name(wire: str) -> str:
    """Keyword argument name for a method parameter."""
    compared = _COMPARISON.search(wire) if wire.count("<") + wire.count(">") == 1 else None
    if compared is not None:
        wire = f"{wire[: compared.start()]}_{_COMPARED[compared.group(1)]}"
    name = snake(wire).lstrip("_") or "value"
    if name[0].isdigit():
        name = "n" + name
    if name in _PARAM_RESERVED:
        name += "_"
    return name


def class_name(text: str, *, suffix: str = "Model") -> str:
    """Class name from a schema name or a path of words; shadows nothing generated code uses."""
    name = pascal(text)
    if name in CLASS_RESERVED:
        name += suffix
    return name


def spelled(wire: str) -> str:
    """A second, more literal spelling of a name, used when two wire names sanitise alike."""
    out: list[str] = []
    for ch in wire:
        if ch.isascii() and ch.isalnum():
            out.append(ch.lower() if not ch.isupper() else "_" + ch.lower())
        elif ch in _SYMBOLS:
            out.append(f"_{_SYMBOLS[ch]}_")
        elif ch == "_":
            out.append("_underscore_")
        else:
            out.append(f"_u{ord(ch):04x}_")
    name = re.sub(r"_+", "_", "".join(out)).strip("_") or "value"
    if name[0].isdigit():
        name = "n" + name
    return name


def unique_names(wires: list[str]) -> dict[str, str]:
    """Map each wire name to a distinct field name; exact spellings win, others get `spelled`."""
    first = {w: field_name(w) for w in wires}
    if len(first) == len(wires) and len(set(first.values())) == len(first):
        return first  # no two spell alike (nearly every model): nothing to decide
    result: dict[str, str] = {}
    taken: set[str] = set()
    position: dict[str, int] = {}
    for i, w in enumerate(wires):
        position.setdefault(w, i)
    # A wire name that already is its Python spelling keeps it; the others yield.
    order = sorted(wires, key=lambda w: (first[w] != w, position[w]))
    for wire in order:
        candidate = first[wire]
        if candidate in taken:
            candidate = field_name(spelled(wire))
        while candidate in taken:
            candidate += "_alt"
        taken.add(candidate)
        result[wire] = candidate
    return result


# Names Windows reserves for devices, with any extension (`con.py` cannot be created there:
# a package holding one cannot be checked out or installed on Windows)
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
)


_PACKAGE_FOLDERS = frozenset({"client", "types", "models", "resources"})


def module_name(text: str) -> str:
    """A module file name (snake case, not a keyword, never starting with an underscore, not a
    name Windows reserves)."""
    name = snake(text).strip("_")[:80].rstrip("_") or "module"
    if name in KEYWORDS or name in _WINDOWS_DEVICES or name in _PACKAGE_FOLDERS:
        name += "_"
    return name


def env_prefix(package: str) -> str:
    return snake(package).upper()
