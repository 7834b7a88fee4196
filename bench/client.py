"""A tiny HTTP client on the standard library, for checks and the write test."""

import http.client
from dataclasses import dataclass
from http.cookies import SimpleCookie

HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookie(self, name: str) -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            if name in jar:
                return jar[name].value
        return None


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
    timeout: float = 30,
) -> Response:
    """One request on a fresh connection, as a browser opening a page after a pause would."""
    headers = {"Host": f"{HOST}:{port}"}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    if content_type:
        headers["Content-Type"] = content_type
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()
