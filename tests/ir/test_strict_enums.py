"""Issue 11: an enum reused across the spec is open where responses are parsed (a newer server
may add values) and strict in request signatures: `status=["availabel"]` fails mypy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_request_signatures_take_only_listed_values(built: dict[str, Path], tmp_path: Path) -> None:
    out = built["petstore"]
    model = (out / "petstore" / "models" / "pet_status.py").read_text()
    assert 'Literal["available", "pending", "sold"] | str' in model  # open for responses
    snippet = tmp_path / "use_enum.py"
    snippet.write_text(
        "from petstore import Client\n\n\n"
        "def use(client: Client) -> None:\n"
        '    client.pets.list(status=["available", "sold"])\n'
        '    client.pets.list(status=["availabel"])\n'
        "    pet = client.pets.get(1)\n"
        '    if pet.status == "retired":  # a response may carry a value the spec does not list\n'
        "        print(pet)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout
    assert "use_enum.py:6:" in errors[0] and "availabel" in errors[0]
