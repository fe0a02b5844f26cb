"""Problems found in a spec, carried as values so every stage can report and go on.

A `Diagnostic` always names the file and the JSON pointer (and the line where known) so a user
can find the problem; `SpecError` is raised only when no correct client can be produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# Characters a terminal acts on (C0 and C1 controls, ESC sequences with them, DEL) or that
# reorder the line (bidi controls): a spec's key holding them must not recolour the terminal,
# set its title, or print a fake "x.yaml: ok" line after a newline.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on spelt as an escape (`\\x1b`)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in a spec, and what apigen did about it."""

    file: str
    pointer: str
    message: str
    severity: Severity = "warning"
    kind: str = "spec"
    line: int | None = None
    action: str | None = None

    def format(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        ptr = self.pointer or "#"
        text = f"{where}: {self.severity}: {ptr}: {self.message}"
        if self.action:
            text += f" ({self.action})"
        return printable(text)


class SpecError(Exception):
    """The spec cannot be turned into a correct client; carries every fatal diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


@dataclass
class Report:
    """Collects diagnostics from every stage of one build."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def warn(
        self,
        file: str,
        pointer: str,
        message: str,
        *,
        kind: str = "spec",
        action: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(file, pointer, message, "warning", kind, None, action))

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]
