"""Run wrk against one URL and read its report."""

import re
import shutil
import subprocess

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
DURATION = r"([\d.]+)(us|ms|s|m|h)"


def available() -> bool:
    return shutil.which("wrk") is not None


def _milliseconds(value: str, unit: str) -> float:
    return round(float(value) * UNITS_MS[unit], 2)


def parse(output: str) -> dict:
    """Requests/s, p50/p99 in milliseconds, and every kind of failure wrk counts."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(rf"^\s+50%\s+{DURATION}", output, re.M)
    p99 = re.search(rf"^\s+99%\s+{DURATION}", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    # wrk only counts answers outside 2xx *and* 3xx: a redirect to the sign-in page would pass,
    # which is why run.py checks every URL answers 200 before loading it.
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"cannot read wrk's report:\n{output}")
    socket_errors = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True)) if sockets else {}
    )
    return {
        "rps": round(float(rps.group(1)), 1),
        "p50_ms": _milliseconds(*p50.groups()),
        "p99_ms": _milliseconds(*p99.groups()),
        "requests": int(total.group(1)),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors,
    }


def run(url: str, *, headers: dict[str, str], connections: int, duration: float, threads: int = 2) -> dict:
    command = [
        "wrk",
        "--latency",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        *(f"--header={name}: {value}" for name, value in headers.items()),
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    result = parse(completed.stdout)
    result["errors"] = result["non_2xx_3xx"] + sum(result["socket_errors"].values())
    return result
