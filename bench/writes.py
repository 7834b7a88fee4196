"""Many members saving their profile at once: the write path SQLite has to serialise."""

import http.client
import re
import threading
import time
from urllib.parse import urlencode

from bench import client

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
JOB_TITLES = ["Chargée de mission", "Coordinateur de projets", "Animatrice de réseau", "Technicien"]
ERROR_SAMPLES = 5


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile, the same definition for every figure the bench prints."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))], 2)


class Writer:
    """One member: reads the form once for its CSRF token, then saves the profile again and again."""

    def __init__(self, port: int, member: dict, cookie_names: dict[str, str]):
        self.port = port
        self.member = member
        self.cookies = {cookie_names["session"]: member["session"]}
        self.csrf_cookie_name = cookie_names["csrf"]
        self.token = None
        self.latencies_ms: list[float] = []
        self.errors: list[str] = []

    def prepare(self) -> None:
        response = client.request(self.port, "GET", "/profil/", cookies=self.cookies)
        csrf_cookie = response.cookie(self.csrf_cookie_name)
        match = CSRF_FIELD.search(response.body)
        if response.status != 200 or not csrf_cookie or not match:
            raise RuntimeError(f"GET /profil/ as member {self.member['pk']}: status {response.status}, no CSRF token")
        self.cookies[self.csrf_cookie_name] = csrf_cookie
        self.token = match.group(1).decode()

    def form(self, iteration: int) -> bytes:
        # Names and title change every time so each save really writes a new row version.
        return urlencode(
            [
                ("first_name", f"{self.member['first_name']}{'e' * (iteration % 2)}"),
                ("last_name", f"{self.member['last_name']}-{iteration % 7}"),
                ("job_title", f"{JOB_TITLES[iteration % len(JOB_TITLES)]} {iteration}"),
                ("bio", "Profil mis à jour par le banc d’essai d’écriture."),
                ("profile_visibility", "network"),
                ("languages", "fr"),
                ("csrfmiddlewaretoken", self.token),
            ]
        ).encode()

    def save_once(self, iteration: int) -> None:
        started = time.perf_counter()
        try:
            response = client.request(
                self.port,
                "POST",
                "/profil/",
                cookies=self.cookies,
                body=self.form(iteration),
                content_type="application/x-www-form-urlencoded",
            )
        except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out: all failed writes
            self.errors.append(f"{type(error).__name__}: {error}")
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        # Success is the redirect to the member's own profile; a redirect elsewhere (sign-in page)
        # or a 200 (the form shown again with errors) means the write did not happen.
        location = response.headers.get("Location", "")
        if response.status == 302 and location.rstrip("/").endswith(f"/membres/{self.member['pk']}"):
            self.latencies_ms.append(elapsed_ms)
        else:
            self.errors.append(f"status {response.status} {location}".strip())

    def loop(self, deadline: float) -> None:
        iteration = 0
        while time.monotonic() < deadline:
            iteration += 1
            self.save_once(iteration)


def run(port: int, members: list[dict], cookie_names: dict[str, str], duration: float) -> dict:
    writers = [Writer(port, member, cookie_names) for member in members]
    for writer in writers:  # sequentially: setup is not what we measure
        writer.prepare()
    started = time.monotonic()
    deadline = started + duration
    threads = [threading.Thread(target=writer.loop, args=(deadline,), daemon=True) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = [value for writer in writers for value in writer.latencies_ms]
    errors = [error for writer in writers for error in writer.errors]
    return {
        "writers": len(writers),
        "seconds": round(elapsed, 1),
        "writes": len(latencies),
        "writes_per_s": round(len(latencies) / elapsed, 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:ERROR_SAMPLES],
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 2) if latencies else None,
    }
