"""Issue 11: a union an operation returns is named once in `types/` and used by name."""

from __future__ import annotations

from pathlib import Path


def test_github_get_content_returns_a_named_union(built: dict[str, Path]) -> None:
    package = built["github"] / "github"
    resources = "".join(p.read_text() for p in sorted((package / "resources").glob("*repos*.py")))
    assert "-> ReposGetContentResponse:" in resources
    assert resources.count("Annotated[ContentDirectory") == 0  # not spelled out in resources
    types = (package / "types" / "repos.py").read_text()
    assert types.count("ReposGetContentResponse: TypeAlias = ") == 1
    import json

    index = json.loads((package / "types" / "_index.json").read_text())
    assert index["ReposGetContentResponse"] == "repos"
