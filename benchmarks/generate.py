"""Write a synthetic overlay catalogue of N entries for scale benchmarks.

    python benchmarks/generate.py 10000 /tmp/painref-10k.yaml

Entries are copies of the built-in ones with numbered ids and names and shuffled words in their
text, so the vocabulary and the index grow with the size as they would for a real catalogue.
Procedures and treatments link to built-in conditions, and every generated condition is linked
from a generated procedure, so `condition` has real work to do. The output is valid: `painref
validate` accepts it. It is test data, not medical content.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

from painref import catalogue, yamlio

# Made-up words mixed into the text so the vocabulary grows with the catalogue.
SYLLABLES = ("ka", "lo", "mi", "ne", "po", "ra", "su", "ti", "ve", "zo", "bri", "cla", "dro", "fen", "gor")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _vary(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 8)):
        words.insert(rng.randrange(len(words) + 1), _word(rng))
    return " ".join(words)


def generate(size: int, seed: int = 7, first: int = 1) -> dict[str, Any]:
    """A catalogue document holding `size` new entries, roughly 40% procedures, 35% conditions,
    numbered from `first` (so several documents can be overlays of one catalogue)."""
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible on purpose
    path = catalogue.builtin_file()
    source = yamlio.parse(catalogue.read_text(path), path.label)
    assert isinstance(source, dict)
    templates = {kind: source[kind] for kind in ("procedures", "conditions", "treatments")}
    shares = {"procedures": 0.4, "conditions": 0.35, "treatments": 0.25}
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in templates}
    number = first - 1
    for kind, share in shares.items():
        count = round(size * share) if kind != "treatments" else size - sum(len(v) for v in out.values())
        for _ in range(count):
            number += 1
            template = dict(rng.choice(templates[kind]))
            template.pop("family", None)
            entry = {
                **template,
                "id": f"gen-{number:05d}-{template['id']}",
                "name": f"{template['name']} {_word(rng)} {number}",
                "aliases": [f"{alias} {number}" for alias in template["aliases"][:3]],
                "summary": _vary(template["summary"], rng),
            }
            for key in ("how_it_works", "evidence"):
                if key in entry:
                    entry[key] = _vary(entry[key], rng)
            out[kind].append(entry)
    # Give each generated condition one option, a procedure or a treatment in turn, as an
    # indication record shaped like the built-in ones, so `condition` reads records as it does for
    # real. One, not two: with two, 50,000 entries came to 273 MB, over the 256 MiB input cap.
    records: list[dict[str, Any]] = []
    for index, condition in enumerate(out["conditions"]):
        kind = ("procedures", "treatments")[index % 2]
        if out[kind]:
            option = out[kind][index % len(out[kind])]
            template = dict(rng.choice(source["indications"]))
            records.append({**template, "condition": condition["id"], "option": option["id"]})
    if records:
        out["indications"] = records
    return {k: v for k, v in out.items() if v}


def plain_dumper() -> type[yaml.SafeDumper]:
    """The C dumper that writes shared lists out in full: painref refuses YAML anchors and aliases."""
    base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return type("PlainDumper", (base,), {"ignore_aliases": lambda self, data: True})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int, help="number of entries to generate")
    parser.add_argument("output", type=Path, help="where to write the YAML overlay")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first", type=int, default=1, help="number of the first entry (default 1)")
    args = parser.parse_args()
    document = generate(args.size, args.seed, args.first)
    with args.output.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle, Dumper=plain_dumper(), sort_keys=False, allow_unicode=True, width=120)
    print(f"wrote {sum(len(v) for v in document.values())} entries to {args.output}")


if __name__ == "__main__":
    main()
