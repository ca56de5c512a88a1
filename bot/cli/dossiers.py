"""``python -m bot dossiers ...``: the submitted requests, as the fund's staff see them."""
from __future__ import annotations

import argparse
import json
import sys

from bot.dossier import builder, store


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
    print(f"{builder.produce_pending()} dossier(s) completed")
    return 0


def cmd_pdf(args) -> int:
    from pathlib import Path

    from bot.dossier import documents

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
