"""Print the share of example conversations that pass, per set and per language.

Usage: python scripts/scenario_share.py RESULTS.json SCENARIO_FILE...
RESULTS.json is what `../shared/eval/converse.py --json` wrote; the scenario
files say which set and language each scenario id belongs to.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    results = {r["id"]: r["ok"] for r in json.loads(Path(argv[0]).read_text(encoding="utf-8"))}
    table = defaultdict(lambda: [0, 0])
    for name in argv[1:]:
        for sc in yaml.safe_load(Path(name).read_text(encoding="utf-8")) or []:
            if sc["id"] not in results:
                continue
            for key in ((Path(name).stem, sc["lang"]),):
                table[key][0] += int(bool(results[sc["id"]]))
                table[key][1] += 1
    print(f"{'set':<22} {'lang':<4} {'passed':>7} {'share':>7}")
    for (stem, lang), (ok, total) in sorted(table.items()):
        print(f"{stem:<22} {lang:<4} {ok:>3}/{total:<3} {100 * ok / total:6.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
