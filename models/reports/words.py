"""What a summary is about: Chinese word segmentation and keyword weighting.

Segmentation uses rjieba (a binding of jieba-rs, maintained; the original `jieba` has had
no release since 2020) with part-of-speech tags, keeping content words — nouns, verbs,
adjectives, idioms — and dropping names of people and places (personal data, and they would
split one problem into one cluster per village), numbers, particles and the stock words of
petition summaries ("反映", "问题", "村民"). Weights are TF-IDF against the month's own
summaries: a word every case uses says little about any one of them.

The tagger is an argument everywhere, so the rules can be tested with any segmenter; the
default loads its dictionary on first use, not at import.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Protocol

Vector = Mapping[str, float]


class Segmenter(Protocol):
    """What the rules need of a segmenter (rjieba's `Jieba` has both)."""

    def tag(self, text: str, hmm: bool = True) -> Sequence[tuple[str, str]]: ...

    def cut_for_search(self, text: str, hmm: bool = True) -> Sequence[str]: ...

# petition vocabulary missing from jieba's dictionary, so it is not split
DOMAIN_WORDS = ("土地流转", "留守儿童", "林权", "网格员", "集体资金")
_KEEP = ("n", "v", "a", "l", "i", "j", "eng")
_DROP = ("nr", "ns", "nt", "m", "t", "r")  # names, places, organisations; numbers, times, pronouns
STOP_WORDS = frozenset({
    "反映", "问题", "情况", "要求", "希望", "表示", "存在", "出现", "进行", "发生", "导致", "造成", "需要", "没有",
    "没", "有", "是", "在", "说", "想", "能", "要", "会", "去", "来", "让", "给", "做",
    "把", "被", "村民", "群众", "居民", "老百姓", "住户", "家人", "本人", "村里", "家里", "我家", "一直", "现在",
    "目前", "已经", "经常", "多次", "还是", "到位", "解决", "处理", "帮助", "协调", "联系", "没人", "没人管", "严重",
    "好几天", "迟迟", "下来", "很大", "放在", "尽快", "来电", "来访", "咨询", "投诉", "举报", "建议", "求助", "询问",
    "电话", "热线", "今天", "昨天", "最近", "近期", "时候", "时间", "事情", "事", "人", "家", "村", "组",
    "户", "户主", "相关", "有关",
})


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    import rjieba  # loads its dictionary: on first use only

    jieba = rjieba.Jieba()
    for word in DOMAIN_WORDS:
        jieba.add_word(word, None, "n")
    return jieba


def keywords_of(text: str, segmenter: Segmenter | None = None) -> list[str]:
    """The content words of a text, in order, repeats kept (they count as term frequency).
    A compound also yields the dictionary words inside it (垃圾清运 → 垃圾, 清运), so that
    "垃圾堆" and "垃圾清运" are seen to share "垃圾"."""
    seg = segmenter or default_segmenter()
    found: list[str] = []
    for word, pos in seg.tag(text or ""):
        word = word.strip()
        if not _content(word, pos):
            continue
        found.append(word)
        if len(word) > 2:
            found += [part for part in seg.cut_for_search(word) if part != word and _part(part, seg)]
    return found


def _part(word: str, seg: Segmenter) -> bool:
    """A word inside a compound counts when it is a content word on its own (垃圾, not 自来)."""
    tags = seg.tag(word)
    return len(word) > 1 and len(tags) == 1 and _content(tags[0][0], tags[0][1])


def _content(word: str, pos: str) -> bool:
    if not word or word in STOP_WORDS or any(ch.isdigit() for ch in word):
        return False
    if pos.startswith(_DROP) or not pos.startswith(_KEEP):
        return False
    return len(word) > 1 or pos.startswith("n")  # one-character nouns (水, 电, 路) carry meaning


def idf_of(documents: Iterable[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency: log((1 + N) / (1 + df)) + 1."""
    docs = [set(d) for d in documents]
    df = Counter(word for doc in docs for word in doc)
    return {word: math.log((1 + len(docs)) / (1 + n)) + 1 for word, n in df.items()}


def tf_idf(words: Sequence[str], idf: Mapping[str, float], unseen_idf: float | None = None) -> dict[str, float]:
    """A unit-length TF-IDF vector; words the corpus never saw weigh `unseen_idf` (default: the
    rarest corpus word's weight), so they lengthen the vector without matching anything."""
    if not words:
        return {}
    rarest = unseen_idf if unseen_idf is not None else max(idf.values(), default=1.0)
    counts = Counter(words)
    raw = {w: n / len(words) * idf.get(w, rarest) for w, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {w: v / norm for w, v in raw.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def dot(a: Vector, b: Vector) -> float:
    """For unit vectors a and the mean `b` of a cluster's unit vectors: the average cosine of
    a to the cluster's members (average linkage), which a broad cluster does not inflate."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def centroid(vectors: Iterable[Vector]) -> dict[str, float]:
    total: Counter[str] = Counter()
    count = 0
    for vector in vectors:
        total.update(vector)
        count += 1
    return {w: v / count for w, v in total.items()} if count else {}
