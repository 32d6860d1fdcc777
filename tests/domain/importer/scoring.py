# SPDX-License-Identifier: EUPL-1.2
"""Scoring rules for import drafts, copied from ../shared/import/score.py (the project's scorer).

Only the pure functions are copied (tokens, similar, f1, match_lists, eq, score_parties, score_goals,
score_doc and the weighting in ``doc_score``) so that tests do not read ../shared at run time. Keep them
in step with score.py if it changes.
"""

from __future__ import annotations

import re

SCALARS = [
    "document_type",
    "case_number",
    "issued_on",
    "extension_max_months",
    "notice_period_months",
    "renewal_decision_months_before_end",
    "annual_amount_sek",
    "total_amount_sek",
    "steering_group_min_meetings_per_year",
    "steering_group_min_members_per_party",
    "follow_ups_per_year",
]
WEIGHTS = {"goals": 4, "budget_lines": 2}
NAME_STOP = {
    "socialnämnd",
    "socialnämnden",
    "socialförvaltning",
    "socialförvaltningen",
    "föreningen",
    "förening",
    "i",
    "göteborg",
    "göteborgs",
    "stad",
    "och",
    "sf",
    "nämnd",
    "nämnden",
}


def tokens(text, stop=frozenset()):
    words = re.findall(r"[a-zåäöéü0-9]+", (text or "").lower())
    return {w for w in words if w not in stop}


def similar(a, b, stop=frozenset(), threshold=0.5):
    ta, tb = tokens(a, stop), tokens(b, stop)
    if not ta or not tb:
        return (a or "").strip().lower() == (b or "").strip().lower()
    inter = len(ta & tb)
    return inter / len(ta | tb) >= threshold or inter / min(len(ta), len(tb)) >= 0.8 and min(len(ta), len(tb)) >= 2


def f1(matched, n_pred, n_gold):
    if n_gold == 0 and n_pred == 0:
        return 1.0
    if matched == 0:
        return 0.0
    p, r = matched / n_pred, matched / n_gold
    return 2 * p * r / (p + r)


def match_lists(pred, gold, same):
    pairs, used = [], set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(p, g):
                used.add(i)
                pairs.append((p, g))
                break
    return pairs


def eq(pred, gold):
    if isinstance(gold, list) and not isinstance(pred, list):
        return pred in gold
    return pred == gold


def score_parties(pred, gold):
    pred = [p for p in pred or [] if isinstance(p, dict)]
    pairs = match_lists(
        pred,
        gold,
        lambda p, g: (
            similar(p.get("name", ""), g["name"], NAME_STOP)
            or (g.get("org_number") and p.get("org_number") == g["org_number"])
        ),
    )
    names = f1(len(pairs), len(pred), len(gold))
    gold_nrs = {g["org_number"] for g in gold if g.get("org_number")}
    pred_nrs = {p.get("org_number") for p in pred if p.get("org_number")}
    nrs = f1(len(gold_nrs & pred_nrs), len(pred_nrs), len(gold_nrs))
    return (names + nrs) / 2


def score_goals(pred, gold, optional, unscored):
    pred = [p for p in pred or [] if isinstance(p, dict)]
    pairs = match_lists(pred, gold, lambda p, g: similar(p.get("text", ""), g["text"]))
    extra = [p for p in pred if all(p is not q for q, _ in pairs)]
    optional_hits = sum(1 for p in extra if any(similar(p.get("text", ""), o) for o in optional))
    goal_f1 = f1(len(pairs), len(pred) - optional_hits, len(gold))
    if not gold:
        return goal_f1
    parts = []
    for p, g in pairs:
        pi = [i for i in p.get("indicators") or [] if isinstance(i, dict)]
        gi = g.get("indicators") or []
        ipairs = match_lists(pi, gi, lambda a, b: similar(a.get("text", ""), b["text"]))
        parts.append(f1(len(ipairs), len(pi), len(gi)))
        for a, b in ipairs:
            parts.append(1.0 if set(a.get("dimensions") or []) == set(b.get("dimensions") or []) else 0.0)
            if "goals.indicators.collected_by" not in unscored:
                ca, cb = a.get("collected_by") or [], b.get("collected_by") or []
                cp = match_lists(ca, cb, lambda x, y: similar(x, y, NAME_STOP))
                parts.append(f1(len(cp), len(ca), len(cb)))
    detail = sum(parts) / len(parts) if parts else 0.0
    return goal_f1 * (0.5 + 0.5 * detail)


def score_doc(pred, gold):
    unscored = set(gold.get("_unscored", []))
    s = {}
    for key in SCALARS:
        if key not in unscored:
            s[key] = 1.0 if eq(pred.get(key), gold.get(key)) else 0.0
    gp, pp = gold.get("period") or {}, pred.get("period") or {}
    for part in ("start", "end"):
        if f"period.{part}" not in unscored:
            s[f"period.{part}"] = 1.0 if eq(pp.get(part), gp.get(part)) else 0.0
    for key in ("public_parties", "nonprofit_parties"):
        if key not in unscored:
            s[key] = score_parties(pred.get(key), gold.get(key) or [])
    if "dialogue_parties" not in unscored:
        pd, gd = pred.get("dialogue_parties") or [], gold.get("dialogue_parties") or []
        s["dialogue_parties"] = f1(
            len(match_lists(pd, gd, lambda a, b: similar(str(a), b, NAME_STOP))), len(pd), len(gd)
        )
    if "amount_by_year_sek" not in unscored:
        pa = {(str(k), v) for k, v in (pred.get("amount_by_year_sek") or {}).items()}
        ga = {(str(k), v) for k, v in (gold.get("amount_by_year_sek") or {}).items()}
        s["amount_by_year_sek"] = f1(len(pa & ga), len(pa), len(ga))
    for key, subs in (
        ("indexation", ("index", "reference_month")),
        ("payment_schedule", ("frequency", "in_advance", "months")),
    ):
        if key in unscored:
            continue
        g, p = gold.get(key), pred.get(key)
        if g is None:
            s[key] = 1.0 if p is None else 0.0
        elif not isinstance(p, dict):
            s[key] = 0.0
        else:
            judged = [k for k in subs if f"{key}.{k}" not in unscored]
            hits = [
                1.0
                if (sorted(p.get(k) or []) == sorted(g.get(k) or []) if k == "months" else eq(p.get(k), g.get(k)))
                else 0.0
                for k in judged
            ]
            s[key] = sum(hits) / len(hits)
    if "budget_lines" not in unscored:
        pa = sorted(int(b.get("amount_sek") or 0) for b in pred.get("budget_lines") or [] if isinstance(b, dict))
        ga = sorted(int(b["amount_sek"]) for b in gold.get("budget_lines") or [])
        rest, hits = list(pa), 0
        for a in ga:
            if a in rest:
                rest.remove(a)
                hits += 1
        s["budget_lines"] = f1(hits, len(pa), len(ga))
    if "goals" not in unscored:
        s["goals"] = score_goals(
            pred.get("goals"), gold.get("goals") or [], gold.get("_optional_goals") or [], unscored
        )
    return s


def doc_score(pred, gold) -> tuple[float, dict[str, float]]:
    """The weighted score of one document (as score.py prints it) and the per-key scores."""
    s = score_doc(pred, gold)
    weight = {k: WEIGHTS.get(k, 1) for k in s}
    return sum(v * weight[k] for k, v in s.items()) / sum(weight.values()), s
