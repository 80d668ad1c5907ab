"""The demo township: 槐溪镇 (fictional) in 义乌市 (county code 330782).

:func:`demo_roster` returns the roster in the CONTRACT JSON shape
``{"units": [...], "cadres": [...], "in_charge": [...]}``; every call builds a fresh,
independent structure (mutating it never affects the next call).

Code scheme (12-digit 统计用区划代码: 6 county + 3 township + 3 village digits)
-------------------------------------------------------------------------------
* township   ``330782101000``                       槐溪镇
* villages   ``33078210120V``, V = 1..5
  (``330782101201`` 上溪村 … ``330782101205`` 下湾村).
* groups     ``3307821012VG``: village V, group G (G = 1..3), e.g. ``330782101211`` is
  上溪村第一村民小组, ``330782101253`` 下湾村第三村民小组.  Village groups have no
  official code; this synthetic extension keeps them 12 digits and unique (a village's
  middle digit is 0, a group's is its village number).

Cadre id scheme
---------------
* township: ``t-sec`` 党委书记 (party_secretary); ``t-lead1`` 镇长, ``t-lead2`` 党委副书记,
  ``t-lead3`` 副镇长 (leader_in_charge); ``t-xf1``/``t-xf2`` 信访办 (petition_staff);
  ``t-op1``/``t-op2`` hotline operators (operator).
* village V: ``vV-sec`` 支部书记, ``vV-dsec`` 支部副书记, ``vV-dir`` 村委会主任,
  ``vV-ddir`` 村委会副主任, ``vV-m1``.. 委员 (member).
* ``v3-fs``: 第一书记 seconded from the township to 石门村; their ``unit_code`` is the
  village they serve (that is where they take cases).

Backups (AB角), acyclic by construction
---------------------------------------
* village: members chain ``mK -> m(K-1) -> … -> m1 -> ddir -> dir -> sec -> dsec``;
  the deputy secretary is the root (``backup_cadre_id`` null). The first secretary's
  backup is the village party secretary.
* township: ``t-sec -> t-lead1 -> t-lead2``, ``t-lead3 -> t-lead2``,
  ``t-op1 -> t-op2 -> t-xf2 -> t-xf1 -> t-lead2``; ``t-lead2`` is the root (null).
Every backup is in the same unit as the cadre, and exactly one cadre per unit has none.

Responsibilities (分工)
-----------------------
In every village each category of :data:`CATEGORIES` has exactly one responsible cadre
(see ``_RESPONSIBILITIES``).  Packaging (包村): ``t-lead1`` → villages 1, 2;
``t-lead2`` → 3, 4; ``t-lead3`` → 5.

Names and phone numbers are invented; phone numbers are deterministic
(``1390579NNNN`` township, ``1385790VNNN`` village V).
"""

from __future__ import annotations

import copy
from typing import Any

from models.roster import Roster

COUNTY_CODE = "330782"  # 义乌市
TOWNSHIP_CODE = "330782101000"
TOWNSHIP_NAME = "槐溪镇"

#: The category catalogue used by the demo (CONTRACT: ``other`` is the fallback).
CATEGORIES: tuple[str, ...] = (
    "water",
    "land",
    "roads",
    "social_security",
    "medical",
    "elderly",
    "dispute",
    "environment",
    "safety",
    "village_affairs",
    "other",
)

#: Posts that make up the village "two committees" (两委).
TWO_COMMITTEE_POSTS: frozenset[str] = frozenset(
    {"party_secretary", "deputy_secretary", "director", "deputy_director", "member"}
)

#: Posts whose phone numbers are published as the village official hotline (村官热线).
HOTLINE_POSTS: frozenset[str] = frozenset(
    {"party_secretary", "deputy_secretary", "director", "deputy_director"}
)

# (village number, name, number of groups, cadre names in order
#  sec, dsec, dir, ddir, member1, member2[, member3])
_VILLAGES: tuple[tuple[int, str, int, tuple[str, ...]], ...] = (
    (1, "上溪村", 3, ("吴国平", "吴秀英", "吴志刚", "楼海燕", "吴建新", "陈雪芬", "吴立军")),
    (2, "柳塘村", 2, ("龚春林", "龚美玲", "何伟明", "龚晓红", "丁荣华", "周丽芳")),
    (3, "石门村", 3, ("金德明", "金彩霞", "王卫东", "金丽君", "方长春", "金小燕")),
    (4, "枫林村", 2, ("傅永康", "傅爱华", "朱国庆", "傅雅琴", "杨明辉", "傅金花", "冯晓峰")),
    (5, "下湾村", 3, ("骆荣生", "骆月娥", "许建平", "骆慧敏", "蒋卫平", "骆春燕")),
)

_GROUP_ORDINALS = ("一", "二", "三")

# Responsibilities per slot; with three members the 2-member split is refined.
_RESPONSIBILITIES: dict[str, list[str]] = {
    "sec": ["village_affairs", "dispute"],
    "dsec": ["social_security", "other"],
    "dir": ["land", "roads"],
    "ddir": ["water", "safety"],
}
_MEMBER_RESPONSIBILITIES = {
    2: [["elderly", "medical"], ["environment"]],
    3: [["elderly"], ["medical"], ["environment"]],
}

# (cadre_id, name, posts, backup)
_TOWNSHIP_CADRES: tuple[tuple[str, str, list[str], str | None], ...] = (
    ("t-sec", "楼建华", ["party_secretary"], "t-lead1"),  # 党委书记
    ("t-lead1", "金晓东", ["leader_in_charge"], "t-lead2"),  # 镇长
    ("t-lead2", "陈玉萍", ["leader_in_charge"], None),  # 党委副书记
    ("t-lead3", "傅国强", ["leader_in_charge"], "t-lead2"),  # 副镇长
    ("t-xf1", "朱丽娟", ["petition_staff"], "t-lead2"),  # 信访办主任
    ("t-xf2", "何文斌", ["petition_staff"], "t-xf1"),  # 信访干事
    ("t-op1", "王思琪", ["operator"], "t-op2"),  # 热线接线员
    ("t-op2", "吴佳怡", ["operator"], "t-xf2"),  # 热线接线员
)

_IN_CHARGE = {1: "t-lead1", 2: "t-lead1", 3: "t-lead2", 4: "t-lead2", 5: "t-lead3"}

_FIRST_SECRETARY = ("v3-fs", "骆志远", 3)  # 第一书记, seconded to 石门村


def village_code(v: int) -> str:
    """Code of demo village ``v`` (1..5)."""
    return f"{TOWNSHIP_CODE[:9]}20{v}"


def group_code(v: int, g: int) -> str:
    """Code of group ``g`` (1..3) of demo village ``v`` (1..5)."""
    return f"{TOWNSHIP_CODE[:9]}2{v}{g}"


def _build() -> dict[str, Any]:
    units: list[dict[str, Any]] = [
        {"code": TOWNSHIP_CODE, "name": TOWNSHIP_NAME, "kind": "township", "parent_code": None}
    ]
    cadres: list[dict[str, Any]] = []
    in_charge: list[dict[str, Any]] = []

    for i, (cid, name, posts, backup) in enumerate(_TOWNSHIP_CADRES, start=1):
        cadres.append(
            {
                "cadre_id": cid,
                "name": name,
                "phone": f"1390579{i:04d}",
                "unit_code": TOWNSHIP_CODE,
                "posts": list(posts),
                "responsibilities": [],
                "backup_cadre_id": backup,
            }
        )

    for v, vname, n_groups, names in _VILLAGES:
        vcode = village_code(v)
        units.append({"code": vcode, "name": vname, "kind": "village", "parent_code": TOWNSHIP_CODE})
        for g in range(1, n_groups + 1):
            units.append(
                {
                    "code": group_code(v, g),
                    "name": f"{vname}第{_GROUP_ORDINALS[g - 1]}村民小组",
                    "kind": "group",
                    "parent_code": vcode,
                }
            )
        n_members = len(names) - 4
        slots: list[tuple[str, str, list[str], str | None]] = [
            ("sec", "party_secretary", _RESPONSIBILITIES["sec"], f"v{v}-dsec"),
            ("dsec", "deputy_secretary", _RESPONSIBILITIES["dsec"], None),
            ("dir", "director", _RESPONSIBILITIES["dir"], f"v{v}-sec"),
            ("ddir", "deputy_director", _RESPONSIBILITIES["ddir"], f"v{v}-dir"),
        ]
        for k in range(1, n_members + 1):
            backup = f"v{v}-ddir" if k == 1 else f"v{v}-m{k - 1}"
            slots.append((f"m{k}", "member", _MEMBER_RESPONSIBILITIES[n_members][k - 1], backup))
        for idx, ((slot, post, resp, backup), name) in enumerate(zip(slots, names), start=1):
            cadres.append(
                {
                    "cadre_id": f"v{v}-{slot}",
                    "name": name,
                    "phone": f"1385790{v}{idx:03d}",
                    "unit_code": vcode,
                    "posts": [post],
                    "responsibilities": list(resp),
                    "backup_cadre_id": backup,
                }
            )
        in_charge.append({"village_code": vcode, "cadre_id": _IN_CHARGE[v]})

    fs_id, fs_name, fs_v = _FIRST_SECRETARY
    cadres.append(
        {
            "cadre_id": fs_id,
            "name": fs_name,
            "phone": f"1390579{len(_TOWNSHIP_CADRES) + 1:04d}",
            "unit_code": village_code(fs_v),
            "posts": ["first_secretary"],
            "responsibilities": [],
            "backup_cadre_id": f"v{fs_v}-sec",
        }
    )
    return {"units": units, "cadres": cadres, "in_charge": in_charge}


_ROSTER = _build()


def demo_roster() -> dict[str, Any]:
    """The demo township roster in the CONTRACT shape (a fresh deep copy each call)."""
    return copy.deepcopy(_ROSTER)


def canonical_roster(roster: Roster) -> dict[str, Any]:
    """A roster as it is stored: the CONTRACT document, whereabouts apart (they have a table)."""
    canonical = roster.to_contract()
    canonical.pop("whereabouts", None)
    return canonical


def is_demo_roster(canonical: dict[str, Any]) -> bool:
    """Is this (stored) roster the demo township's, unchanged? Its logins' password is public."""
    return canonical == canonical_roster(Roster.from_contract(demo_roster()))
