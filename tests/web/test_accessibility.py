"""axe-core (from npm) over every page type in English, Russian and Kazakh: no WCAG 2.2 AA violation.

axe is injected as a script, which the site's Content-Security-Policy rightly forbids, so
these pages are opened in a browser context that bypasses CSP; the other browser tests
run with the policy on.
"""

import pytest

from .conftest import LANGUAGES, main_pages

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations_on(page, url, axe_script):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(f"{' '.join(node['target'])}: {node['html'][:120]}" for node in rule["nodes"][:3])
        for rule in result["violations"]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_has_no_axe_violations(language, axe_script, live_kb, browser):
    """English: every page type and its variants (other kinds of data in the same templates).
    Russian and Kazakh: every page type. A variant differs from its type in data, not in markup
    or wording, and an untranslated string falls back to its English text, never to nothing;
    the variants in three languages took a third of this sweep's time."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    try:
        for name, path in main_pages(variants=language == "en").items():
            problems = violations_on(page, f"{live_kb.url}/{language}{path}", axe_script)
            if problems:
                found[name] = problems
    finally:
        context.close()
    assert found == {}


def test_narrow_screen_and_filtered_pages_have_no_axe_violations(axe_script, live_kb, browser):
    """A 360 px wide screen, and pages showing filter errors."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})
    page = context.new_page()
    found = {}
    try:
        for path in [
            "/en/",
            "/en/map/",
            "/en/timeline/",
            "/en/agreements/?country=DE",
            "/kk/timeline/?kind=directive",
            "/en/compare/?on=2026-12-01",
            "/en/compare/?since=2026-01-01&on=2026-12-01",
            "/kk/compare/?from=2020-01-01&to=2026-12-01&subject=legal_entry_stay-family_reunification",
        ]:
            problems = violations_on(page, live_kb.url + path, axe_script)
            if problems:
                found[path] = problems
        page.goto(live_kb.url + "/en/timeline/?status=sometimes")
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        if result["violations"]:
            found["timeline with a bad filter"] = [rule["id"] for rule in result["violations"]]
        page.goto(live_kb.url + "/en/compare/?on=2026-13-45")
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        if result["violations"]:
            found["compare with a bad date"] = [rule["id"] for rule in result["violations"]]
    finally:
        context.close()
    assert found == {}
