"""What a generated upload parameter (`FileInput`) admits under `mypy --strict`: what the
runtime sends. A helper's review: an iterator of bytes (streamed, as docs/runtime-contract.md
says), a bytearray or a memoryview were refused by mypy and pyright."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builds import build_into
from tests.conftest import ROOT

SNIPPET = """\
from collections.abc import AsyncIterator, Iterator

from petstore import AsyncClient, Client


def chunks() -> Iterator[bytes]:
    yield b"x"


async def achunks() -> AsyncIterator[bytes]:
    yield b"x"


def use(client: Client) -> None:
    client.pets.upload_photo(1, file=chunks())
    client.pets.upload_photo(1, file=("a.png", chunks(), "image/png"))
    client.pets.upload_photo(1, file=bytearray(b"x"))
    client.pets.upload_photo(1, file=memoryview(b"x"))
    client.pets.upload_photo(1, file=["not", "a", "file"])


async def ause(client: AsyncClient) -> None:
    await client.pets.upload_photo(1, file=achunks())
"""


def test_an_upload_takes_what_the_runtime_streams(tmp_path: Path) -> None:
    build_into(ROOT / "specs/petstore.yaml", tmp_path / "out", name="petstore")
    snippet = tmp_path / "use_upload.py"
    snippet.write_text(SNIPPET)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(tmp_path / "out"), "PATH": "/usr/bin:/bin"},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "use_upload.py:19:" in errors[0], result.stdout
