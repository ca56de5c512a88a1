"""axe-core (WCAG 2.1 A and AA rules) on the chat page and the hotline console, in Chromium.

axe-core comes inside the pinned `axe-playwright-python` wheel (axe.min.js, nothing downloaded at
run time). Each test fails on any violation and prints them, rule by rule, with the nodes.
"""
from __future__ import annotations

import os

import pytest

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        print(results.generate_report())
    return violations


def summary(violations: list) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in violations)


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, summary(violations)


@pytest.mark.parametrize("width", [1024, 360])
def test_axe_chat_page_with_buttons(chat_factory, width):
    chat = chat_factory(viewport={"width": width, "height": 800 if width > 360 else 740}).open()
    chat.say("Je pars en Tunisie en avril, que dois-je faire ?")
    assert chat.bots.last.locator(".cnschat-choice").count() >= 1, chat.transcript()
    assert_no_violations(chat.page)


def test_axe_chat_page_closed_and_german(chat_factory):
    chat = chat_factory(locale="de-DE").open()
    chat.page.locator(".cnschat-close").click()
    assert_no_violations(chat.page)


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_axe_privacy_page(browser, base_url, lang):
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    page.goto(f"{base_url}/privacy/{lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_violations(page)
    ctx.close()


@pytest.fixture()
def console(browser, base_url):
    password = os.environ.get("BROWSER_HOTLINE_PASSWORD")
    if not password:
        pytest.fail("BROWSER_HOTLINE_PASSWORD unset: scripts/test_browser.sh configures HOTLINE_AGENTS")
    ctx = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 800})
    page = ctx.new_page()
    page.goto(base_url + "/hotline/login")
    yield page, os.environ.get("BROWSER_HOTLINE_AGENT", "tester"), password
    ctx.close()


def test_axe_hotline_console(chat_factory, console, base_url):
    # a handoff case first, so that the cases page and the prefilled assist view have content
    chat = chat_factory().open()
    chat.say("Je pars en Tunisie en avril avec mon fils, que dois-je faire ?")
    chat.say("je veux parler à un conseiller")
    page, agent, password = console
    assert_no_violations(page)  # login
    page.get_by_label("Agent").fill(agent)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base_url + "/hotline")
    assert page.locator("h1").inner_text() == "Handoff cases"
    assert page.locator("article.case").count() >= 1, chat.transcript()
    assert_no_violations(page)  # cases
    page.get_by_role("link", name="Assist this caller").first.click()
    page.locator("#s-dossier").wait_for()
    assert_no_violations(page)  # assist, prefilled from the case
    page.goto(base_url + "/hotline/assist")
    assert_no_violations(page)  # assist, empty
    page.locator("textarea").first.fill("The caller goes to Tunisia from 3 to 20 April with her son.")
    page.get_by_role("button", name="Show what applies").click()
    page.locator("#s-dossier").wait_for()
    assert_no_violations(page)  # assist, with the analysis
    page.get_by_role("button", name="Submit the request").click()
    page.locator(".error[role=alert]").wait_for()
    assert_no_violations(page)  # assist, the dossier refused with its errors
