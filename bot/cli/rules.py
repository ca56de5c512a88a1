"""``python -m bot rules ...``: what applies to a stay abroad.

    python -m bot rules explain --country "Türkei" --profile student [--lang de] [--json]
    python -m bot rules resolve "Tunesie"
    python -m bot rules find "nous partons au Maroc"

Text output is built from data labels only (regimes.yml ``labels``).
"""
from __future__ import annotations

import argparse
import json
import sys

from bot.text import LANGS


def _profile(value: str) -> str:
    from bot import rules

    try:
        return rules.canonical_profile(value)
    except rules.UnknownProfileError:
        raise argparse.ArgumentTypeError(f"unknown profile {value!r}") from None


def register(subparsers) -> None:
    rules_parser = subparsers.add_parser("rules", help="what applies to a stay abroad")
    sub = rules_parser.add_subparsers(dest="rules_command", metavar="RULES_COMMAND")
    sub.required = True

    explain = sub.add_parser("explain", help="advice for a country and a profile")
    explain.add_argument("--country", required=True, help="country name (fr/de/en) or code")
    explain.add_argument("--profile", type=_profile, default="stay",
                         help="stay|holiday|study|student|posting|posted (default: stay)")
    explain.add_argument("--lang", choices=LANGS, default="en")
    explain.add_argument("--json", action="store_true", help="print the advice as JSON")
    explain.set_defaults(func=_cmd_explain)

    resolve = sub.add_parser("resolve", help="country name -> code")
    resolve.add_argument("name")
    resolve.add_argument("--lang", choices=LANGS, default="en")
    resolve.set_defaults(func=_cmd_resolve)

    find = sub.add_parser("find", help="country names inside a sentence")
    find.add_argument("text")
    find.set_defaults(func=_cmd_find)


def _dump(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _cmd_explain(args) -> int:
    from bot import rules

    try:
        advice = rules.explain(args.country, args.profile, args.lang)
    except rules.UnknownCountryError as exc:
        print(json.dumps({"error": "unknown_country", "query": exc.query}, ensure_ascii=False), file=sys.stderr)
        return 2
    if args.json:
        _dump(advice.to_dict())
    else:
        print(render_text(advice.to_dict()))
    return 0


def _cmd_resolve(args) -> int:
    from bot import countries

    code = countries.resolve(args.name)
    _dump({"query": args.name, "code": code, "name": countries.name(code, args.lang) if code else None})
    return 0 if code else 1


def _cmd_find(args) -> int:
    from bot import countries

    _dump([m.__dict__ for m in countries.find(args.text)])
    return 0


def render_text(advice: dict) -> str:
    """Readable lines built from data labels (no sentence is written here)."""
    from bot.reference import label

    lang = advice["lang"]

    def line(field: str, value) -> str:
        return f"{label('field_' + field, lang)}: {value}"

    yes_no = label("yes" if advice["eligible_for_online_request"] else "no", lang)
    lines = [
        line("country", f"{advice['country_name']} ({advice['country_code']})"),
        line("profile", label(advice["profile"], lang)),
        line("regime", label(advice["regime"], lang)),
        line("group", label(advice["group"], lang)),
        line("procedure", label(advice["procedure"], lang)),
        line("online", yes_no),
    ]
    form = advice["form"]
    if form:
        lines.append(line("form", f"{form['code'] or '—'} – {form['name']}"))
        others = [c for c in form["codes"] if c != form["code"]]
        if others:
            lines.append(line("other_codes", ", ".join(others)))
    if advice["lead_time_days"] is not None:
        lines.append(line("lead_time", advice["lead_time_days"]))
    how = advice["how_to_request"]
    if how.get("steps"):
        lines.append(line("steps", " › ".join(s["label"] for s in how["steps"])))
    if how.get("url"):
        lines.append(line("contact", how["url"]))
    if advice["delivery"]:
        days = label("field_days", lang)
        parts = [f"{label(mode, lang)}: {label(spec['channel'], lang)} (~{spec['usual_days']} {days})"
                 for mode, spec in advice["delivery"].items() if mode.endswith("authentication")]
        lines.append(line("delivery", "; ".join(parts)))
    posting = advice["posting"]
    if posting:
        lines.append(line("max_months", posting["max_months"]))
        docs = [d["name"] + (f" ({d['code']})" if d.get("code") else "") for d in posting["documents"]]
        lines.append(line("documents", "; ".join(docs)))
    reimbursement = advice["reimbursement"]
    if reimbursement:
        value = reimbursement.get("rates_label", "")
        docs = [d["label"] for d in reimbursement.get("documents", ())]
        if docs:
            value += " – " + "; ".join(docs)
        lines.append(line("reimbursement", value))
    if advice["caveats"]:
        lines.append(line("caveats", "; ".join(c["label"] for c in advice["caveats"])))
    lines.append(line("sources", ", ".join(advice["sources"])))
    return "\n".join(lines)
