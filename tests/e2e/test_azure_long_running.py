"""Azure's long-running operations (`x-ms-long-running-operation`, 23 operations in three
corpus specs) get `<method>_and_wait()` following Azure's own protocol: an
`Azure-AsyncOperation` monitor polled until its `status` is terminal, then the result fetched
where `final-state-via` says (the resource for PUT, the `Location` for POST); a 202's
`Location` polled until it stops answering 202; a PUT resource polled until its
`provisioningState` is terminal. Before, these operations had no `_and_wait` (a 202 declared
without headers looked finished). Sync and async, against recording transports."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "azure-long-running.yaml"
BASE = "https://management.example.com"
MONITOR = BASE + "/operations/op1?api-version=1"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("azure-lro")
    build_into(SPEC, root / "vaults", name="vaults")
    return root


@pytest.fixture
def vaults(out: Path) -> Iterator[ModuleType]:
    with on_path(out / "vaults", "vaults") as module:
        yield module


class Arm:
    """An ARM-like server: the first answer of each operation, then `pending` polls of its
    monitor (or resource) before `final` (Succeeded, Failed...)."""

    def __init__(
        self,
        first: httpx.Response,
        pending: int = 2,
        final: str = "Succeeded",
        provisioning: bool = False,  # the resource itself says how far it is
    ) -> None:
        self.first, self.pending, self.final = first, pending, final
        self.provisioning = provisioning
        self.seen: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, str(request.url)))
        if request.method != "GET":
            return self.first
        path = request.url.path
        state = "InProgress" if self.pending else self.final
        if path == "/operations/op1":
            self.pending = max(self.pending - 1, 0)
            return httpx.Response(200, json={"status": state, "healthy": True})
        if path == "/locations/l1":
            if self.pending:
                self.pending -= 1
                return httpx.Response(202, headers={"Retry-After": "0"})
            return httpx.Response(200, json={"uri": "https://backups/1"})
        if path == "/vaults/v1":
            if self.provisioning:
                self.pending = max(self.pending - 1, 0)
                provisioning = "Creating" if self.pending else self.final
            else:
                provisioning = "Succeeded"
            body = {"id": "v1", "properties": {"provisioningState": provisioning, "sku": "a"}}
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"error": path})


def _first(status: int, headers: dict[str, str] | None = None, body: Any = None) -> httpx.Response:
    return httpx.Response(status, headers={"Retry-After": "0", **(headers or {})}, json=body)


def sync_client(vaults: ModuleType, arm: Arm) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(arm))
    return vaults.Client(base_url=BASE, http_client=http)


def test_a_put_polls_its_monitor_then_fetches_the_resource(vaults: ModuleType) -> None:
    arm = Arm(_first(201, {"Azure-AsyncOperation": MONITOR}, {"id": "v1"}), pending=2)
    vault = sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert type(vault).__name__ == "Vault" and vault.properties.provisioning_state == "Succeeded"
    assert arm.seen == [
        ("PUT", BASE + "/vaults/v1"),
        *[("GET", MONITOR)] * 3,  # InProgress, InProgress, Succeeded
        ("GET", BASE + "/vaults/v1"),  # the result: the resource itself
    ]


def test_a_post_polls_its_location_until_the_result_is_there(vaults: ModuleType) -> None:
    arm = Arm(_first(202, {"Location": BASE + "/locations/l1"}), pending=2)
    backup = sync_client(vaults, arm).vaults.backup_and_wait("v1", poll_interval=0.001)
    assert type(backup).__name__ == "Backup" and backup.uri == "https://backups/1"
    assert [url for _, url in arm.seen[1:]] == [BASE + "/locations/l1"] * 3


def test_a_post_with_a_monitor_and_a_location_fetches_the_location(vaults: ModuleType) -> None:
    headers = {"Azure-AsyncOperation": MONITOR, "Location": BASE + "/locations/l1"}
    arm = Arm(_first(202, headers), pending=1)
    backup = sync_client(vaults, arm).vaults.backup_and_wait("v1", poll_interval=0.001)
    assert backup.uri == "https://backups/1"
    assert [url for _, url in arm.seen[1:]] == [MONITOR, MONITOR, BASE + "/locations/l1"]


def test_final_state_via_the_monitor_returns_its_body(vaults: ModuleType) -> None:
    arm = Arm(_first(202, {"Azure-AsyncOperation": MONITOR}), pending=1)
    result = sync_client(vaults, arm).vaults.check_and_wait("v1", poll_interval=0.001)
    assert type(result).__name__ == "CheckResult" and result.healthy is True
    assert [url for _, url in arm.seen[1:]] == [MONITOR, MONITOR]  # no other fetch


def test_a_put_whose_resource_reports_its_provisioning_state(vaults: ModuleType) -> None:
    first = _first(200, body={"id": "v1", "properties": {"provisioningState": "Creating"}})
    arm = Arm(first, pending=2, provisioning=True)
    vault = sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert vault.properties.provisioning_state == "Succeeded"
    assert [url for _, url in arm.seen[1:]] == [BASE + "/vaults/v1"] * 2


def test_a_finished_answer_is_the_result(vaults: ModuleType) -> None:
    done = {"id": "v1", "properties": {"provisioningState": "Succeeded"}}
    arm = Arm(_first(200, body=done))
    vault = sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert vault.id == "v1" and len(arm.seen) == 1


def test_a_delete_ends_with_its_monitor(vaults: ModuleType) -> None:
    arm = Arm(_first(202, {"Azure-AsyncOperation": MONITOR}), pending=1)
    sync_client(vaults, arm).vaults.delete_and_wait("v1", poll_interval=0.001)
    assert arm.seen == [("DELETE", BASE + "/vaults/v1"), ("GET", MONITOR), ("GET", MONITOR)]


@pytest.mark.parametrize("final", ["Failed", "Canceled"])
def test_a_failed_or_cancelled_operation_raises_with_the_body(
    vaults: ModuleType, final: str
) -> None:
    arm = Arm(_first(201, {"Azure-AsyncOperation": MONITOR}), pending=1, final=final)
    with pytest.raises(vaults.OperationFailedError) as caught:
        sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert caught.value.status == final
    assert caught.value.body == {"status": final, "healthy": True}


def test_a_monitor_on_another_origin_is_not_polled(vaults: ModuleType) -> None:
    arm = Arm(_first(201, {"Azure-AsyncOperation": "https://evil.example.net/op"}))
    with pytest.raises(vaults.APIError, match="another origin"):
        sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert [method for method, _ in arm.seen] == ["PUT"]  # credentials never left


def test_async(vaults: ModuleType) -> None:
    arm = Arm(_first(201, {"Azure-AsyncOperation": MONITOR}, {"id": "v1"}), pending=1)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(arm))
        client = vaults.AsyncClient(base_url=BASE, http_client=http)
        return await client.vaults.update_and_wait("v1", poll_interval=0.001)

    vault = asyncio.run(run())
    assert vault.properties.provisioning_state == "Succeeded"
    assert [url for _, url in arm.seen[1:]] == [MONITOR, MONITOR, BASE + "/vaults/v1"]


def test_a_final_body_that_breaks_the_result_type_is_kept_with_a_warning(
    vaults: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    # a POST with a monitor and no Location ends with the monitor's body, which is no Backup
    arm = Arm(_first(202, {"Azure-AsyncOperation": MONITOR}), pending=0)
    result = sync_client(vaults, arm).vaults.backup_and_wait("v1", poll_interval=0.001)
    assert result.to_dict() == {"status": "Succeeded", "healthy": True}
    assert "does not match the spec" in caplog.text


def test_a_location_elsewhere_that_is_never_polled_is_no_error(vaults: ModuleType) -> None:
    # a PUT's result is the resource itself: its Location (another origin) is never fetched
    headers = {"Azure-AsyncOperation": MONITOR, "Location": "https://elsewhere.example.net/l"}
    arm = Arm(_first(201, headers), pending=0)
    vault = sync_client(vaults, arm).vaults.update_and_wait("v1", poll_interval=0.001)
    assert vault.id == "v1"
    assert [url for _, url in arm.seen[1:]] == [MONITOR, BASE + "/vaults/v1"]
