"""Recomputing a contest's full ranking: 2,000 competitors × 6 items × 7 judges (84,000 judge scores, with
recusal, deductions, a tie-break order and spread checks) vs. the same computation in plain pandas.

Both sides start from the same SQLite file and produce, per competitor, the six item scores, 总分 and the
place (1, 2, 2, 4 after tie-breaks); the bench asserts they agree before it times anything. Both use the
exact integer rules (half-up on thousandths, one rational 总分 rounded once) so the comparison is of the
machinery, not of float shortcuts. Targets: ≤ 1.5× pandas, and under 0.2 s absolute (every keystroke on
the main laptop may recompute the board).
"""

from __future__ import annotations

import math
import random
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from sqlite_utils import Database

from bench.core import Result, benchmark, best_of, compare
from trainer import contest, contest_people, ranking, units
from trainer.contest import AVERAGE, DROP_HIGH_LOW, NewContest, NewItem
from trainer.db import open_db

COMPETITORS, JUDGES = 2_000, 7
ABSOLUTE_TARGET = 0.2
# name, method, weight, decimals, tie-break, spread limit
ITEMS = (("法律知识", AVERAGE, 25, 1, 3, None), ("执法文书制作", DROP_HIGH_LOW, 15, 2, 1, 15),
         ("案卷评审", DROP_HIGH_LOW, 15, 2, 2, 15), ("情景模拟执法", DROP_HIGH_LOW, 20, 2, None, 12),
         ("执法礼仪", DROP_HIGH_LOW, 15, 2, None, None), ("队列", DROP_HIGH_LOW, 10, 1, None, None))


def make_db(path: Path, seed: int = 6) -> tuple[Database, int]:
    rng = random.Random(seed)
    db = open_db(path)
    counties = [u for u in units.all_units(db) if u.level == "县级"]
    c = contest.create_contest(db, NewContest("基准比武"))
    item_ids = [contest.add_item(db, c.id, NewItem(n, m, Decimal(100), Decimal(w), d, tb,
                                                   Decimal(s) if s else None)).id for n, m, w, d, tb, s in ITEMS]
    with db.atomic():
        db.conn.executemany("INSERT INTO contest_competitors (contest_id, name, unit_id, draw_no) VALUES (?, ?, ?, ?)",
                            [(c.id, f"选手{i}", counties[i % len(counties)].id, i) for i in range(1, COMPETITORS + 1)])
        judge_ids = []
        for j in range(JUDGES):  # three county judges (recused from their county), four from elsewhere
            unit = counties[j].id if j < 3 else None
            judge_ids.append(contest_people.add_judge(db, c.id, f"J{j + 1}", f"评委{j + 1}", unit,
                                                      unit_text="" if unit else "外聘").id)
        db.conn.executemany("INSERT INTO contest_assignments (item_id, judge_id) VALUES (?, ?)",
                            [(i, j) for i in item_ids for j in judge_ids])
        panel = contest_people.Panel.load(db, c.id)
        rows = []
        for comp in panel.competitors:
            skill = rng.gauss(80, 6)
            for item_id in item_ids:
                for jid in judge_ids:
                    if panel.recused(panel.judge_by_id[jid], comp):
                        continue
                    value = max(0.0, min(100.0, skill + rng.gauss(0, 4)))
                    rows.append((item_id, comp.id, jid, int(value * 2) * 500, "导入", "基准", "2026-11-18"))
        db.conn.executemany("INSERT INTO contest_scores (item_id, competitor_id, judge_id, value_x1000, source,"
                            " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        comps = [c_.id for c_ in panel.competitors]
        db.conn.executemany("INSERT INTO contest_deductions (item_id, competitor_id, points_x1000, reason, entered_by,"
                            " entered_at) VALUES (?, ?, ?, '超时', '基准', '2026-11-18')",
                            [(item_ids[3], cid, 1000) for cid in rng.sample(comps, 40)])
    return db, c.id


def pandas_ranking(path: Path, contest_id: int) -> pd.DataFrame:
    """The same rules in plain pandas: group, aggregate, round half-up, weight, tie-break, rank (min)."""
    conn = sqlite3.connect(path)
    try:
        items = pd.read_sql("SELECT id AS item_id, method, full_marks_x1000 AS full, weight_x100 AS weight, decimals,"
                            " tiebreak, max_spread_x1000 AS spread, sort_order FROM contest_items WHERE contest_id = ?"
                            " ORDER BY sort_order", conn, params=(contest_id,))
        comps = pd.read_sql("SELECT c.id AS competitor_id, c.draw_no, CASE WHEN u.level = '街道' THEN u.parent_id"
                            " ELSE u.id END AS team FROM contest_competitors c JOIN units u ON u.id = c.unit_id"
                            " WHERE c.contest_id = ?", conn, params=(contest_id,))
        judges = pd.read_sql("SELECT a.item_id, j.id AS judge_id, CASE WHEN u.level = '街道' THEN u.parent_id"
                             " ELSE u.id END AS team FROM contest_assignments a"
                             " JOIN contest_judges j ON j.id = a.judge_id"
                             " LEFT JOIN units u ON u.id = j.unit_id JOIN contest_items i ON i.id = a.item_id"
                             " WHERE i.contest_id = ?", conn, params=(contest_id,))
        scores = pd.read_sql("SELECT s.item_id, s.competitor_id, s.value_x1000 AS v FROM contest_scores s"
                             " JOIN contest_items i ON i.id = s.item_id WHERE i.contest_id = ?", conn,
                             params=(contest_id,))
        deductions = pd.read_sql("SELECT d.item_id, d.competitor_id, SUM(d.points_x1000) AS ded"
                                 " FROM contest_deductions d JOIN contest_items i ON i.id = d.item_id"
                                 " WHERE i.contest_id = ?"
                                 " GROUP BY d.item_id, d.competitor_id", conn, params=(contest_id,))
    finally:
        conn.close()
    g = scores.groupby(["item_id", "competitor_id"])["v"].agg(["count", "sum", "max", "min"]).reset_index()
    g = g.merge(items, on="item_id").merge(comps, on="competitor_id")
    assigned = judges.groupby("item_id").size().rename("assigned")
    recused = judges.dropna(subset=["team"]).groupby(["item_id", "team"]).size().rename("recused").reset_index()
    g = g.merge(assigned, left_on="item_id", right_index=True)
    g = g.merge(recused, on=["item_id", "team"], how="left")
    g["expected"] = g["assigned"] - g["recused"].fillna(0).astype("int64")
    drop = (g["method"] == DROP_HIGH_LOW).to_numpy()
    unit = (10 ** (3 - g["decimals"])).to_numpy()
    s = np.where(drop, g["sum"] - g["max"] - g["min"], g["sum"])
    k = np.where(drop, g["count"] - 2, g["count"])
    need = np.where(drop, 3, 1)
    g["score"] = (2 * s + k * unit) // (2 * k * unit) * unit
    g = g.merge(deductions, on=["item_id", "competitor_id"], how="left")
    g["score"] -= g["ded"].fillna(0).astype("int64")
    g["ok"] = (g["count"] >= g["expected"]) & (g["count"] >= need)
    g["flag"] = g["spread"].notna() & (g["max"] - g["min"] > g["spread"].fillna(0))
    denominator = math.lcm(*items["full"].tolist())
    g["num"] = g["score"] * g["weight"] * (denominator // g["full"])
    wide = g.pivot(index="competitor_id", columns="item_id", values="score")
    per = g.groupby("competitor_id").agg(num=("num", "sum"), ok=("ok", "sum"))
    per = per[per["ok"] == len(items)].join(wide).join(comps.set_index("competitor_id")["draw_no"])
    per["total"] = (2 * per["num"] + denominator) // (2 * denominator)
    order = ["total", *items.dropna(subset=["tiebreak"]).sort_values("tiebreak")["item_id"].tolist()]
    per = per.sort_values([*order, "draw_no"], ascending=[False] * len(order) + [True])
    key = pd.Series(list(zip(*(per[c] for c in order), strict=True)), index=per.index)
    per["place"] = (key != key.shift()).cumsum()  # distinct keys in order → group number
    first = pd.Series(np.arange(1, len(per) + 1), index=per.index)
    per["place"] = first.groupby(per["place"]).transform("min")
    per.attrs["flags"] = int(g["flag"].sum())
    return per


@benchmark("contest_ranking")
def run() -> Result:
    path = Path(tempfile.mkdtemp(prefix="bench-contest-")) / "contest.db"
    db, cid = make_db(path)
    ours = ranking.compute(db, cid)
    theirs = pandas_ranking(path, cid)
    mine = {s.competitor.id: (s.place, s.total_x100, s.item_milli) for s in ours.ranked}
    item_ids = [it.id for it in ours.items]
    base = {int(str(cid_)): (int(row["place"]), int(row["total"]), tuple(int(row[i]) for i in item_ids))
            for cid_, row in theirs.iterrows()}
    assert mine == base, "pandas and Trainer disagree"
    assert len(ours.flags) == theirs.attrs["flags"]
    t_ours = best_of(7, lambda: ranking.compute(db, cid))
    t_base = best_of(7, lambda: pandas_ranking(path, cid))
    panel, stats = contest_people.Panel.load(db, cid), ranking.load_stats(db, ours.items)
    deductions = ranking.load_deductions(db, cid)
    t_core = best_of(7, lambda: ranking.rank(list(ours.items), panel, stats, deductions))
    db.close()
    absolute = "达标" if t_ours < ABSOLUTE_TARGET else "未达标"
    return compare("contest_ranking", t_ours, t_base, 1.5,
                   f"{COMPETITORS} 人 × {len(ITEMS)} 项 × {JUDGES} 评委（{len(ours.ranked)} 人排名，"
                   f"{len(ours.flags)} 个分差提示）；绝对 {t_ours * 1000:.0f} ms，目标 < 200 ms {absolute}；"
                   f"其中 Python 排名计算 {t_core * 1000:.0f} ms")
