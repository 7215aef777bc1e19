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
