"""Contract testing of generated clients: schemathesis draws cases from the spec, each is sent
THROUGH the generated client (sync and async) to a sandbox or a real API, and the request on the
wire, the strict parse of the response and schemathesis' response checks are verified.

    report = run_contract(ContractConfig(Path("generated/petstore")))
    assert not report.new_failures("client")
"""

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
