"""The README's Caching example calls a GET: the cache serves GET and HEAD only.

A helper's docs check: for an API whose featured operation is a POST (a streaming completions
spec), the example promised one of "hit", "revalidated", "miss", "bypass" and printed `None`.
It calls the first GET answering JSON; an API without one shows no example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.builds import build_document


def _api(*ops: tuple[str, str, str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path, op_id in ops:
        paths.setdefault(path, {})[method] = {
            "operationId": op_id,
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {}}}}
            },
        }
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def _caching(out: Path) -> str:
    readme = (out / "README.md").read_text()
    return readme.split("## Caching", 1)[1].split("\n## ", 1)[0]


def test_a_post_first_api_caches_its_get(tmp_path_factory: pytest.TempPathFactory) -> None:
    spec = _api(("post", "/things", "createThing"), ("get", "/things", "listThings"))
    section = _caching(build_document(tmp_path_factory, "posting", spec))
    calls = re.findall(r"^(?:response = )?(cached\.[\w.]+)\(", section, re.MULTILINE)
    assert calls == ["cached.things.list", "cached.things.with_raw_response.list"], section


def test_an_api_without_a_get_shows_no_cache_example(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    section = _caching(build_document(tmp_path_factory, "postonly", _api(("post", "/x", "make"))))
    assert "```python" not in section and "GET and HEAD" in section
