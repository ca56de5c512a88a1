"""The chat widget in Chromium, against the assistant started by scripts/test_browser.sh."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from bot.validators import matricule

REFERENCE = re.compile(r"20\d\d-[A-Z]\d{3}-[A-Z]\d{3}")
MATRICULE = matricule.generate("19850412")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# (locale, opening message, consent by keyboard on the first button?, answers after consent, labels)
REQUESTS = {
    "fr": ("fr-FR", "Je voudrais demander l'attestation pour un séjour temporaire", True,
           ["CNS", MATRICULE, "Dupont", "Marie", "Luxembourg", "marie.dupont@example.lu", "Tunisie",
            "du 3 au 20 avril", "non"], "oui", "Envoyer"),
    "de": ("de-DE", "Ich möchte die Bescheinigung für einen vorübergehenden Aufenthalt beantragen", True,
           ["CNS", MATRICULE, "Dupont", "Marie", "Luxemburg", "marie.dupont@example.lu", "Tunesien",
            "vom 3. bis 20. April", "nein"], "ja", "Senden"),
    "en": ("en-US", "I would like to request the certificate for a temporary stay", False,
           ["CNS", MATRICULE, "Dupont", "Marie", "Luxembourg", "marie.dupont@example.lu", "Tunisia",
            "from 3 to 20 April", "no"], "yes", "Send"),
}


def focused(chat) -> str:
    return chat.page.evaluate("() => document.activeElement && (document.activeElement.id || "
                              "document.activeElement.textContent)")


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
def test_certificate_request_by_keyboard(chat_factory, lang):
    locale, opening, consent_button, answers, confirm, send_label = REQUESTS[lang]
    chat = chat_factory(locale=locale).open()
    page = chat.page
    assert page.locator(".cnschat-send").inner_text() == send_label
    # reach the message field with the keyboard alone
    for _ in range(10):
        if focused(chat) == "cnschat-input":
            break
        page.keyboard.press("Tab")
    assert focused(chat) == "cnschat-input"

    reply = chat.say(opening)
    buttons = chat.bots.nth(chat.bots.count() - 1).locator(".cnschat-choice")
    assert buttons.count() == 2, chat.transcript()  # consent: agree / do not agree
    if consent_button:  # Shift+Tab from the field: attach, then the buttons, last first
        before = chat.bots.count()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        assert focused(chat) == buttons.first.inner_text()
        page.keyboard.press("Enter")
        chat.settle(before)
        assert focused(chat) == "cnschat-input"
        assert buttons.first.is_disabled()  # answered choices leave the tab order
    else:
        chat.say(confirm)
    for n, answer in enumerate(answers):
        reply = chat.say(answer)
        assert reply, (answer, chat.transcript())
        if lang == "fr" and n == 7 and os.environ.get("WIDGET_SCREENSHOT"):
            page.screenshot(path=os.environ["WIDGET_SCREENSHOT"])
    assert answers[6] in " ".join(reply)  # the summary names the destination
    reply = " ".join(chat.say(confirm))
    assert REFERENCE.search(reply), chat.transcript()
    assert chat.page.locator("#cnschat").get_attribute("lang") == lang
    # the PDF link is a real, safe link to the page server
    link = page.locator("#cnschat-log a.cnschat-pdf").last
    href = link.get_attribute("href")
    assert re.fullmatch(re.escape(chat.base_url) + r"/documents/[A-Za-z0-9_-]{16,64}/[A-Z0-9-]+\.pdf", href), href
    assert link.get_attribute("rel") == "noopener noreferrer"
    res = page.request.get(href)
    assert res.status == 200 and res.headers["content-type"] == "application/pdf" and res.body()[:4] == b"%PDF"
    assert not chat.errors and not chat.dialogs


def test_click_a_button(chat):
    chat.open()
    chat.say("Je pars en Tunisie en avril, que dois-je faire ?")
    last = chat.bots.last
    yes = last.get_by_role("button", name="Oui")
    assert yes.count() == 1, chat.transcript()
    before = chat.bots.count()
    yes.click()
    reply = chat.settle(before)
    assert chat.page.locator(".cnschat-user").last.inner_text().endswith("Oui")  # the title, not the payload
    assert reply and not chat.errors


def test_language_selector_and_detected_language(chat):
    page = chat.open().page
    assert page.locator("#cnschat").get_attribute("lang") == "fr"
    assert page.get_by_label("Votre message").count() == 1
    before = chat.bots.count()
    page.locator("#cnschat-lang").focus()
    page.keyboard.press("ArrowDown")  # FR -> DE with the keyboard
    assert page.locator("#cnschat-lang").input_value() == "de"
    assert page.locator(".cnschat-send").inner_text() == "Senden"
    assert page.get_by_label("Ihre Nachricht").count() == 1
    assert page.locator(".cnschat-user").last.inner_text().endswith("Auf Deutsch, bitte.")
    chat.settle(before)
    reply = chat.say("Ich fahre im Mai nach Marokko. Was brauche ich?")
    assert page.locator("#cnschat").get_attribute("lang") == "de", reply
    # the person writes English: the assistant answers in English and the labels follow
    reply = chat.say("Sorry, I would rather speak English. I am going to Morocco in May, what do I need?")
    assert page.locator("#cnschat").get_attribute("lang") == "en", reply
    assert page.locator(".cnschat-send").inner_text() == "Send"
    assert page.locator("#cnschat-lang").input_value() == "en"


def test_upload_accepted_and_refused(chat):
    page = chat.open().page
    sender = page.evaluate("() => window.CNS_CHAT.sender()")
    # by keyboard: the paper clip opens the file chooser
    page.locator(".cnschat-attach").focus()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    before = chat.bots.count()
    chooser.value.set_files(files=[{"name": "composition-menage.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator(".cnschat-user", has_text="composition-menage.pdf").wait_for()
    chat.settle(before)
    index = Path(os.environ["BOT_VAR_DIR"]) / "uploads" / sender / "index.json"
    entries = json.loads(index.read_text(encoding="utf-8"))
    assert [e["name"] for e in entries] == ["composition-menage.pdf"]
    assert (index.parent / entries[0]["id"]).read_bytes() == PDF
    # a file named .pdf that is not a PDF: refused, with the reason in French
    page.locator("#cnschat-file").set_input_files(
        files=[{"name": "faux.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a pdf</html>"}])
    note = page.locator('.cnschat-note[data-reason="bad_type"]')
    note.wait_for()
    assert "« faux.pdf » n'a pas été accepté" in note.inner_text()
    assert len(json.loads(index.read_text(encoding="utf-8"))) == 1
    # the refusal follows the labels' language
    page.locator("#cnschat-lang").select_option("en")
    assert "“faux.pdf” was not accepted" in note.inner_text()


def test_markup_typed_by_the_user_is_text(chat):
    page = chat.open().page
    evil = "<img src=x onerror=alert(1)>"
    chat.say(evil)
    user = page.locator(".cnschat-user").last
    assert user.locator(".cnschat-text").inner_text() == evil
    assert page.locator("#cnschat-log img").count() == 0
    page.reload()
    page.locator("#cnschat-input").wait_for()
    assert page.locator(".cnschat-user .cnschat-text").last.inner_text() == evil
    assert page.locator("#cnschat-log img, #cnschat-log script").count() == 0
    page.wait_for_timeout(300)
    assert not chat.dialogs and not chat.errors


def test_conversation_kept_across_reload(chat):
    page = chat.open().page
    sender = page.evaluate("() => window.CNS_CHAT.sender()")
    chat.say("Je voudrais demander l'attestation pour un séjour temporaire")
    n = page.locator("#cnschat-log > li").count()
    page.reload()
    chat.open()
    assert page.evaluate("() => window.CNS_CHAT.sender()") == sender
    assert page.locator("#cnschat-log > li").count() == n
    reply = chat.say("oui")  # the request goes on where it was: the next question is about the fund
    assert any("caisse" in r for r in reply), chat.transcript()


def test_rest_fallback_without_socketio(chat):
    page = chat.page
    page.route("**/socket.io.min.js", lambda route: route.abort())
    chat.open(transport="rest")
    reply = chat.say("Bonjour, je pars au Maroc en mai. Que faut-il faire ?")
    assert reply and page.locator("#cnschat").get_attribute("data-transport") == "rest"


def test_small_screen_360px(chat_factory):
    chat = chat_factory(viewport={"width": 360, "height": 740}).open()
    page = chat.page
    box = page.locator("#cnschat-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    for sel in ("#cnschat-input", ".cnschat-send", ".cnschat-attach", "#cnschat-lang", ".cnschat-close"):
        b = page.locator(sel).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 360, sel
    chat.say("Je pars en Tunisie en avril, que dois-je faire ?")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    # closing and opening again with the keyboard
    page.locator(".cnschat-close").focus()
    page.keyboard.press("Enter")
    assert page.locator("#cnschat-panel").is_hidden()
    assert page.locator(".cnschat-launcher").evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    assert page.locator("#cnschat-panel").is_visible()


@pytest.mark.parametrize("width", [1024, 360])
def test_terms_and_privacy_links_in_the_header(chat_factory, base_url, width):
    chat = chat_factory(viewport={"width": width, "height": 740}).open()
    page = chat.page
    header = page.locator(".cnschat-header")
    terms_url = os.environ["WEB_TERMS_URL"]  # configured by scripts/test_browser.sh; privacy: the default
    for lang, privacy_name, terms_name in (("fr", "Données personnelles", "Conditions d'utilisation"),
                                           ("de", "Datenschutz", "Nutzungsbedingungen"),
                                           ("en", "Privacy", "Terms of use")):
        if lang != "fr":  # the selector also tells the assistant: wait for its answer (it sets the labels too)
            before = chat.bots.count()
            page.locator("#cnschat-lang").select_option(lang)
            chat.settle(before)
        privacy = header.get_by_role("link", name=privacy_name)
        terms = header.get_by_role("link", name=terms_name)
        assert privacy.count() == 1 and terms.count() == 1, lang
        assert privacy.get_attribute("href") == f"{base_url}/privacy/{lang}"
        assert terms.get_attribute("href") == terms_url.replace("{lang}", lang)
        for link in (privacy, terms):
            assert link.get_attribute("rel") == "noopener noreferrer" and link.is_visible()
        for control in (privacy, terms, page.locator("#cnschat-lang"), page.locator(".cnschat-close")):
            box = control.bounding_box()  # every header control on screen, whatever the title's length
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (lang, box)
    # the default privacy page: the assistant's data-protection answer, in the language asked
    res = page.request.get(f"{base_url}/privacy/en")
    assert res.status == 200 and "National Commission for Data Protection" in res.text()
    assert not chat.errors


def test_accessible_names_and_contrast(chat):
    page = chat.open().page
    live = page.get_by_role("log", name="Conversation")
    assert live.count() == 1 and live.get_attribute("aria-live") == "polite"
    log = live.locator("ol#cnschat-log")  # the messages: a list, in the live region, reached by Tab
    assert log.count() == 1 and log.get_attribute("tabindex") == "0" and log.get_attribute("aria-label") == "Conversation"
    for name in ("Votre message", "Langue"):
        assert page.get_by_label(name).count() == 1, name
    for name in ("Envoyer", "Joindre un fichier (PDF, JPEG ou PNG)", "Fermer"):
        assert page.get_by_role("button", name=name).count() == 1, name
    chat.say("Je pars en Tunisie en avril, que dois-je faire ?")
    ratios = page.evaluate("""() => {
      const lum = (c) => { const v = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(x => x / 255)
        .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
      const bg = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(c)) return c; } return "rgb(255, 255, 255)"; };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const out = {};
      for (const sel of [".cnschat-title", ".cnschat-legal a", ".cnschat-user .cnschat-text", ".cnschat-bot .cnschat-text",
                         ".cnschat-bot a", ".cnschat-choice", ".cnschat-send", ".cnschat-note", "#cnschat-input"]) {
        const e = document.querySelector(sel); if (!e) continue;
        out[sel] = ratio(getComputedStyle(e).color, bg(e));
      }
      return out; }""")
    assert len(ratios) >= 7, ratios
    for sel, ratio in ratios.items():
        assert ratio >= 4.5, (sel, ratio)
    # a visible focus ring on every control
    for sel in ("#cnschat-input", ".cnschat-send", ".cnschat-attach", ".cnschat-choice"):
        page.locator(sel).first.focus()
        page.keyboard.press("Shift")  # keyboard modality for :focus-visible
        style = page.locator(sel).first.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
        assert style.startswith("solid") and not style.endswith(" 0px"), (sel, style)


@pytest.fixture(scope="session", autouse=True)
def _keep_screenshot():
    yield
    shot, keep = os.environ.get("WIDGET_SCREENSHOT"), os.environ.get("KEEP_SCREENSHOT")
    if shot and keep and Path(shot).is_file():
        shutil.copyfile(shot, keep)
