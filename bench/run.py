"""Benchmark Apprenance on a generated network, served by the real server (`manage.py serve`).

    python -m bench.run                      # 50,000 members, SQLite, about 3 minutes after the import
    python -m bench.run --members 2000 --duration 3 --write-duration 5   # a quick check

Everything lives under var/bench/ (its own SQLite file, static files and secret key), so the
developer's database is never touched. Pages are reported as a ratio to a bare Django view served
by the same server in the same run: the machine is shared and noisy, ratios travel better than
absolute numbers. The exit status is 1 when a target is missed.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from apprenance.core.management.commands.serve import default_threads, default_workers
from bench import client, generate, writes, wrk

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench"
WARMUP_SECONDS = 2
STARTUP_SECONDS = 30
TARGET_RPS = 350
TARGET_P99_MS = 150
TARGET_PAGES = ("directory", "organisation")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=50_000, help="members in the generated network")
    parser.add_argument("--duration", type=float, default=10, help="seconds per page measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--writers", type=int, default=32, help="concurrent members saving their profile")
    parser.add_argument("--write-duration", type=float, default=30, help="seconds of the write test")
    parser.add_argument("--database-url", default="", help="empty: a fresh SQLite file in var/bench/")
    parser.add_argument("--output", type=Path, default=VAR_DIR / "results.json")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the database of the previous run")
    return parser.parse_args(argv)


# --- Preparing the database ---------------------------------------------------------------


def bench_env(args) -> dict[str, str]:
    """The environment of every subprocess: bench settings, var/bench/, production-like flags."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "APPRENANCE_VAR_DIR": str(VAR_DIR)}
    env["DEBUG"] = "false"  # a developer's DEBUG=true would measure the debug machinery instead
    env.pop("ACCESS_LOG", None)  # one log line per request would cost the server more than some pages
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def python(env, *arguments) -> str:
    """Run the project's Python in the bench environment; on failure, say what it printed."""
    completed = subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True)
    if completed.returncode:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def manage(env, *arguments) -> str:
    return python(env, "manage.py", *arguments)


def network_file(members: int) -> Path:
    """The generated file, reused while the parameters and the generator's code stay the same."""
    digest = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:10]
    path = VAR_DIR / f"network-{members}-{generate.SEED}-{digest}.json"
    if not path.exists():
        generate.write_network(path.with_suffix(".tmp"), members=members)
        path.with_suffix(".tmp").rename(path)  # a run killed halfway leaves no truncated cache
    return path


def sqlite_files() -> list[Path]:
    database = VAR_DIR / "apprenance.sqlite3"
    return [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]


def prepare_database(args, env) -> dict:
    """Generate, migrate and import, unless reusing the previous run's database."""
    if args.skip_generate:
        if not args.database_url and not sqlite_files()[0].exists():
            raise SystemExit("--skip-generate: no database in var/bench/ yet; run once without it")
        manage(env, "migrate", "--noinput", "-v0")
        return {"reused_database": True}
    started = time.perf_counter()
    path = network_file(args.members)
    generated = time.perf_counter() - started
    if not args.database_url:
        for file in sqlite_files():
            file.unlink(missing_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    # The product's own import path (validate_network + import_network), as an administrator runs it.
    report = manage(env, "import_network", str(path))
    return {
        "reused_database": False,
        "network_file": str(path.relative_to(ROOT)),
        "generate_seconds": round(generated, 1),
        "import_seconds": round(time.perf_counter() - started, 1),
        "import_report": report.strip().splitlines(),
    }


def load_fixtures(env, writers: int) -> dict:
    return json.loads(python(env, "-m", "bench.fixtures", f"--writers={writers}"))


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((client.HOST, 0))
        return probe.getsockname()[1]


def wait_until_healthy(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if client.request(port, "GET", "/health/", timeout=2).status == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError(f"/health/ did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop the server and its workers: they share the process group started for them."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def raise_if_stopped(process: subprocess.Popen, log_path: Path, cause: Exception | None = None) -> None:
    """Figures taken against a dead server would read as errors of the application: say so instead."""
    if process.poll() is not None:
        raise RuntimeError(
            f"the server stopped during the run (status {process.returncode}): did something else signal it? "
            f"See {log_path}"
        ) from cause


@contextmanager
def server(env, log_path: Path):
    """`make run`'s command line with the bench settings; yields the port."""
    port = free_port()
    command = [sys.executable, "manage.py", "serve", f"--port={port}"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(process, port, log_path)
        try:
            yield port
        except (OSError, subprocess.CalledProcessError, ValueError) as error:
            raise_if_stopped(process, log_path, error)
            raise
        raise_if_stopped(process, log_path)
    finally:
        stop(process)


# --- Measurements -----------------------------------------------------------------------------


def ensure_wrk() -> None:
    """Install wrk the way the Makefile installs python3-venv: only as root on Debian."""
    if wrk.available():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    if not wrk.available():
        raise SystemExit("wrk is needed: sudo apt-get install wrk")


def pages(fixtures) -> dict[str, str]:
    return {
        "reference": "/bench/reference/",
        "directory": "/membres/",
        "directory_search": f"/membres/?q={fixtures['common_last_name']['name']}",
        "profile": f"/membres/{fixtures['profile']['pk']}/",
        "organisation": f"/organisations/{fixtures['organisation']['slug']}/",
    }


def check_page(port: int, path: str, cookies: dict[str, str]) -> dict:
    """wrk counts redirects as successes, so first make sure the page really answers 200."""
    response = client.request(port, "GET", path, cookies=cookies)
    if response.status != 200:
        return {"error": f"status {response.status} {response.headers.get('Location', '')}".strip()}
    return {"bytes": len(response.body)}


def measure_page(port: int, path: str, cookies: dict[str, str], args) -> dict:
    checked = check_page(port, path, cookies)
    if "error" in checked:
        return {"path": path, **checked}
    url = f"http://{client.HOST}:{port}{path}"
    headers = {"Cookie": client.cookie_header(cookies)} if cookies else {}
    wrk.run(url, headers=headers, connections=args.connections, duration=WARMUP_SECONDS)
    measured = wrk.run(url, headers=headers, connections=args.connections, duration=args.duration)
    return {"path": path, **checked, **measured}


def measure_pages(port: int, fixtures, args) -> dict:
    signed_in = {fixtures["session_cookie_name"]: fixtures["viewer"]["session"]}
    # The reference goes without the session cookie: Django's LoginRequiredMiddleware would load the
    # session and the member even for a public view, and the reference is meant to be bare.
    results = {}
    for name, path in pages(fixtures).items():
        results[name] = measure_page(port, path, {} if name == "reference" else signed_in, args)
    # The reference again at the end: the machine is shared, and the drift says how far to trust ratios.
    again = measure_page(port, pages(fixtures)["reference"], {}, args)
    results["reference"]["rps_at_end"] = again.get("rps")
    baseline = [result["rps"] for result in (results["reference"], again) if "rps" in result]
    reference_rps = sum(baseline) / len(baseline) if baseline else None
    for result in results.values():
        if "rps" in result and reference_rps:
            result["ratio_to_reference"] = round(result["rps"] / reference_rps, 3)
    return results


def server_log_problems(log_path: Path) -> dict:
    text = log_path.read_text(errors="replace")
    return {
        "log": str(log_path.relative_to(ROOT)),
        "internal_server_errors": text.count("Internal Server Error"),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def evaluate(page_results: dict, write_results: dict, connections: int) -> dict:
    targets = {}
    for name in TARGET_PAGES:
        result = page_results[name]
        passed = (
            "rps" in result
            and result["rps"] >= TARGET_RPS
            and result["p99_ms"] < TARGET_P99_MS
            and result["errors"] == 0
        )
        targets[name] = {
            "rps_min": TARGET_RPS,
            "p99_ms_max": TARGET_P99_MS,
            "connections": connections,
            "rps": result.get("rps"),
            "p99_ms": result.get("p99_ms"),
            "pass": passed,
        }
    targets["write_errors"] = {"max": 0, "errors": write_results["errors"], "pass": write_results["errors"] == 0}
    targets["all_pass"] = all(target["pass"] for target in targets.values())
    return targets


def machine_info(fixtures) -> dict:
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[:1]
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": fixtures["database"],
        "server": {"name": "granian", "workers": default_workers(), "threads_per_worker": default_threads()},
        "wrk": wrk_version[0] if wrk_version else None,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    ensure_wrk()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env(args)
    results = {
        "parameters": {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()}
    }
    results["import"] = prepare_database(args, env)
    manage(env, "collectstatic", "--noinput", "-v0")  # the manifest storage needs it once DEBUG is off
    fixtures = load_fixtures(env, args.writers)
    results["machine"] = machine_info(fixtures)
    results["network"] = {key: fixtures[key] for key in ("members", "organisation", "profile", "common_last_name")}
    log_path = VAR_DIR / "server.log"
    with server(env, log_path) as port:
        results["pages"] = measure_pages(port, fixtures, args)
        cookie_names = {"session": fixtures["session_cookie_name"], "csrf": fixtures["csrf_cookie_name"]}
        results["writes"] = writes.run(port, fixtures["writers"], cookie_names, args.write_duration)
    results["server"] = server_log_problems(log_path)
    results["targets"] = evaluate(results["pages"], results["writes"], args.connections)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if results["targets"]["all_pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
