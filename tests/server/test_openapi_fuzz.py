"""A property-based run of the OpenAPI document (schemathesis) against a real server, once with a
supplier token over the supplier routes and once with a customer token over the customer
routes: the examples, the coverage phase (boundaries, missing and wrong values, other media
types and methods) and generated requests, valid and invalid. Every answer must be no server
error, of a documented status, media type and header set, match its schema; invalid input must
be refused. Bounded: deterministic generation, 5 examples per operation, no shrinking, a time
limit.

Left out: "positive data acceptance" (rules beyond the schema refuse some schema-valid requests
by design: an empty message without a file, more than three notification addresses, a cursor
the server did not issue) and the endless event streams (their events are checked against the
document in test_openapi_responses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ServerProcess, Tenants

pytest.importorskip("schemathesis")


def schemathesis_run(
    url: str, token: str, cwd: Path, *select: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
         "--header", f"Authorization: Bearer {token}",
         "--phases", "examples,coverage,fuzzing", "--max-examples", "5",
         "--generation-deterministic", "--no-shrink", "--no-color",
         "--exclude-checks", "positive_data_acceptance", "--request-timeout", "30",
         *select],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd,  # its cache folder goes there
    )  # fmt: skip


# (a repeated --exclude-path-regex replaces the first: one pattern per run)
ROUTES = {
    "supplier": ["--exclude-path-regex", "/events$|/customer/"],
    "customer": ["--include-path-regex", "/customer/", "--exclude-path-regex", "/events$"],
}


@pytest.mark.parametrize("role", ["supplier", "customer"])
def test_openapi_property_based_run_finds_nothing(
    tenants: Tenants, role: str, tmp_path: Path
) -> None:
    token = tenants.supplier_a if role == "supplier" else tenants.customer_x
    server = ServerProcess(tenants.network.path, 0, "--rate", "0")
    try:
        done = schemathesis_run(server.start(), token, tmp_path, *ROUTES[role])
    finally:
        server.kill()
    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    counts = [line for line in done.stdout.splitlines() if " generated, " in line][-1]
    assert " passed" in counts and "failed" not in counts, report
    print(report[-1500:])
