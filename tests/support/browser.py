"""Headless Chromium driven through chromedriver's W3C WebDriver API, with httpx only (no Selenium).

For looking at kycsim's pages as a browser renders them (screenshots at 1280 x 800, horizontal
overflow, clicking through a hosted flow). Needs Debian's ``chromium`` and ``chromium-driver``::

    with Browser() as browser:
        browser.open("http://127.0.0.1:8000/verify/abc/")
        browser.screenshot("page.png")
        assert browser.horizontal_overflow() == 0

Each browser gets a fresh profile directory and the flags that keep Chromium from calling home.
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


def available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, width: int = 1280, height: int = 800, timeout: float = 30.0) -> None:
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = Path(tempfile.mkdtemp(prefix="kycsim-chromium-"))
        self.port = _free_port()
        self.driver: subprocess.Popen | None = None
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=timeout)
        self.session = ""

    def __enter__(self) -> Browser:
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._until(self._driver_ready, "chromedriver did not start")
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", f"--window-size={self.width},{self.height}"]
        options = {"binary": shutil.which("chromium"), "args": flags}
        capabilities = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}}
        self.session = self._call("POST", "/session", capabilities)["sessionId"]
        self.viewport(self.width, self.height)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.session:
                self.http.delete(f"/session/{self.session}")
        finally:
            self.http.close()
            if self.driver is not None:
                self.driver.terminate()
                self.driver.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)

    def viewport(self, width: int, height: int) -> None:
        """Exactly ``width`` x ``height`` CSS pixels of page (the window size includes the browser's own parts)."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.cdp("Emulation.setDeviceMetricsOverride", metrics)

    def cdp(self, command: str, params: dict | None = None) -> Any:
        """A Chrome DevTools Protocol command, through chromedriver."""
        return self._session("POST", "/goog/cdp/execute", {"cmd": command, "params": params or {}})

    # Navigation and reading

    def open(self, url: str) -> None:
        self._session("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return self._session("GET", "/url")

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body; ``arguments`` holds ``args``) in the page and return its value."""
        return self._session("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script: str, *args: Any, timeout: float | None = None) -> Any:
        """Poll ``script`` until it returns something truthy (page conditions, not wall-time sleeps)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.run(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition never held: {script}")
            time.sleep(0.05)

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0: nothing scrolls sideways)."""
        return self.run("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")

    def screenshot(self, path: str | Path, *, full_page: bool = False) -> Path:
        """The viewport as a PNG; ``full_page``: the whole page at the viewport's width."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if full_page:
            height = self.run("return document.documentElement.scrollHeight;")
            self.viewport(self.width, max(height, self.height))
            try:
                data = self._session("GET", "/screenshot")
            finally:
                self.viewport(self.width, self.height)
        else:
            data = self._session("GET", "/screenshot")
        path.write_bytes(base64.b64decode(data))
        return path

    # Acting

    def find(self, css: str) -> str:
        return self._session("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css: str) -> None:
        self._session("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        self._session("POST", f"/element/{self.find(css)}/value", {"text": text})

    # WebDriver plumbing

    def _driver_ready(self) -> bool:
        try:
            return bool(self.http.get("/status").json()["value"]["ready"])
        except (httpx.HTTPError, ValueError, KeyError):
            return False

    def _until(self, condition: Any, message: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(message)
            time.sleep(0.05)

    def _session(self, method: str, path: str, body: dict | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        response = self.http.request(method, path, json=body)
        value = response.json()["value"]
        if response.status_code >= 400:
            raise RuntimeError(f"WebDriver {method} {path}: {value.get('error')}: {value.get('message')}")
        return value
