"""The ceiling of the bulk matcher's features on a generated file with its truth
(bench/README.md, "Ceiling and scoring"): what is the best any classifier over the
comparison vectors could do?

Every candidate pair (blocking as `alongside dedupe` runs it) is compared (`compare`),
and the pairs are grouped by what a classifier could see of them: the comparison vector
(the level of each field, as `compare` returns them), with or without how common the
names are (log2 of the people with the whole name, the first name, the family name,
counted as `Frequencies.count` does). Each group is labelled, knowing the truth, the
way that maximises F1 (groups taken as matches in order of their share of true pairs):
no rule over those features can do better on this file, so this is an upper bound, in
sample. With many small groups an in-sample optimum flatters; a two-fold estimate
(labels and cut learned on one half of the pairs, counted on the other) says how much.
Recall is given among the candidate pairs and over all true pairs (blocking misses
counted as missed). The same for the current model's pairwise score (one feature,
thresholds only: the best threshold on it), and the groups holding the most irreducible
errors (true pairs and strangers' pairs with the same evidence), with examples.

Linking (transitivity over likely pairs) is not a pairwise rule and is not counted: it
can add true pairs above these figures, as it does in `analyse_matching.py`.

    .venv/bin/python bench/matching_ceiling.py var/dupes-b-100000.csv --show 15
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

from analyse_matching import read_input  # noqa: E402 - a script beside this one

TARGET_PRECISION = 0.995


def f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_cut(
    groups: dict[Hashable, list[int]], positives: int, min_precision: float = 0.0
) -> tuple[float, float, float, float, set[Hashable]]:
    """(precision, recall, F1, purity cut, groups taken) of the F1-best set of groups
    taken whole, in order of their share of true pairs (at precision ≥ `min_precision`:
    the best recall there). `groups` maps a key to [true pairs, other pairs];
    `positives` is the number of true pairs recall counts against."""
    order = sorted(groups.items(), key=lambda kv: (-kv[1][0] / (kv[1][0] + kv[1][1]), -kv[1][0]))
    tp = fp = 0
    best = (1.0, 0.0, 0.0, 1.0, 0)
    for n, (_, (pos, neg)) in enumerate(order, start=1):
        tp += pos
        fp += neg
        p, r, f = f1(tp, fp, positives - tp)
        purity = pos / (pos + neg)
        if min_precision:
            if p >= min_precision and r > best[1]:
                best = (p, r, f, purity, n)
        elif f > best[2]:
            best = (p, r, f, purity, n)
    return (*best[:4], {key for key, _ in order[: best[4]]})


# In the two-fold estimate, groups with fewer training pairs than this are decided by
# the current model's score instead (a lookup table backed off to the model).
MIN_GROUP = 3


def two_fold(
    keys: list[Hashable],
    labels: list[bool],
    halves: list[int],
    fallback: list[bool],
    positives: int,
) -> tuple[float, float, float]:
    """P, R, F1 when each half is classified by the groups and cut learned on the other
    (a group with fewer than MIN_GROUP pairs there by `fallback`, the current model's
    decision); recall against `positives`."""
    tp = fp = 0
    for train in (0, 1):
        groups: dict[Hashable, list[int]] = {}
        for key, label, half in zip(keys, labels, halves, strict=True):
            if half == train:
                groups.setdefault(key, [0, 0])[0 if label else 1] += 1
        taken = best_cut(groups, sum(g[0] for g in groups.values()))[4]
        for key, label, half, backup in zip(keys, labels, halves, fallback, strict=True):
            if half != train:
                group = groups.get(key)
                decided = key in taken if group and sum(group) >= MIN_GROUP else backup
                if decided:
                    tp += label
                    fp += not label
    return f1(tp, fp, positives - tp)


def bucket(count: int) -> int:
    return int(math.log2(count)) if count > 0 else -1


def main() -> None:  # noqa: C901, PLR0915 - a report, section by section
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--show", type=int, default=12, help="confused groups shown")
    parser.add_argument("--examples", type=int, default=2, help="examples per class and group")
    args = parser.parse_args()
    source, records, summary, truth, kin, started = read_input(args.csv)
    from alongside.matching import dedupe, em
    from alongside.matching.blocking import SHIFT
    from alongside.matching.fellegi_sunter import compare, remembering_names, weigh
    from alongside.matching.term_frequency import Frequencies, _people

    ids = [r[0] for r in records]
    with dedupe.without_gc(), remembering_names():
        pairs = dedupe.candidate_pairs(records, summary=summary, workers=2)
        model = em.fit(records, pairs, workers=2)
        likely, _ = model.thresholds(len(records))
        frequencies = Frequencies.count(records, model.probabilities)
        people = _people(records)
        full = Counter(f"{r[1]}|{r[5]}" for r in people if r[1] and r[5])
        given = Counter(r[1] for r in people if r[1])
        family = Counter(r[5] for r in people if r[5])

        def name_counts(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, int, int]:
            # The commoner spelling of the two (a typo is the rarer one).
            return (
                bucket(max(full[f"{a[1]}|{a[5]}"], full[f"{b[1]}|{b[5]}"])),
                bucket(max(given[a[1]], given[b[1]])),
                bucket(max(family[a[5]], family[b[5]])),
            )

        vectors: list[tuple[tuple[str, str], ...]] = []
        names: list[tuple[int, int, int]] = []
        scores: list[float] = []
        labels: list[bool] = []
        kinds: list[str] = []
        for pair in pairs:
            a, b = divmod(pair, SHIFT)
            ra, rb = records[a], records[b]
            levels = compare(ra, rb)
            vectors.append(tuple(levels))
            names.append(name_counts(ra, rb))
            scores.append(round(weigh(rb, levels, frequencies, ra), 1))
            key = frozenset((ids[a], ids[b]))
            labels.append(key in truth)
            kinds.append(truth.get(key) or kin.get(key, ""))
    cpu = time.process_time() - started
    positives_blocked = sum(labels)
    halves = [zlib.crc32(f"{p}".encode()) & 1 for p in pairs]
    print(
        f"{source}: {len(records):,} rows, {len(pairs):,} candidate pairs, "
        f"{len(truth):,} true pairs ({positives_blocked:,} blocked, recall "
        f"{positives_blocked / max(len(truth), 1):.4f}); CPU {cpu:.1f} s (this process)"
    )
    print(f"current model: likely at score {likely:.1f}, pairwise (no linking)")

    features: list[tuple[str, Callable[[int], Hashable]]] = [
        ("current score (0.1 steps)", lambda i: scores[i]),
        ("comparison vector", lambda i: vectors[i]),
        ("vector + whole-name frequency", lambda i: (vectors[i], names[i][0])),
        ("vector + first and family name frequency", lambda i: (vectors[i], names[i][1:])),
        ("vector + all three frequencies", lambda i: (vectors[i], names[i])),
    ]
    decided = [s >= likely for s in scores]
    tp = sum(1 for d, y in zip(decided, labels, strict=True) if d and y)
    fp = sum(1 for d, y in zip(decided, labels, strict=True) if d and not y)
    p, r, f = f1(tp, fp, len(truth) - tp)
    print(f"\n  {'features':<42} {'groups':>7}  best F1 (P / R / F1 over all true pairs)")
    print(f"  {'current score ≥ likely (as decided)':<42} {'':>7}  {p:.4f} / {r:.4f} / {f:.4f}")
    chosen: dict[str, tuple[dict[Hashable, list[int]], set[Hashable], list[Hashable]]] = {}
    for title, key_of in features:
        keys = [key_of(i) for i in range(len(pairs))]
        groups: dict[Hashable, list[int]] = {}
        for key, label in zip(keys, labels, strict=True):
            groups.setdefault(key, [0, 0])[0 if label else 1] += 1
        p, r, f, _, taken = best_cut(groups, len(truth))
        pb, rb, fb, _, _ = best_cut(groups, positives_blocked)
        pp, rp, fp_, _, _ = best_cut(groups, len(truth), TARGET_PRECISION)
        cp, cr, cf = two_fold(keys, labels, halves, decided, len(truth))
        single = sum(1 for g in groups.values() if g[0] + g[1] == 1)
        print(f"  {title:<42} {len(groups):>7}  {p:.4f} / {r:.4f} / {f:.4f}")
        print(f"  {'':<42} {'':>7}  among blocked pairs: {pb:.4f} / {rb:.4f} / {fb:.4f}")
        print(
            f"  {'':<42} {'':>7}  at precision ≥ {TARGET_PRECISION}: "
            f"{pp:.4f} / {rp:.4f} / {fp_:.4f}"
        )
        print(
            f"  {'':<42} {'':>7}  two-fold (small groups by the score): "
            f"{cp:.4f} / {cr:.4f} / {cf:.4f}"
        )
        print(f"  {'':<42} {'':>7}  groups of one pair: {single:,}")
        if kin:
            marked = Counter(
                kinds[i]
                for i in range(len(pairs))
                if keys[i] in taken and kinds[i] in ("household", "twin")
            )
            print(
                f"  {'':<42} {'':>7}  household / twin pairs taken: "
                f"{marked['household']:,} / {marked['twin']:,}"
            )
        chosen[title] = (groups, taken, keys)

    groups, taken, keys = chosen["comparison vector"]
    # Where the model's score loses against the best rule over the same vectors: true
    # pairs it leaves below likely in vectors the rule takes, and the other way round.
    lost: Counter[Hashable] = Counter()
    for i, key in enumerate(keys):
        if (key in taken) != decided[i] and labels[i] == (key in taken):
            lost[key] += 1 if key in taken else -1
    print(
        "\nwhere the score loses against the best rule over the vectors "
        "(+: true pairs below likely in a vector taken; -: other pairs likely in one not):"
    )
    for key, n in sorted(lost.items(), key=lambda kv: -abs(kv[1]))[: args.show]:
        pos, neg = groups[key]
        levels = " ".join(f"{f}={lv}" for f, lv in key)  # type: ignore[attr-defined]
        print(f"  {n:+5} ({pos} true, {neg} other)  {levels}")

    for title in ("comparison vector", "vector + all three frequencies"):
        groups, taken, keys = chosen[title]
        errors = {k: (g[1] if k in taken else g[0]) for k, g in groups.items()}
        worst = sorted((k for k in groups if errors[k]), key=lambda k: -errors[k])
        total = sum(errors.values())
        print(f"\nirreducible errors by {title}: {total:,} in {len(worst):,} groups")
        members: dict[Hashable, list[int]] = {}
        wanted = set(worst[: args.show])
        for i, key in enumerate(keys):
            if key in wanted:
                members.setdefault(key, []).append(i)
        for key in worst[: args.show]:
            pos, neg = groups[key]
            vector, extra = (key, None) if title == "comparison vector" else key  # type: ignore[misc]
            levels = " ".join(f"{f}={lv}" for f, lv in vector)  # type: ignore[union-attr]
            kind_counts = Counter(kinds[i] or "stranger" for i in members[key] if not labels[i])
            print(
                f"  {'match' if key in taken else 'not':>5}: {pos:5} true, {neg:5} other "
                f"({', '.join(f'{k} {n}' for k, n in kind_counts.most_common(3))}) "
                f"{levels}{'' if extra is None else f' names {extra}'}"
            )
            for want in (True, False):
                shown = [i for i in members[key] if labels[i] == want][: args.examples]
                for i in shown:
                    a, b = divmod(pairs[i], SHIFT)
                    print(
                        f"      {'T' if want else 'F'} {scores[i]:5.1f} {kinds[i] or '-'}\n"
                        f"        {records[a][1:2] + records[a][4:5] + records[a][8:15]}\n"
                        f"        {records[b][1:2] + records[b][4:5] + records[b][8:15]}"
                    )


if __name__ == "__main__":
    main()
