"""The Voila app: `voila widgets/self_check.ipynb` on 127.0.0.1, used in Chromium.

Starts Voila as the README says (the `offline` template, which drops the stock
template's CDN stylesheet), types drafts, and reads the verdict. The kernel
websocket is recorded too: the widget sends back only the verdict and
categories, never the message.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from selfcheck_support import ROOT, RequestLog, SelfCheck
from support.cli import POLICY_DATA

from policybook.widget import DATA_DIR_ENV

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "widgets" / "self_check.ipynb"
TEMPLATES = REPO / "widgets" / "jupyter"
VOILA = Path(sys.executable).with_name("voila")
START_TIMEOUT_S = 60
HANDBOOK = "https://handbook.example.org/before-you-post/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"voila exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/voila/static/voila.js", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # the server answered: it is up
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"voila did not answer within {START_TIMEOUT_S}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's policy data with a public handbook address, so findings link to it."""
    copy = tmp_path_factory.mktemp("data") / "policy_data"
    shutil.copytree(POLICY_DATA, copy)
    school = copy / "school.yaml"
    settings = yaml.safe_load(school.read_text(encoding="utf-8"))
    settings["site"]["base_url"] = HANDBOOK
    school.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [
        str(VOILA),
        str(NOTEBOOK),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=offline",
    ]
    env = {**os.environ, "JUPYTER_PATH": str(TEMPLATES), DATA_DIR_ENV: str(data_dir)}
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_voila_app_checks_a_draft_and_only_the_verdict_reaches_the_kernel(
    voila_url, browser, stop_and_fine_messages
) -> None:
    stop, fine = stop_and_fine_messages
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        log = RequestLog().attach(page)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(voila_url, timeout=START_TIMEOUT_S * 1000)
        self_check = SelfCheck(page, timeout_ms=START_TIMEOUT_S * 1000)

        self_check.enter(stop)
        assert self_check.verdict == "stop"
        assert self_check.categories
        clause = page.get_attribute(f"{ROOT} ol li", "data-clause")
        link = page.locator(f"{ROOT} ol li").first.get_by_role("link", name="Read this guideline")
        assert link.get_attribute("href") == f"{HANDBOOK}policy.html#{clause}"
        self_check.enter(fine)
        assert self_check.verdict == "ok"
        page.wait_for_timeout(300)  # let the widget's last sync reach the socket

        assert errors == []
        local = (voila_url, "blob:", "data:", "ws://127.0.0.1")
        assert [r["url"] for r in log.requests if not r["url"].startswith(local)] == []
        synced = [
            frame
            for frame in log.frames_sent
            if '"verdict": "stop"' in frame or '"verdict":"stop"' in frame
        ]
        assert synced, "the verdict never reached the kernel"
        assert log.carrying(stop) == [] and log.carrying(fine) == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def stop_and_fine_messages() -> tuple[str, str]:
    """A stop example from the school's own rules, and an everyday message."""
    from policybook.loader import load_policy
    from policybook.selfcheck.compile import compile_rule_pack
    from policybook.selfcheck.engine import check_message
    from policybook.selfcheck.rules import load_rules

    policy = load_policy(POLICY_DATA)
    pack = compile_rule_pack(policy)
    for rule in load_rules(policy).rules:
        for example in rule.data.get("examples", {}).get("flag", []):
            if check_message(pack, example["text"]).verdict == "stop":
                return example["text"], "Lost property: a blue lunchbox was left by the gate."
    raise AssertionError("no rule example is a stop")
