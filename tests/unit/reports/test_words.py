"""Content words of Chinese summaries and their TF-IDF weights."""
from __future__ import annotations

import pytest

from models.reports import words as W


def test_content_words_keep_the_matter_and_drop_names_numbers_and_stock_phrases():
    found = W.keywords_of("张三反映征地补偿款三个月没有发放")
    assert {"征地", "补偿款", "发放"} <= set(found)
    assert not {"张三", "反映", "没有", "三个月"} & set(found)


def test_a_compound_also_yields_the_words_inside_it():
    assert {"垃圾堆", "垃圾"} <= set(W.keywords_of("垃圾堆在路边"))
    assert "垃圾" in W.keywords_of("垃圾清运不及时")


def test_one_character_nouns_count():
    assert "水" in W.keywords_of("老人喝不上水")


def test_tf_idf_favours_the_rarer_word_and_is_unit_length():
    docs = [["停水", "老人"], ["停水", "做饭"], ["停水", "漏水"]]
    idf = W.idf_of(docs)
    vector = W.tf_idf(docs[0], idf)
    assert vector["老人"] > vector["停水"]
    assert sum(v * v for v in vector.values()) == pytest.approx(1.0)
    assert W.tf_idf([], idf) == {}


def test_similarity_of_texts_on_the_same_matter():
    docs = [W.keywords_of(t) for t in ("自来水停水三天了", "停水两天，家里没水做饭", "路灯坏了晚上出行不安全")]
    idf = W.idf_of(docs)
    a, b, c = (W.tf_idf(d, idf) for d in docs)
    assert W.cosine(a, b) > W.cosine(a, c) and W.cosine(a, c) == 0.0
    assert W.dot(a, W.centroid([a, b])) == pytest.approx((1 + W.cosine(a, b)) / 2)
