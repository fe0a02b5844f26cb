"""What to install for contract runs names a package that is ours.

A helper's docs check: the message `apigen contract` printed without schemathesis, and every
generated README's Testing section, said `pip install 'apigen[contract]'`; the name `apigen`
on the public index is another project (README), so that command installed a stranger's
package. The message names the schemathesis pin of apigen's own `contract` extra."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import (
    ContractConfig,
    ContractError,
    run_contract,
    schemathesis_requirement,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_hint_names_the_pinned_schemathesis_and_never_the_public_apigen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_import = builtins.__import__

    def no_schemathesis(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "schemathesis":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_schemathesis)
    with pytest.raises(ContractError) as caught:
        run_contract(ContractConfig(client_dir=tmp_path))
    message = str(caught.value)
    pin = next(
        line.strip().strip('",')
        for line in (ROOT / "pyproject.toml").read_text().splitlines()
        if line.strip().startswith('contract = ["schemathesis')
    )
    assert schemathesis_requirement() in pin and "==" in schemathesis_requirement()
    assert f"pip install '{schemathesis_requirement()}'" in message
    assert "apigen[" not in message


def test_no_rendered_text_tells_users_to_pip_install_apigen_by_name() -> None:
    for template in (ROOT / "templates").glob("*.jinja"):
        assert "pip install 'apigen" not in template.read_text(), template.name
        assert "pip install apigen" not in template.read_text(), template.name
