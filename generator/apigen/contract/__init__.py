"""Contract testing of generated clients: schemathesis draws cases from the spec, each is sent
THROUGH the generated client (sync and async) to a sandbox or a real API, and the request on the
wire, the strict parse of the response and schemathesis' response checks are verified.

    report = run_contract(ContractConfig(Path("generated/petstore")))
    assert not report.new_failures("client")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report import Baseline, Failure, OperationResult, RunReport
    from .runner import ContractConfig, ContractError, run_contract, select_operations

__all__ = [
    "Baseline",
    "ContractConfig",
    "ContractError",
    "Failure",
    "OperationResult",
    "RunReport",
    "run_contract",
    "select_operations",
]


# imported on first use: the pytest plugin (`apigen.contract.pytest_plugin`) loads into every
# pytest run of an environment with apigen, and the contract stack is ~0.5 s of imports
_HOMES = {"Baseline": ".report", "Failure": ".report", "OperationResult": ".report"}
_HOMES |= {"RunReport": ".report"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES.get(name, ".runner"), __name__), name)
