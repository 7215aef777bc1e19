"""A search costs at most MAX_SEARCH_WORDS words, whatever is typed (security review: a search of
100 one-letter words built a 584 KB SQL statement)."""

import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.filters import MAX_SEARCH_WORDS

pytestmark = pytest.mark.usefixtures("kb")

ONE_LETTER_WORDS = " ".join(string.ascii_lowercase * 4)[:199]  # 100 one-letter words
TWO_LETTER_WORDS = " ".join(a + b for a in "abcdefg" for b in "abcdefghij")[:200]  # 66 different words


def problems(api, **query):
    response = api.get("/api/v1/instruments/", query)
    assert response.status_code == 400
    return response.json()["error"]["parameters"]["q"]


def test_one_letter_words_alone_are_refused_with_a_reason(api):
    assert problems(api, q=ONE_LETTER_WORDS) == ["Give at least one word of two letters or more."]


def test_more_than_the_word_limit_is_refused_and_the_400_says_the_limit(api):
    assert problems(api, q=TWO_LETTER_WORDS) == [
        f"Too many words: at most {MAX_SEARCH_WORDS} different words of two letters or more."
    ]


def test_repeated_and_one_letter_words_cost_nothing_and_change_nothing(api):
    def ids(q):
        body = api.get("/api/v1/instruments/", {"q": q, "page_size": 200}).json()
        return [item["id"] for item in body["results"]]

    with CaptureQueriesContext(connection) as plain:
        expected = ids("readmission")
    with CaptureQueriesContext(connection) as padded:
        assert ids(" ".join(["readmission", "READMISSION", "a", "b"] * 5)) == expected
    assert "eu-agreement-ru-readmission" in expected
    # The same search statement, not a longer one per repeated word.
    assert max(len(q["sql"]) for q in padded.captured_queries) == max(len(q["sql"]) for q in plain.captured_queries)


@pytest.mark.parametrize("path", ["/en/instruments/", "/en/agreements/"])
def test_the_html_lists_refuse_too_many_words_with_a_message(client, path):
    response = client.get(path, {"q": TWO_LETTER_WORDS})
    assert response.status_code == 400
    assert f"at most {MAX_SEARCH_WORDS} different words" in response.content.decode()


# Relationship filters: each is an EXISTS repeated in every facet's query; all 24 at once cost
# PostgreSQL 2.7 s of planning at 20,000 instruments (bench/worst.py, docs/reliability.md).
EDGE = ("eu-dir-2021-1883", "eu-dir-2009-50")  # the first repeals the second (the real data)


def test_up_to_the_cap_relationship_filters_combine(api):
    from instruments.filters import MAX_RELATIONSHIP_FILTERS, RELATIONSHIP_PARAMETERS

    assert MAX_RELATIONSHIP_FILTERS == 4 and len(RELATIONSHIP_PARAMETERS) > MAX_RELATIONSHIP_FILTERS
    body = api.get("/api/v1/instruments/", {"repeals": EDGE[1], "facets": "kind,status"}).json()
    assert [item["id"] for item in body["results"]] == [EDGE[0]]
    query = {"repeals": EDGE[1], "cites": EDGE[1], "amends": EDGE[1], "implements": EDGE[1]}
    response = api.get("/api/v1/instruments/", query)
    assert response.status_code == 200
    assert response.json()["count"] <= 1


def test_more_relationship_filters_than_the_cap_are_refused_naming_each(api):
    from instruments.filters import RELATIONSHIP_PARAMETERS

    query = {name: EDGE[1] for name in RELATIONSHIP_PARAMETERS[:5]}
    response = api.get("/api/v1/instruments/", {**query, "facets": "kind"})
    assert response.status_code == 400
    parameters = response.json()["error"]["parameters"]
    assert set(parameters) == set(query)
    assert parameters[RELATIONSHIP_PARAMETERS[0]] == ["At most 4 relationship filters at once (5 given)."]


def test_the_html_list_refuses_them_too_with_its_message(client):
    from instruments.filters import RELATIONSHIP_PARAMETERS

    query = {name: EDGE[1] for name in RELATIONSHIP_PARAMETERS[:6]}
    response = client.get("/en/instruments/", query)
    assert response.status_code == 400
    assert "At most 4 relationship filters at once (6 given)." in response.content.decode()
