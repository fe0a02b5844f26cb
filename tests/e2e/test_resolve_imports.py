"""Issue 10 target 2: resolving a method imports no model, no inline type and no runtime feature.

`import <client>; Client(); resource.<every method>` in a fresh interpreter, for the resources the
import bench found slowest (Stripe `accounts`, `quotes`; GitHub `repos`, split into part modules;
GitHub `users`, whose responses are tagged unions: pydantic's `Tag` is imported by the function
building them, not by the module, since `pydantic.types` costs ~15 ms).
Models and `types/` modules are imported when a call parses a response (`_rt.LazyResponses`),
never when a method is looked up; pagination pages, event streams, OAuth, long-running polling,
caching and lazy-model machinery load with the first call that uses them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

_CODE = """
import json, sys
package, resource = sys.argv[1], sys.argv[2]
before = set(sys.modules)
client = __import__(package).Client(base_url="http://127.0.0.1:9", api_key="k")
node = client
for part in resource.split("."):
    node = getattr(node, part)
calls = [op["call"] for op in json.load(open("apigen.json"))["operations"]]
methods = [c.rpartition(".")[2] for c in calls if c.rpartition(".")[0] == resource]
for method in methods:
    getattr(node, method)
print(json.dumps({"methods": len(methods), "loaded": sorted(set(sys.modules) - before)}))
"""

#: runtime modules a method lookup must not import: each belongs to a feature a call uses
FEATURES = ("_pagination", "_sse", "_oauth", "_lro", "_cache", "_lazy", "_models", "_webhooks")


def _resolve(out: Path, package: str, resource: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CODE, package, resource],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("spec", "resource", "parts"),
    [
        ("stripe", "accounts", 0),
        ("stripe", "quotes", 0),
        ("github", "repos", 14),
        ("github", "users", 4),
    ],
)
def test_resolving_every_method_imports_no_model_type_or_feature(
    built: dict[str, Path], spec: str, resource: str, parts: int
) -> None:
    found = _resolve(built[spec], spec, resource)
    loaded: list[str] = found["loaded"]
    assert found["methods"] > 5
    ours = [m for m in loaded if m.startswith(f"{spec}.")]
    assert not [m for m in ours if m.startswith((f"{spec}.models", f"{spec}.types"))]
    assert not [m for m in ours if m.rpartition(".")[2] in FEATURES]
    assert "asyncio" not in loaded  # a sync client resolving methods
    assert "pydantic.types" not in loaded and "annotated_types" not in loaded
    # the resource's own module, and its part modules when it has more than 15 methods
    modules = [m for m in ours if m.startswith(f"{spec}.resources.")]
    assert len(modules) >= 1 + parts
    assert all(m.rpartition(".")[2].lstrip("_").startswith(resource) for m in modules), modules
