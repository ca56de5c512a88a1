"""Playwright tests of the chat widget against the running assistant (scripts/test_browser.sh).

They are collected only with BROWSER_TESTS=1, which scripts/test_browser.sh sets
after starting the assistant (scripts/run.sh) and installing Debian's chromium:
a plain `pytest tests` leaves them out instead of failing or skipping them.
"""
from __future__ import annotations

import os
import time

import pytest

if os.environ.get("BROWSER_TESTS") != "1":
    collect_ignore_glob = ["test_*.py"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def base_url() -> str:
    return os.environ.get("BROWSER_BASE_URL", "http://localhost:8200").rstrip("/")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Chat:
    """A page with the widget, and what happened on it (dialogs, script errors)."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.dialogs = []
        self.errors = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # turn file chooser interception on now: expect_file_chooser() alone switches it on
        # without waiting, and a key press right after could open a real dialog instead
        page.on("filechooser", lambda chooser: None)

    def open(self, transport="socketio"):
        self.page.goto(self.base_url + "/")
        self.page.locator("#cnschat-input").wait_for()
        if transport:
            self.page.locator(f"#cnschat[data-transport={transport}]").wait_for(state="attached", timeout=20000)
        return self

    @property
    def bots(self):
        return self.page.locator(".cnschat-bot")

    def settle(self, count_before: int, timeout: float = 30.0) -> list:
        """Wait for the assistant's answer (new messages, then 400 ms without more); its texts."""
        self.bots.nth(count_before).wait_for(timeout=timeout * 1000)
        last, stable_since = -1, time.time()
        while time.time() - stable_since < 0.4:
            n = self.bots.count()
            if n != last:
                last, stable_since = n, time.time()
            time.sleep(0.05)
        return self.page.locator(".cnschat-bot .cnschat-text").all_inner_texts()[count_before:]

    def say(self, text: str) -> list:
        """Type a message with the keyboard (the input has the focus) and return the answer."""
        before = self.bots.count()
        self.page.locator("#cnschat-input").focus()
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        return self.settle(before)

    def transcript(self) -> str:
        return "\n".join(self.page.locator("#cnschat-log > li").all_inner_texts())


@pytest.fixture()
def chat_factory(browser, base_url):
    contexts = []

    def make(locale="fr-FR", viewport=None):
        ctx = browser.new_context(locale=locale, viewport=viewport or {"width": 1024, "height": 800})
        contexts.append(ctx)
        return Chat(ctx.new_page(), base_url)

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture()
def chat(chat_factory):
    return chat_factory()
