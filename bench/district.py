"""A district-sized roster for the benchmarks: 400 villages, about 8,000 cadres.

The domain's roster describes exactly ONE township (`models.roster_checks`: a roster with two
township units is refused, and the running system — routing, scopes, the scheduler — knows
one roster at a time). A district of 20 townships is therefore modelled as one roster:

* one township unit (the district's petition office stands where a township's would: its
  party secretary `t-sec` is level 3 of every escalation chain, its operators and petition
  staff see everything);
* 400 villages in 20 blocks of 20; each block has its own leader in charge (`t-leadBB`),
  so a leader's scope is exactly a real township's worth of villages and cases, and the
  "three rates for a township" are measured over one block;
* villages of varied size: 2 or 3 committee members beside the four hotline posts, 5–8
  groups with two liaisons (信息员) each, a first secretary in every fourth village.

Several township rosters side by side could not run in one system (one roster at a time),
and their cases would be owned by cadres the API and scheduler do not know.
"""
from __future__ import annotations

from typing import Any

from infra.demo.township import CATEGORIES

COUNTY = "330782"
TOWNSHIP_CODE = f"{COUNTY}100000"
BLOCKS = 20
VILLAGES_PER_BLOCK = 20
VILLAGES = BLOCKS * VILLAGES_PER_BLOCK

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "建国秀英志刚海燕立军雪芬德明彩霞卫东丽君长春小燕永康爱华国庆雅琴明辉金花晓峰荣生月娥慧敏春燕伟强桂兰玉梅文斌晓东玉萍思琪佳怡红梅"

# Responsibilities (分工) by committee slot; every category has one answerable member.
_RESPONSIBILITIES = {"sec": ["village_affairs", "dispute"], "dsec": ["social_security", "other"],
                     "dir": ["land", "roads"], "ddir": ["water", "safety"]}
_MEMBERS = {2: [["elderly", "medical"], ["environment"]], 3: [["elderly"], ["medical"], ["environment"]]}


def village_code(n: int) -> str:
    """Village n (1..400): the township's first nine digits and three village digits."""
    return f"{TOWNSHIP_CODE[:9]}{n:03d}"


def block_of(n: int) -> int:
    return (n - 1) // VILLAGES_PER_BLOCK + 1


def block_villages(block: int) -> list[str]:
    first = (block - 1) * VILLAGES_PER_BLOCK + 1
    return [village_code(n) for n in range(first, first + VILLAGES_PER_BLOCK)]


class _Names:
    """Deterministic names (no randomness: the roster is the same on every run)."""

    def __init__(self) -> None:
        self._n = 0

    def __call__(self) -> str:
        n, self._n = self._n, self._n + 1
        surname = _SURNAMES[n % len(_SURNAMES)]
        given = n // len(_SURNAMES)
        first, second = _GIVEN[given % len(_GIVEN)], _GIVEN[(given // len(_GIVEN)) % len(_GIVEN)]
        return surname + first + second


def district_roster() -> dict[str, Any]:
    """The roster in the CONTRACT shape."""
    names = _Names()
    units: list[dict[str, Any]] = [{"code": TOWNSHIP_CODE, "name": "槐溪区信访联席办", "kind": "township",
                                    "parent_code": None}]
    cadres: list[dict[str, Any]] = []
    in_charge: list[dict[str, Any]] = []

    def cadre(cadre_id: str, unit: str, posts: list[str], backup: str | None, resp: list[str] | None = None) -> None:
        cadres.append({"cadre_id": cadre_id, "name": names(), "phone": f"18{len(cadres):09d}", "unit_code": unit,
                       "posts": posts, "responsibilities": resp or [], "backup_cadre_id": backup})

    cadre("t-sec", TOWNSHIP_CODE, ["party_secretary"], "t-lead01")
    for b in range(1, BLOCKS + 1):
        cadre(f"t-lead{b:02d}", TOWNSHIP_CODE, ["leader_in_charge"], None if b == 1 else "t-lead01")
        cadre(f"t-xf{b:02d}", TOWNSHIP_CODE, ["petition_staff"], f"t-lead{b:02d}")
        cadre(f"t-xf{b:02d}b", TOWNSHIP_CODE, ["petition_staff"], f"t-xf{b:02d}")
        cadre(f"t-op{b}", TOWNSHIP_CODE, ["operator"], f"t-xf{b:02d}")
        cadre(f"t-op{b}b", TOWNSHIP_CODE, ["operator"], f"t-op{b}")
    for n in range(1, VILLAGES + 1):
        _village(n, units, cadre)
        in_charge.append({"village_code": village_code(n), "cadre_id": f"t-lead{block_of(n):02d}"})
    assert set(CATEGORIES) == {c for r in [*_RESPONSIBILITIES.values(), *_MEMBERS[3]] for c in r}
    return {"units": units, "cadres": cadres, "in_charge": in_charge}


def _village(n: int, units: list[dict[str, Any]], cadre: Any) -> None:
    code, v = village_code(n), f"v{n:03d}"
    units.append({"code": code, "name": f"第{n}村", "kind": "village", "parent_code": TOWNSHIP_CODE})
    cadre(f"{v}-sec", code, ["party_secretary"], f"{v}-dsec", _RESPONSIBILITIES["sec"])
    cadre(f"{v}-dsec", code, ["deputy_secretary"], None, _RESPONSIBILITIES["dsec"])
    cadre(f"{v}-dir", code, ["director"], f"{v}-sec", _RESPONSIBILITIES["dir"])
    cadre(f"{v}-ddir", code, ["deputy_director"], f"{v}-dir", _RESPONSIBILITIES["ddir"])
    members = 2 + n % 2
    for k in range(1, members + 1):
        cadre(f"{v}-m{k}", code, ["member"], f"{v}-ddir" if k == 1 else f"{v}-m{k - 1}", _MEMBERS[members][k - 1])
    if n % 4 == 0:
        cadre(f"{v}-fs", code, ["first_secretary"], f"{v}-sec")
    for g in range(1, 5 + n % 4 + 1):
        group = f"{code}{g:02d}"
        units.append({"code": group, "name": f"第{n}村第{g}组", "kind": "group", "parent_code": code})
        cadre(f"{v}-g{g}a", group, [], f"{v}-g{g}b")  # liaisons (信息员): each other's backup, one root
        cadre(f"{v}-g{g}b", group, [], None)
