"""A name a client does not have is a type checker's error, not `Any`.

A helper's review of `apigen diff`: the lazy `__getattr__` of `models/`, `types/` and the
package (typed `-> Any`) was visible to type checkers, so `from pets.models import
DoesNotExist` passed `mypy --strict` and pyright strict; a model a spec update removed or
renamed failed only at import time. The `__getattr__` is hidden from them now; the names
exist for them through the star imports under `TYPE_CHECKING`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.builds import build_into
from tests.conftest import ROOT, run_pyright

USER = """\
from shop import Cache, Client, NoSuchHelper
from shop.models import DoesNotExist, Pet

pet: Pet | None = None
print(Client, Cache, pet, NoSuchHelper, DoesNotExist)
"""


def test_missing_models_and_helpers_are_type_errors(tmp_path: Path) -> None:
    build_into(ROOT / "specs" / "petstore.yaml", tmp_path / "out", name="shop")
    (tmp_path / "out" / "user.py").write_text(USER)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "user.py"],
        cwd=tmp_path / "out",
        env={**os.environ, "MYPY_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    errors = [line for line in mypy.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, mypy.stdout
    assert 'no attribute "NoSuchHelper"' in errors[0] and 'no attribute "DoesNotExist"' in errors[1]
    config = tmp_path / "out" / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    pyright = run_pyright("--outputjson", "--project", str(config), "user.py", cwd=tmp_path / "out")
    found = json.loads(pyright.stdout)["generalDiagnostics"]
    unknown = sorted(d["message"] for d in found if "import symbol" in d["message"])
    assert unknown == [
        '"DoesNotExist" is unknown import symbol',
        '"NoSuchHelper" is unknown import symbol',
    ], found
