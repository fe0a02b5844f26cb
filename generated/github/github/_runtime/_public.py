"""Public classes shown as living in the package (`apigen_runtime.SyncPage`, or
`<package>._runtime.SyncPage` when vendored), like httpx does: reprs and tracebacks name what
users import. Modules loaded on first use call it themselves when they are imported."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def publish(names: Iterable[str], namespace: Mapping[str, object], package: str) -> None:
    for name in names:
        obj = namespace.get(name)
        module = getattr(obj, "__module__", "")
        # (not `Model`: pydantic resolves its annotations in the module it was defined in)
        if (
            isinstance(obj, type)
            and module.startswith(f"{package}._")
            and module != f"{package}._models"
        ):
            obj.__module__ = package
