"""Realistic input-event generation for the four CONTRACT input topics (no Kafka here).

Every generator takes a roster in the CONTRACT shape (e.g. :func:`demo_roster`), a
``count``, a ``seed`` and a ``start`` time, and is deterministic: the same roster, seed,
count and start give the same events (all randomness comes from ``random.Random(seed)``).

* :func:`hotline_calls`        → ``hotline.calls``        ids ``sim-<seed>-hl-<n>``
* :func:`contactcard_feedback` → ``contactcard.feedback`` ids ``sim-<seed>-cc-<n>``
* :func:`diary_entries`        → ``diary.entries``        ids ``sim-<seed>-dy-<n>``
* :func:`reception_visits`     → ``reception.visits``     ids ``sim-<seed>-rv-<n>``
* :func:`mixed_events`         → ``(topic, event)`` pairs  ids ``sim-<seed>-mx-<n>``
  (55% hotline, 20% contact card, 15% diary, 10% reception)

``occurred_at`` is RFC 3339 with a ``+08:00`` offset and strictly increases, 1–20
minutes apart, from ``start`` (a naive ``start`` is read as Beijing time).  Residents
come from a small per-village pool, so the same people call again (repeat petitions),
and now and then several residents of one village raise the same matter within an hour
(a cluster, what the early-warning rule should catch).

Invariants (the tests check them): the village is a roster village; ``dialed_cadre_id``
(hotline numbers are published for secretary, deputy secretary, director and deputy
director), ``card_cadre_id`` and diary authors are two-committee members of that village;
the receiving cadre is a township leader or that village's party secretary; an
``accused`` cadre (only on complaint/report, a few percent) is never the visited cadre;
``accused`` is omitted when nobody is accused; diary ``resolution`` only when resolved.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from infra.demo.township import CATEGORIES, HOTLINE_POSTS, TWO_COMMITTEE_POSTS

__all__ = [
    "TOPICS",
    "MIX",
    "hotline_calls",
    "contactcard_feedback",
    "diary_entries",
    "reception_visits",
    "mixed_events",
]

BEIJING = timezone(timedelta(hours=8))

TOPICS = ("hotline.calls", "contactcard.feedback", "diary.entries", "reception.visits")
#: Fixed topic mix of :func:`mixed_events` (weights in percent).
MIX = {"hotline.calls": 55, "contactcard.feedback": 20, "diary.entries": 15, "reception.visits": 10}

SUMMARY_MAX = 200
DETAILS_MAX = 4000
REPRESENTATIVES_MAX = 5

_CATEGORY_WEIGHTS = {
    "water": 12,
    "land": 12,
    "roads": 12,
    "social_security": 10,
    "medical": 6,
    "elderly": 8,
    "dispute": 12,
    "environment": 10,
    "safety": 6,
    "village_affairs": 8,
    "other": 4,
}
_KIND_WEIGHTS = {"consult": 30, "help": 35, "suggestion": 10, "complaint": 17, "report": 8}

# Problems (help / complaint / report); {group}, {village}, {days}, {n} are filled in.
_ISSUES: dict[str, tuple[str, ...]] = {
    "water": (
        "{group}自来水停水{days}天，村里老人用水困难",
        "自来水发黄有异味，烧开后有沉淀，担心影响健康",
        "{group}水管破裂漏水多日无人维修，路面积水结冰",
        "新装的水表走得特别快，这个月水费比平时高出好几倍",
    ),
    "land": (
        "承包地被邻居占用种树，多次协商无果",
        "{group}土地流转租金已拖欠{n}个月没有发放",
        "宅基地审批申请交上去半年了还没有结果",
        "征地补偿款分配不公，外嫁女没有分到",
    ),
    "roads": (
        "村口道路塌陷，雨天无法通行",
        "{group}机耕路坑洼不平，拖拉机进不了田",
        "村道路灯坏了{days}天，晚上出行很不安全",
        "修路施工后留下的土堆一直没清理，堵住了出行",
    ),
    "social_security": (
        "家里困难申请低保，等了{n}个月还没有消息",
        "城乡居民养老保险缴费记录不对，少了{n}年",
        "残疾人两项补贴停发了，不知道什么原因",
        "医保卡在外地看病不能直接报销，要求帮忙办理备案",
    ),
    "medical": (
        "村卫生室经常关门，老人看病要跑到镇上",
        "家庭医生签约后一次也没有上门随访",
        "村卫生室药品不全，慢性病的药经常配不到",
        "大病住院自付费用太高，想了解能不能申请救助",
    ),
    "elderly": (
        "{group}独居老人生病无人照顾，希望村里帮忙",
        "居家养老服务中心的老年食堂停了{days}天",
        "八十岁以上高龄补贴这个季度没有到账",
        "子女不履行赡养义务，老人生活没有着落",
    ),
    "dispute": (
        "与邻居因宅基地界址发生纠纷，双方争吵不断",
        "邻居建房挡住采光和排水，协商不成",
        "兄弟之间因老宅分家产生矛盾，要求村里调解",
        "在本村企业打工被拖欠工资{n}个月",
    ),
    "environment": (
        "{group}垃圾桶满了{days}天没人清运，气味很大",
        "村边养殖场污水直排河道，河水发黑发臭",
        "附近工厂晚上排放刺鼻气体，影响休息",
        "有人在田边焚烧秸秆和垃圾，浓烟很大",
    ),
    "safety": (
        "{group}一处老房子墙体开裂，随时可能倒塌",
        "村里池塘边没有护栏，小孩经常在附近玩耍",
        "有人在村道上私拉电线，存在触电隐患",
        "山塘堤坝有渗水现象，担心汛期出险",
    ),
    "village_affairs": (
        "村务公开栏{n}个月没有更新，村民看不到账目",
        "集体经济分红方案没有经过村民代表大会讨论",
        "村里工程项目招标情况没有公示",
        "户口迁入后村民待遇一直没有落实",
    ),
    "other": (
        "家门口的广播喇叭声音太大，影响老人休息",
        "流浪狗在{group}出没，已经咬伤了人",
        "快递网点不送到村里，取件很不方便",
        "手机信号差，{group}一带经常打不通电话",
    ),
}

# Questions (consult) and suggestions, one per category.
_CONSULTS = {
    "water": "咨询自来水管网改造什么时候能通到{group}",
    "land": "咨询宅基地申请需要准备哪些材料",
    "roads": "咨询村里道路硬化项目今年有没有安排",
    "social_security": "咨询城乡居民养老保险今年的缴费标准和截止时间",
    "medical": "咨询医保报销比例和慢性病门诊怎么申请",
    "elderly": "咨询高龄补贴怎么申领，需要本人到场吗",
    "dispute": "咨询邻里纠纷可以找谁调解，要不要收费",
    "environment": "咨询垃圾分类的具体要求和收运时间",
    "safety": "咨询危房改造补助的申请条件",
    "village_affairs": "咨询村民代表大会什么时候召开",
    "other": "咨询村里办理居住证明的流程",
}
_SUGGESTIONS = {
    "water": "建议在{group}加装一处公共取水点，方便老人用水",
    "land": "建议把闲置的集体土地统一流转，增加村集体收入",
    "roads": "建议在村口急弯处加装反光镜和减速带",
    "social_security": "建议村里定期上门帮老人办理社保认证",
    "medical": "建议卫生室延长开放时间，周末也安排医生值班",
    "elderly": "建议在文化礼堂增设老年活动室",
    "dispute": "建议每个小组设一名调解员，小纠纷就地化解",
    "environment": "建议增加{group}的垃圾桶数量和清运次数",
    "safety": "建议在池塘和水库边设置警示牌和护栏",
    "village_affairs": "建议村务公开同时发到村民微信群里",
    "other": "建议在村里设一个快递代收点",
}

# Complaints/reports naming a village cadre: (category, summary).
_ACCUSATIONS = (
    ("social_security", "反映村干部在低保评定中优亲厚友，群众意见很大"),
    ("land", "举报村干部违规将集体土地发包给亲戚"),
    ("village_affairs", "举报村干部虚报工程款，村务账目不清"),
    ("other", "投诉村干部办事推诿，态度恶劣"),
    ("land", "反映村干部在征地补偿中截留村民补偿款"),
)

_HOPES = (
    "希望尽快派人来看看",
    "希望村里尽快协调解决",
    "希望给个明确答复",
    "希望领导重视",
    "希望能有个处理结果",
)
_RESOLUTIONS = (
    "当场联系相关人员处理，群众表示满意",
    "当场讲解政策，群众已清楚",
    "现场协调双方达成一致意见",
    "已当场登记并帮助办理，群众认可",
)
_FIX_RESOLUTION = "联系维修人员当天修复，群众表示满意"
_FIXABLE = frozenset({"water", "roads", "safety", "environment"})
_DIFFICULTIES = (
    "家中劳动力少，收入主要靠种地",
    "老人行动不便，子女在外打工",
    "家里有病人，医疗开支大",
    "孩子上学开销大，手头紧",
    "",
)
_DIARY_HOPES = (
    "希望村里帮忙解决实际困难",
    "希望多组织技能培训",
    "希望村里路灯早点装好",
    "希望能享受相关补助政策",
    "",
)

_SURNAMES = "王陈吴楼金朱龚傅骆何张李刘杨周黄徐丁冯许方蒋"
_GIVEN = (
    "建国", "国庆", "秀兰", "美华", "志明", "丽娟", "海平", "金花", "卫东", "晓燕",
    "春生", "桂英", "伟强", "玉兰", "德胜", "月娥", "小军", "雪梅", "荣华", "素芳",
    "文斌", "彩凤", "立新", "爱珍", "永福", "红英", "家宝", "翠萍", "有根", "淑贞",
)
_PHONE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "182", "187", "189")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_number(rng: random.Random, county: str) -> str:
    """A fictional 18-character resident id with valid structure and check digit."""
    birth = datetime(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))
    body = f"{county}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]
    return body + check


def _seed_tag(seed: int) -> str:
    tag = str(seed)
    if len(tag) > 20:
        tag = hashlib.sha1(tag.encode()).hexdigest()[:16]
    return tag


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


class _Sim:
    """Shared state of one generator run: rng, roster index, clock, resident pools."""

    def __init__(self, roster: dict, seed: int, start: datetime, residents_per_village: int = 25) -> None:
        self.rng = random.Random(seed)
        self.pool_size = residents_per_village
        self.tag = _seed_tag(seed)
        if start.tzinfo is None:
            start = start.replace(tzinfo=BEIJING)
        self.clock = start.astimezone(BEIJING)
        units = roster.get("units", [])
        cadres = roster.get("cadres", [])
        self.villages = [u for u in units if u.get("kind") == "village"]
        if not self.villages:
            raise ValueError("roster has no village")
        self.village_names = {u["code"]: u["name"] for u in self.villages}
        self.groups = {
            v["code"]: [u["name"] for u in units if u.get("kind") == "group" and u.get("parent_code") == v["code"]]
            for v in self.villages
        }
        by_unit: dict[str, list[dict]] = {}
        for c in cadres:
            by_unit.setdefault(c["unit_code"], []).append(c)
        self.committee = {
            v["code"]: [c for c in by_unit.get(v["code"], []) if TWO_COMMITTEE_POSTS & set(c["posts"])]
            for v in self.villages
        }
        self.hotline = {
            code: [c["cadre_id"] for c in cs if HOTLINE_POSTS & set(c["posts"])] for code, cs in self.committee.items()
        }
        self.secretary = {
            code: next((c["cadre_id"] for c in cs if "party_secretary" in c["posts"]), None)
            for code, cs in self.committee.items()
        }
        township_codes = {u["code"] for u in units if u.get("kind") == "township"}
        self.operators = [c["cadre_id"] for c in cadres if "operator" in c["posts"]]
        self.township_leaders = [
            c["cadre_id"]
            for c in cadres
            if c["unit_code"] in township_codes and {"leader_in_charge", "party_secretary"} & set(c["posts"])
        ]
        self.in_charge = {e["village_code"]: e["cadre_id"] for e in roster.get("in_charge", [])}
        self.residents: dict[str, list[dict]] = {}
        self.cluster: dict[str, Any] | None = None  # {village, category, summary, left}

    # --- building blocks ---------------------------------------------------------
    def tick(self) -> str:
        # A cluster in progress: the next calls come within minutes of each other.
        longest = 8 * 60 if self.cluster and self.cluster["left"] > 0 else 20 * 60
        self.clock += timedelta(seconds=self.rng.randint(60, longest))
        return self.clock.isoformat(timespec="seconds")

    def pick(self, weights: dict[str, int]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def village(self) -> str:
        return self.rng.choice(self.villages)["code"]

    def category(self) -> str:
        return self.pick(_CATEGORY_WEIGHTS)

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)

    def phone(self) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def resident(self, village: str) -> dict:
        """A resident of ``village``; a small pool so the same people come back."""
        pool = self.residents.setdefault(village, [])
        if len(pool) < self.pool_size and (not pool or self.rng.random() < 0.6):
            pool.append(
                {
                    "name": self.name(),
                    "phone": self.phone(),
                    "id_number": _id_number(self.rng, village[:6]) if self.rng.random() < 0.85 else None,
                }
            )
            return pool[-1]
        return self.rng.choice(pool)

    def fill(self, template: str, village: str, group: str | None = None) -> str:
        groups = self.groups.get(village) or [self.village_names[village]]
        return template.format(
            group=group or self.rng.choice(groups),
            village=self.village_names[village],
            days=self.rng.randint(2, 7),
            n=self.rng.randint(2, 6),
        )

    def matter(
        self, village: str, kind: str, category: str | None = None, group: str | None = None
    ) -> tuple[str, str]:
        """(category, summary) fitting the kind."""
        category = category or self.category()
        if kind == "consult":
            text = _CONSULTS[category]
        elif kind == "suggestion":
            text = _SUGGESTIONS[category]
        else:
            text = self.rng.choice(_ISSUES[category])
        return category, _fit(self.fill(text, village, group), SUMMARY_MAX)

    def details(self, summary: str, who: str | None, how: str = "来电") -> str | None:
        if self.rng.random() < 0.5:
            return None
        opener = f"{who}{how}反映：" if who else f"群众{how}反映："
        return _fit(f"{opener}{summary}。{self.rng.choice(_HOPES)}。", DETAILS_MAX)

    def accusation(self, village: str, exclude: str | None = None) -> tuple[str, str, dict] | None:
        """(category, summary, accused) naming one two-committee member of ``village``."""
        candidates = [c["cadre_id"] for c in self.committee[village] if c["cadre_id"] != exclude]
        if not candidates:
            return None
        category, summary = self.rng.choice(_ACCUSATIONS)
        return category, summary, {"cadre_ids": [self.rng.choice(candidates)], "unit_codes": []}

    def base(self, event_id: str, village: str, category: str, summary: str, details: str | None) -> dict:
        event: dict[str, Any] = {
            "event_id": event_id,
            "occurred_at": self.tick(),
            "village_code": village,
            "category": category if category in CATEGORIES else "other",
            "summary": summary,
        }
        if details:
            event["details"] = details
        return event

    # --- topics --------------------------------------------------------------------
    def hotline_call(self, event_id: str) -> dict:
        rng = self.rng
        if self.cluster and self.cluster["left"] > 0:
            cl = self.cluster
            cl["left"] -= 1
            village, category, kind, summary, accused = cl["village"], cl["category"], "help", cl["summary"], None
        else:
            self.cluster = None
            village = self.village()
            kind = self.pick(_KIND_WEIGHTS)
            accused = None
            if kind in ("complaint", "report") and rng.random() < 0.15:
                got = self.accusation(village)
                if got:
                    category, summary, accused = got
            if accused is None:
                category, summary = self.matter(village, kind)
                if kind in ("help", "complaint") and rng.random() < 0.04:
                    self.cluster = {
                        "village": village,
                        "category": category,
                        "summary": summary,
                        "left": rng.randint(3, 6),
                    }
        anonymous = rng.random() < (0.3 if accused else 0.05)
        if anonymous:
            caller = {"name": None, "phone": None, "id_number": None, "anonymous": True}
        else:
            caller = dict(self.resident(village), anonymous=False)
        accused_ids = set(accused["cadre_ids"]) if accused else set()
        dialable = [c for c in self.hotline[village] if c not in accused_ids]
        dialed = None
        if dialable and rng.random() < (0.3 if accused else 0.6):
            dialed = rng.choice(dialable)
        event = self.base(event_id, village, category, summary, self.details(summary, caller["name"]))
        event.update(
            operator_id=rng.choice(self.operators),
            caller=caller,
            dialed_cadre_id=dialed,
            kind=kind,
            urgency="urgent" if rng.random() < 0.05 else "normal",
        )
        if accused:
            event["accused"] = accused
        return event

    def card_feedback(self, event_id: str) -> dict:
        rng = self.rng
        village = self.village()
        card = rng.choice(self.committee[village])
        kind = self.pick(_KIND_WEIGHTS)
        accused = None
        if kind in ("complaint", "report") and rng.random() < 0.1:
            got = self.accusation(village, exclude=card["cadre_id"])
            if got:
                category, summary, accused = got
        if accused is None:
            # Residents mostly raise what the card says the cadre is responsible for.
            own = [c for c in card["responsibilities"] if c in _ISSUES]
            category, summary = self.matter(village, kind, rng.choice(own) if own and rng.random() < 0.6 else None)
        resident = self.resident(village)
        how = {"phone": "来电", "sms": "发短信", "wechat": "通过微信", "in_person": "当面"}
        channel = self.pick({"phone": 40, "sms": 15, "wechat": 30, "in_person": 15})
        event = self.base(event_id, village, category, summary, self.details(summary, resident["name"], how[channel]))
        event.update(
            card_cadre_id=card["cadre_id"],
            resident={"name": resident["name"], "phone": resident["phone"]},
            channel=channel,
            kind=kind,
        )
        if accused:
            event["accused"] = accused
        return event

    def diary_entry(self, event_id: str) -> dict:
        rng = self.rng
        village = self.village()
        author = rng.choice(self.committee[village])
        own = [c for c in author["responsibilities"] if c in _ISSUES]
        kind = rng.choice(("help", "help", "consult", "suggestion"))
        group = rng.choice(self.groups.get(village) or [self.village_names[village]])
        category, problem = self.matter(village, kind, rng.choice(own) if own and rng.random() < 0.5 else None, group)
        resident = self.resident(village)
        resolved = rng.random() < 0.4
        event = self.base(event_id, village, category, problem, None)
        event.update(
            author_cadre_id=author["cadre_id"],
            household=f"{group}{resident['name']}户",
            problems=problem,
            difficulties=rng.choice(_DIFFICULTIES),
            hopes=rng.choice(_DIARY_HOPES),
            resolved_on_spot=resolved,
        )
        if resolved:
            fixes = _RESOLUTIONS + ((_FIX_RESOLUTION,) if category in _FIXABLE else ())
            event["resolution"] = rng.choice(fixes)
        return event

    def reception_visit(self, event_id: str) -> dict:
        rng = self.rng
        village = self.village()
        choices = list(self.township_leaders)
        if village in self.in_charge:
            choices += [self.in_charge[village]] * 2
        if self.secretary.get(village):
            choices.append(self.secretary[village])
        receiver = rng.choice(choices)
        kind = self.pick({"consult": 10, "help": 40, "suggestion": 5, "complaint": 35, "report": 10})
        accused = None
        if kind in ("complaint", "report") and rng.random() < 0.1:
            got = self.accusation(village, exclude=receiver)
            if got:
                category, summary, accused = got
        if accused is None:
            category, summary = self.matter(village, kind)
        visitors = rng.choices(range(1, 9), weights=(40, 20, 12, 8, 7, 5, 4, 4))[0]
        reps: list[dict] = []
        for _ in range(min(visitors, REPRESENTATIVES_MAX)):
            r = self.resident(village)
            if all(r["phone"] != x["phone"] for x in reps):
                reps.append(r)
        event = self.base(event_id, village, category, summary, self.details(summary, reps[0]["name"], "来访"))
        event.update(
            receiving_cadre_id=receiver,
            visitor_count=visitors,
            representatives=[{"name": r["name"], "phone": r["phone"]} for r in reps],
            kind=kind,
        )
        if accused:
            event["accused"] = accused
        return event


_MAKERS = {
    "hotline.calls": ("hl", _Sim.hotline_call),
    "contactcard.feedback": ("cc", _Sim.card_feedback),
    "diary.entries": ("dy", _Sim.diary_entry),
    "reception.visits": ("rv", _Sim.reception_visit),
}


def _single(topic: str, roster: dict, count: int, seed: int, start: datetime) -> Iterator[dict]:
    sim = _Sim(roster, seed, start)
    if topic == "hotline.calls" and not sim.operators:
        raise ValueError("roster has no operator")
    short, make = _MAKERS[topic]
    for n in range(count):
        yield make(sim, f"sim-{sim.tag}-{short}-{n}")


def hotline_calls(roster: dict, count: int, *, seed: int, start: datetime) -> Iterator[dict]:
    """``count`` realistic ``hotline.calls`` events."""
    return _single("hotline.calls", roster, count, seed, start)


def contactcard_feedback(roster: dict, count: int, *, seed: int, start: datetime) -> Iterator[dict]:
    """``count`` realistic ``contactcard.feedback`` events."""
    return _single("contactcard.feedback", roster, count, seed, start)


def diary_entries(roster: dict, count: int, *, seed: int, start: datetime) -> Iterator[dict]:
    """``count`` realistic ``diary.entries`` events (~40% resolved on the spot)."""
    return _single("diary.entries", roster, count, seed, start)


def reception_visits(roster: dict, count: int, *, seed: int, start: datetime) -> Iterator[dict]:
    """``count`` realistic ``reception.visits`` events."""
    return _single("reception.visits", roster, count, seed, start)


def mixed_events(roster: dict, count: int, *, seed: int, start: datetime,
                 residents_per_village: int = 25) -> Iterator[tuple[str, dict]]:
    """``count`` ``(topic, event)`` pairs in the fixed :data:`MIX`, on one timeline.

    Topic names are the bare CONTRACT names; the producer adds ``MINQING_TOPIC_PREFIX``.
    The small default pool of residents makes repeat petitions common, as a demo should
    show them; a benchmark of a whole year wants a village-sized pool.
    """
    sim = _Sim(roster, seed, start, residents_per_village)
    if not sim.operators:
        raise ValueError("roster has no operator")
    topics = list(MIX)
    weights = [MIX[t] for t in topics]

    def gen() -> Iterator[tuple[str, dict]]:
        for n in range(count):
            topic = sim.rng.choices(topics, weights=weights)[0]
            yield topic, _MAKERS[topic][1](sim, f"sim-{sim.tag}-mx-{n}")

    return gen()


def ending_by(pairs: Iterable[tuple[str, dict]], now: datetime) -> list[tuple[str, dict]]:
    """The events moved back in time (all by the same amount) so the last one lies a minute
    before `now`: intake refuses an event more than ten minutes ahead of its clock, and a
    timeline of 1–20 minute gaps from `start` soon runs past the present."""
    events = list(pairs)
    if not events:
        return events
    last = max(datetime.fromisoformat(e["occurred_at"]) for _, e in events)
    shift = last - (now - timedelta(minutes=1))
    if shift <= timedelta(0):
        return events
    return [(topic, {**event, "occurred_at": (datetime.fromisoformat(event["occurred_at"]) - shift)
                     .isoformat(timespec="seconds")}) for topic, event in events]
