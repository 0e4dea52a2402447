"""Drive the self-check widget in Chromium the way a parent does, in any of its hosts.

The widget's test contract: the root element carries `data-self-check`, holds
one textarea, and an element with `data-verdict` and `data-categories` that is
updated after every check; the root's `data-checks` counts finished checks, so
a test can wait for the check of what it just pasted, and `data-checked-length`
(UTF-16 units of the checked draft) tells when a draft typed key by key is checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

ROOT = "[data-self-check]"
DRAFT = f"{ROOT} textarea"
RESULT = f"{ROOT} [data-verdict]"


class SelfCheck:
    """The widget on a Playwright page."""

    def __init__(self, page: Any, timeout_ms: float = 10_000) -> None:
        self.page = page
        page.wait_for_selector(DRAFT, timeout=timeout_ms)

    def checks(self) -> int:
        return int(self.page.get_attribute(ROOT, "data-checks") or 0)

    def enter(self, text: str) -> None:
        """Replace the draft (as a paste does) and wait until it has been checked."""
        before = self.checks()
        self.page.fill(DRAFT, text)
        self.wait_for_check_after(before)

    def wait_until_checked(self, text: str) -> None:
        """Wait for the check of `text` as typed key by key (earlier checks saw a prefix)."""
        units = len(text.encode("utf-16-le")) // 2  # the page counts UTF-16 units
        self.page.wait_for_function(
            f"n => document.querySelector('{ROOT}').dataset.checkedLength === String(n)",
            arg=units,
        )

    def wait_for_check_after(self, count: int) -> None:
        self.page.wait_for_function(
            f"n => Number(document.querySelector('{ROOT}').dataset.checks) > n", arg=count
        )

    @property
    def verdict(self) -> str:
        return self.page.get_attribute(RESULT, "data-verdict")

    @property
    def categories(self) -> list[str]:
        return (self.page.get_attribute(RESULT, "data-categories") or "").split()

    @property
    def check_ms(self) -> float:
        """How long the last check and redraw took, measured inside the page."""
        return float(self.page.get_attribute(ROOT, "data-check-ms"))


@dataclass
class RequestLog:
    """Every request and WebSocket frame a page sends, to prove what leaves it."""

    requests: list[dict[str, str]] = field(default_factory=list)
    frames_sent: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> RequestLog:
        page.on("request", self._on_request)
        page.on("websocket", lambda ws: ws.on("framesent", self._on_frame))
        return self

    def _on_request(self, request: Any) -> None:
        self.requests.append(
            {"url": request.url, "method": request.method, "body": request.post_data or ""}
        )

    def _on_frame(self, payload: Any) -> None:
        if isinstance(payload, bytes):  # Jupyter's binary websocket protocol: JSON inside
            payload = payload.decode("utf-8", errors="replace")
        self.frames_sent.append(payload)

    def carrying(self, text: str) -> list[str]:
        """Requests or frames whose URL or body holds `text` (as typed or JSON-escaped)."""
        needles = {text, json.dumps(text)[1:-1], quote(text), quote_plus(text)}
        sent = [f"{r['method']} {r['url']} {r['body']}" for r in self.requests] + self.frames_sent
        return [item for item in sent if any(n in item for n in needles)]
