"""Building the dossier document from a finished request, and the `dossiers` CLI."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any, Dict, List, Optional

from bot import reference, rules, store
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
    (bot/jobs.py) and it is available, otherwise before returning. Returns the stored dossier.

    With `request_key` (the request's idempotency key, bot/store.py ``save_once``) a request
    already stored is not stored again: its dossier is returned as it is, with no second PDF
    job nor e-mail (those of the first time are done, or done by ``produce_pending``)."""
    from bot import documents, jobs

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
    from bot import documents

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
    from bot import documents

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


def _print_table(docs) -> None:
    if not docs:
        print("no dossiers")
        return
    for doc in docs:
        req = doc.get("requester") or {}
        dests = ",".join(sorted({p.get("destination") or "?" for p in doc.get("persons", [])}))
        print(f"{doc['reference']}  {doc['status']:<10}  {doc['created_at']}  {doc.get('fund') or '-':<6}  "
              f"{len(doc.get('persons', []))} person(s)  {dests:<8}  {req.get('last_name', '')} {req.get('first_name', '')}")


def cmd_list(args) -> int:
    docs = store.list_all()
    if args.json:
        print(json.dumps(docs, ensure_ascii=False, indent=2))
    else:
        _print_table(docs)
    return 0


def _no_dossier(reference: str) -> int:
    print(f"no dossier {reference}", file=sys.stderr)
    return 1


def cmd_show(args) -> int:
    doc = store.get(args.reference)
    if doc is None:
        return _no_dossier(args.reference)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _print_table([doc])
        for person in doc["persons"]:
            print(f"  - {person['first_name']} {person['last_name']} ({person['matricule']}): "
                  f"{person['destination']} {person['departure']} -> {person['return']}  form {person['form']}")
    return 0


def cmd_set_status(args) -> int:
    try:
        doc = store.set_status(args.reference, args.status, args.note)
    except KeyError:
        return _no_dossier(args.reference)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{doc['reference']}: {doc['status']}")
    return 0


def cmd_produce_pending(args) -> int:
    print(f"{produce_pending()} dossier(s) completed")
    return 0


def cmd_pdf(args) -> int:
    from pathlib import Path

    from bot import documents

    doc = store.get(args.reference)
    if doc is None:
        return _no_dossier(args.reference)
    folder = Path(args.out) if args.out else None
    for path in documents.write_pdfs(doc, folder):
        print(path)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dossiers", help="submitted certificate requests")
    sub = parser.add_subparsers(dest="dossiers_command", required=True)
    p = sub.add_parser("list", help="list the dossiers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="show one dossier")
    p.add_argument("reference")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("pdf", help="write the PDF of each person concerned")
    p.add_argument("reference")
    p.add_argument("--out", help="folder (default: the dossier's download folder under var/)")
    p.set_defaults(func=cmd_pdf)
    p = sub.add_parser("produce-pending",
                       help="write the PDFs and send the e-mails left undone when a process stopped")
    p.set_defaults(func=cmd_produce_pending)
    p = sub.add_parser("set-status", help="change a dossier's status (what the fund's staff do)")
    p.add_argument("reference")
    p.add_argument("status", choices=store.STATUSES)
    p.add_argument("--note")
    p.set_defaults(func=cmd_set_status)
