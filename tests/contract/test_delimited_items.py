"""A `pipeDelimited`/`spaceDelimited` item holding the separator has no spelling; the runtime
refuses it before sending (helper 223) and the contract runner files that refusal as the
spec's, as it does for unsendable header values."""

from __future__ import annotations

import pytest

from apigen.contract.runner import SEPARATOR_ITEM
from apigen_runtime._params import encode_query, quoter


@pytest.mark.parametrize(("style", "item"), [("pipeDelimited", "a|b"), ("spaceDelimited", "a b")])
def test_the_runner_knows_the_runtime_s_refusal(style: str, item: str) -> None:
    with pytest.raises(ValueError) as caught:
        encode_query("tags", [item, "c"], style, False, quoter())
    assert SEPARATOR_ITEM in str(caught.value)
