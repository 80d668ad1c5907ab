"""The month's top issue (每月一题): the city-hotline practice of taking one recurring problem
a month and solving it at its root. The month's cases are clustered by category and by what
their summaries say; the candidates that spread across villages and rise or recur come
first; a leader picks one (the monthly coordination meeting takes one or two), names an
owner and a deadline, and it is followed up as a 督办 item (models.reports.supervision).

Clustering: each case's summary becomes a TF-IDF vector of its content words
(models.reports.words). Within a category a case joins the cluster it resembles most — by
its average cosine to the cluster's members, at least `similarity` — else starts its own;
clusters that resemble each other as much are then merged (average linkage). A case filed
under "other" joins the most similar cluster of any category, since operators often leave
the category unchosen.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from models.categories import OTHER
from models.errors import DomainError
from models.reports import supervision as sv
from models.reports import words as W
from models.reports.periods import Period, month_of, previous_month
from models.reports.records import CaseLine
from models.roster import Roster

MAX_PICKS_PER_MONTH = 2  # "monthly coordination meetings each take one or two problems" (DOMAIN)


@dataclass(frozen=True)
class TopicPolicy:
    similarity: float = 0.15
    keywords: int = 5
    label_keywords: int = 3


DEFAULT_TOPIC_POLICY = TopicPolicy()


@dataclass(frozen=True)
class Topic:
    label: str
    category: str
    keywords: tuple[str, ...]
    case_ids: tuple[str, ...]
    village_codes: tuple[str, ...]
    previous_count: int = 0                  # similar cases in the month before
    recurring_months: tuple[str, ...] = ()   # earlier months that had similar cases

    @property
    def count(self) -> int:
        return len(self.case_ids)

    @property
    def rising(self) -> bool:
        return self.count > self.previous_count

    @property
    def recurring(self) -> bool:
        return bool(self.recurring_months)

    @property
    def across_villages(self) -> bool:
        return len(self.village_codes) > 1


@dataclass(frozen=True)
class TopicReport:
    month: str
    items: tuple[Topic, ...]


def month_topics(month: Period, cases: Iterable[CaseLine], earlier: Iterable[CaseLine] = (), *,
                 labels: Mapping[str, str] | None = None, segmenter: W.Segmenter | None = None,
                 policy: TopicPolicy = DEFAULT_TOPIC_POLICY) -> TopicReport:
    """Candidates for the month's top issue. `earlier`: cases of the months before (as many
    as the service chooses to look back), to tell rising and recurring problems."""
    current = sorted((c for c in cases if month.contains(c.occurred_at)), key=lambda c: (c.occurred_at, c.case_id))
    words = {c.case_id: W.keywords_of(c.summary, segmenter) for c in current}
    idf = W.idf_of(words.values())
    vectors = {cid: W.tf_idf(ws, idf) for cid, ws in words.items()}
    clusters = _cluster(current, vectors, policy.similarity)
    history = _history(month, earlier, clusters, idf, segmenter, policy.similarity)
    before = previous_month(month).key
    topics = [_topic(members, vectors, labels or {}, policy, history.get(i, ()), before)
              for i, members in enumerate(clusters)]
    return TopicReport(month.key, tuple(sorted(topics, key=_priority)))


def _priority(t: Topic) -> tuple[object, ...]:
    """Across villages first, then recurring (seen in earlier months), then rising (more than
    the month before); then the widest, the largest, the fastest growing."""
    return (not t.across_villages, not t.recurring, not t.rising, -len(t.village_codes), -t.count,
            t.previous_count - t.count, t.label)


@dataclass
class _Cluster:
    category: str
    members: list[CaseLine]
    centroid: dict[str, float]


def _cluster(cases: Sequence[CaseLine], vectors: Mapping[str, W.Vector], similarity: float) -> list[list[CaseLine]]:
    clusters: list[_Cluster] = []
    for case in [c for c in cases if c.category != OTHER] + [c for c in cases if c.category == OTHER]:
        candidates = [k for k in clusters if k.category == case.category or case.category == OTHER]
        best = _best(vectors[case.case_id], candidates, similarity)
        if best is None:
            clusters.append(_Cluster(case.category, [case], dict(vectors[case.case_id])))
        else:
            best.members.append(case)
            best.centroid = W.centroid(vectors[m.case_id] for m in best.members)
    return [k.members for k in _merge(clusters, vectors, similarity)]


def _best(vector: W.Vector, clusters: Sequence[_Cluster], similarity: float) -> _Cluster | None:
    """The most similar cluster at or above the threshold; a summary with no content word
    joins its category's other such summaries."""
    if not vector:
        return next((k for k in clusters if not k.centroid), None)
    scored = [(W.dot(vector, k.centroid), -i, k) for i, k in enumerate(clusters) if k.centroid]
    top = max(scored, default=None, key=lambda s: (s[0], s[1]))
    return top[2] if top is not None and top[0] >= similarity else None


def _merge(clusters: list[_Cluster], vectors: Mapping[str, W.Vector], similarity: float) -> list[_Cluster]:
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(clusters):
            for b in clusters[i + 1:]:
                alike = a.centroid and b.centroid and W.dot(a.centroid, b.centroid) >= similarity
                if a.category == b.category and alike:
                    a.members += b.members
                    a.centroid = W.centroid(vectors[m.case_id] for m in a.members)
                    clusters.remove(b)
                    merged = True
                    break
            if merged:
                break
    return clusters


def _history(month: Period, earlier: Iterable[CaseLine], clusters: list[list[CaseLine]], idf: Mapping[str, float],
             segmenter: W.Segmenter | None, similarity: float) -> dict[int, tuple[str, ...]]:
    """For each cluster, the month of every earlier case that resembles it most."""
    vectors = {m.case_id: W.tf_idf(W.keywords_of(m.summary, segmenter), idf) for k in clusters for m in k}
    kinds = [(_category(k), W.centroid(vectors[m.case_id] for m in k)) for k in clusters]
    found: dict[int, list[str]] = {}
    for case in earlier:
        if case.occurred_at >= month.start:
            continue
        vector = W.tf_idf(W.keywords_of(case.summary, segmenter), idf)
        scored = [(W.dot(vector, centroid) if vector and centroid else float(not vector and not centroid), -i)
                  for i, (category, centroid) in enumerate(kinds)
                  if category == case.category or case.category == OTHER]
        best = max(scored, default=None)
        if best is not None and best[0] >= similarity:
            found.setdefault(-best[1], []).append(month_of(case.occurred_at).key)
    return {i: tuple(months) for i, months in found.items()}


def _category(members: Sequence[CaseLine]) -> str:
    named = [m.category for m in members if m.category != OTHER]
    return named[0] if named else OTHER


def _topic(members: list[CaseLine], vectors: Mapping[str, W.Vector], labels: Mapping[str, str], policy: TopicPolicy,
           months: tuple[str, ...], before: str) -> Topic:
    weight: dict[str, float] = {}
    for member in members:
        for word, value in vectors[member.case_id].items():
            weight[word] = weight.get(word, 0.0) + value
    keywords = tuple(w for w, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:policy.keywords])
    category = _category(members)
    name = labels.get(category, category)
    label = f"{name}：{'、'.join(keywords[:policy.label_keywords])}" if keywords else name
    return Topic(label, category, keywords, tuple(m.case_id for m in members),
                 tuple(sorted({m.village_code for m in members})), months.count(before),
                 tuple(sorted(set(months))))


@dataclass(frozen=True)
class TopIssuePick:
    """A leader's choice of the month's issue; its follow-up is the 督办 item `item_id`."""
    pick_id: str
    month: str
    label: str
    category: str
    keywords: tuple[str, ...]
    case_ids: tuple[str, ...]
    village_codes: tuple[str, ...]
    picked_by: str
    picked_at: datetime
    item_id: str


def pick_top_issue(pick_id: str, item_id: str, month: Period, topic: Topic, *, owner_cadre_id: str, due_on: date,
                   picked_by: str, at: datetime, roster: Roster, earlier_picks: Iterable[TopIssuePick] = (),
                   max_per_month: int = MAX_PICKS_PER_MONTH) -> tuple[TopIssuePick, sv.Supervision]:
    """The pick and the 督办 item that tracks it (owner, deadline, progress, escalation)."""
    picks = [p for p in earlier_picks if p.month == month.key]
    _require(at >= month.start, f"the top issue of {month.key} cannot be picked before the month begins",
             "top_issue.month_not_begun", month=month.key)
    _require(len(picks) < max_per_month, f"{month.key} already has {len(picks)} top issue(s); at most "
             f"{max_per_month} a month", "top_issue.too_many", month=month.key, limit=max_per_month)
    _require(all(p.label != topic.label for p in picks), f"{topic.label} is already the top issue of {month.key}",
             "top_issue.already_picked", month=month.key, label=topic.label)
    village = topic.village_codes[0] if len(topic.village_codes) == 1 else None
    item = sv.record_decision(item_id, f"每月一题（{month.key}）：{topic.label}", owner_cadre_id, due_on,
                              assigned_by=picked_by, at=at, roster=roster, origin=sv.TOP_ISSUE, village_code=village,
                              case_ids=topic.case_ids)
    pick = TopIssuePick(pick_id, month.key, topic.label, topic.category, topic.keywords, topic.case_ids,
                        topic.village_codes, picked_by, at, item.item_id)
    return pick, item


def _require(condition: bool, message: str, code: str, **params: object) -> None:
    if not condition:
        raise DomainError(message, code=code, params=dict(params))
