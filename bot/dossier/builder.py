"""The one dossier builder: the document of a finished request (from the chat or the hotline), stored, then its PDFs and confirmation e-mail."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from bot import reference, rules
from bot.dossier import store
from bot.request import flow
from bot.messages import Say

logger = logging.getLogger(__name__)


def delivery_days(authenticated: bool = False) -> int:
    """How many days the certificate usually takes (regimes.yml `delivery`)."""
    key = "with_authentication" if authenticated else "without_authentication"
    return reference.regimes()["delivery"][key]["usual_days"]


def build(slots: Dict[str, Any], language: str, authenticated: Optional[bool] = None) -> Dict[str, Any]:
    """The dossier as stored and shown by `python -m bot dossiers show REF --json`."""
    if authenticated is None:
        authenticated = bool(slots.get("authenticated"))
    persons = []
    for person in flow.dossier_persons(slots):
        persons.append({
            "matricule": person["matricule"], "last_name": person["last_name"],
            "first_name": person["first_name"], "relation": person.get("relation") or "self",
            "destination": person["destination"], "departure": person["departure"],
            "return": person["return_date"], "form": person["form"],
        })
    return {
        "status": "submitted",
        "language": language,
        "fund": slots.get("fund"),
        "authenticated": authenticated,
        "delivery": "espace" if authenticated else "post",
        "requester": {
            "matricule": slots.get("req_matricule"), "last_name": slots.get("req_last_name"),
            "first_name": slots.get("req_first_name"), "residence_country": slots.get("residence"),
            "email": slots.get("email"), "insured_status": slots.get("insured_status"),
        },
        "persons": persons,
        "profile": slots.get("profile") or "stay",
        "attachments": [a for a in (slots.get("attachments") or []) if a.get("status") == "received"],
        "documents_to_send": [a["type"] for a in (slots.get("attachments") or []) if a.get("status") != "received"],
        "household_certificate_required": bool(
            slots.get("residence") and rules.needs_household_certificate(slots["residence"])),
    }


def submit(slots: Dict[str, Any], language: str, sender_id: Optional[str] = None,
           authenticated: Optional[bool] = None, background: bool = False,
           request_key: Optional[str] = None) -> Dict[str, Any]:
    """Store the dossier of a finished request, then its PDFs and confirmation e-mail (see `file`)."""
    return file(build(slots, language, authenticated), sender_id=sender_id, background=background,
                request_key=request_key)


def file(doc: Dict[str, Any], sender_id: Optional[str] = None, background: bool = False,
         request_key: Optional[str] = None) -> Dict[str, Any]:
    """Store `doc` (reference, download token and document names fixed now), then write one PDF
    per person and send the confirmation e-mail: in the background worker when `background`
    (bot/dossier/jobs.py) and it is available, otherwise before returning. Returns the stored dossier.

    With `request_key` (the request's idempotency key, bot/dossier/store.py ``save_once``) a request
    already stored is not stored again: its dossier is returned as it is, with no second PDF
    job nor e-mail (those of the first time are done, or done by ``produce_pending``)."""
    from bot.dossier import documents, jobs

    doc = {**doc, "download_token": documents.new_token(),
           "documents": documents.names(doc), "documents_ready": False}
    if request_key:
        doc, created = store.save_once(doc, request_key, sender_id=sender_id)
        if not created:
            logger.info("request already stored as %s: not stored again", doc["reference"])
            return doc
    else:
        doc = store.save(doc, sender_id=sender_id)
    if background and jobs.run_later(produce, doc["reference"]):
        return doc
    try:
        return produce(doc["reference"]) or doc
    except Exception:  # the dossier is stored and its reference given; produce_pending retries
        logger.exception("PDFs of %s failed", doc["reference"])
        return doc


def produce(reference: str, send_email: bool = True) -> Optional[Dict[str, Any]]:
    """Write a stored dossier's PDFs and send its confirmation e-mail, once; returns the dossier
    (None if it no longer exists). A failed e-mail is recorded in the dossier, not raised.
    With `send_email=False` only the PDFs are written (a download that came first); the
    e-mail stays to do."""
    from bot.dossier import documents

    doc = store.get(reference)
    if doc is None or documents.ready(doc):
        return doc
    pdfs = documents.write_pdfs(doc)
    if store.get(reference) is None:  # erased meanwhile (python -m bot privacy erase)
        documents.remove(doc)
        return None
    if not send_email:
        return doc
    fields: Dict[str, Any] = {"documents": [p.name for p in pdfs], "documents_ready": True}
    try:
        fields["email_sent"] = documents.send(documents.confirmation_email(doc, pdfs))
    except Exception as exc:  # the dossier is kept; the failure is visible in the dossier
        logger.exception("confirmation e-mail for %s failed", reference)
        fields["email_error"] = type(exc).__name__
    return store.update(reference, fields)


def produce_pending() -> int:
    """Dossiers whose PDFs or e-mail were not done (the process stopped first): do them now."""
    from bot.dossier import documents

    done = 0
    for doc in store.containing({"documents_ready": False}):
        if not documents.ready(doc):
            produce(doc["reference"])
            done += 1
    return done


def notifications(sender_id: Optional[str], matricule: Optional[str] = None) -> List[Say]:
    """Status changes the person has not been told yet; marks them as told."""
    if not sender_id and not matricule:
        return []
    says = []
    for doc in store.list_all(sender_id=sender_id, matricule=matricule):
        if doc["status"] == "submitted" or doc.get("status_notified") == doc["status"]:
            continue
        note = ((doc.get("history") or [{}])[-1] or {}).get("note") or ""
        says.append(Say(f"utter_status_{doc['status']}", {"reference": doc["reference"], "note": note}))
        store.update(doc["reference"], {"status_notified": doc["status"]})
    return says


def status_overview(matricule: str) -> List[Say]:
    """For an authenticated person: the status of each earlier dossier."""
    docs = store.list_all(matricule=matricule)
    if not docs:
        return [Say("utter_status_none")]
    return [Say(f"utter_status_line_{doc['status']}", {"reference": doc["reference"],
                                                        "created": (doc.get("created_at") or "")[:10]})
            for doc in docs[-10:]]


def download_links(doc: Dict[str, Any]) -> str:
    """Links to the PDFs on the chat page's server (`WEB_PUBLIC_URL`, default http://localhost:8000)."""
    import os

    base = os.environ.get("WEB_PUBLIC_URL", f"http://localhost:{os.environ.get('WEB_PORT', '8000')}")
    token = doc.get("download_token")
    return "\n".join(f"{base}/documents/{token}/{name}" for name in doc.get("documents") or []) if token else ""
