"""What a generated client is published as: distribution name, version, licence, runtime mode.

The defaults and their trade-offs are docs/decisions.md "Distribution names and runtime
delivery". The checks raise `OptionError` (a usage error: exit 2 in the CLI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DEFAULT_RUNTIME",
    "FALLBACK_VERSION",
    "RUNTIME_MODES",
    "Distribution",
    "OptionError",
    "RuntimeMode",
    "check_dist_name",
    "check_version",
    "default_dist_name",
    "default_version",
    "is_spdx",
    "spec_license",
]

RuntimeMode = Literal["vendored", "shared"]
RUNTIME_MODES: tuple[RuntimeMode, ...] = ("vendored", "shared")
DEFAULT_RUNTIME: RuntimeMode = "vendored"
FALLBACK_VERSION = "0.1.0"
SUFFIX = "-apigen-client"

# PEP 508 names (https://packaging.python.org/en/latest/specifications/name-normalization/)
_NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)  # fullmatch


class OptionError(ValueError):
    """A build option (package or distribution name, version, runtime mode) is invalid."""


@dataclass(frozen=True)
class Distribution:
    """The generated pyproject.toml's identity and how the runtime reaches the client."""

    name: str
    version: str
    runtime: RuntimeMode = DEFAULT_RUNTIME
    license: str | None = None  # an SPDX expression, or free text (`license = {text = ...}`)


def default_dist_name(package: str) -> str:
    """`stripe` -> `stripe-apigen-client` (a trailing `_client` is not repeated)."""
    base = _normalized(package)
    return (base.removesuffix("-client") or base) + SUFFIX


def _normalized(name: str) -> str:
    """PEP 503's normalised name (`packaging.utils.canonicalize_name`, whose module imports
    `packaging.tags`: 10 ms of every build and of every cache hit)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def check_dist_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise OptionError(
            f"invalid distribution name {name!r}: letters, digits, '.', '-' and '_', "
            "starting and ending with a letter or digit (PEP 508)"
        )
    if _normalized(name) in _DEPENDENCIES:
        # installed, the client would replace (or be replaced by) that distribution: `pip
        # install` of `--dist-name httpx` uninstalls httpx (helper 213)
        raise OptionError(
            f"distribution name {name!r} is that of a package the client depends on (or of the"
            " installer's own): installing the client would replace it; pick another"
        )
    return name


# Distributions a generated client depends on, or installers need, as PEP 503 names.
_DEPENDENCIES = frozenset(
    {
        *("apigen", "apigen-runtime", "httpx", "pydantic", "pydantic-core", "typing-extensions"),
        *("httpcore", "h11", "anyio", "sniffio", "idna", "certifi", "annotated-types"),
        *("typing-inspection", "redis", "opentelemetry-api", "pip", "setuptools", "wheel"),
        *("httpx-aiohttp", "aiohttp", "hatchling"),  # the `fast` extra; the build backend
    }
)


def default_version(spec_version: str) -> str:
    """The spec's `info.version` when it is a PEP 440 version, else 0.1.0."""
    # packaging is imported where it is used: a build served from the cache needs none of it
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(spec_version.strip()))
    except InvalidVersion:
        return FALLBACK_VERSION


def check_version(version: str) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(version))
    except InvalidVersion:
        raise OptionError(f"invalid package version {version!r} (PEP 440, e.g. 1.2.0)") from None


def spec_license(document: dict[str, Any]) -> str | None:
    """`info.license`: its 3.1 SPDX `identifier` when that is one, else its `name`, canonical
    when an SPDX expression (`MIT`), else as written (`name: Apache 2.0` beside `identifier:
    Apache-2.0` gave the free text: helper 176)."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    info = document.get("info")
    lic = info.get("license") if isinstance(info, dict) else None
    if not isinstance(lic, dict):
        return None
    identifier = lic.get("identifier")
    if isinstance(identifier, str) and identifier.strip():
        try:
            return str(canonicalize_license_expression(identifier.strip()))
        except InvalidLicenseExpression:
            pass  # not SPDX after all: the name says it
    name = lic.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return str(canonicalize_license_expression(name.strip()))
    except InvalidLicenseExpression:
        return " ".join(name.split())[:200]


def is_spdx(expression: str) -> bool:
    """Whether `expression` is a canonical SPDX licence expression (`license = "MIT"`)."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return str(canonicalize_license_expression(expression)) == expression
    except InvalidLicenseExpression:
        return False
