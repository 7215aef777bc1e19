"""Every real record's citation through the tools reference managers and writers use:
bibtexparser (BibTeX), rispy (RIS) and citeproc-py (CSL-JSON, rendered in APA, Chicago
author-date and OSCOLA from the styles committed beside this file; no network)."""

import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from agreements import citation as agreement_citation
from agreements.models import Agreement
from agreements.views import with_parties
from core.citation import official_journal
from instruments import citation as instrument_citation
from instruments.models import Instrument

STYLES = {name: Path(__file__).parent / "styles" / f"{name}.csl" for name in ("apa", "chicago-author-date", "oscola")}
RIS_TYPES = set(rispy.TYPE_OF_REFERENCE_MAPPING)
CSL_TYPES = {"legislation", "treaty", "bill", "speech"}


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        real = Instrument.objects.real().prefetch_related("parties__country", "parties__organisation")
        instruments = [(i, instrument_citation) for i in real.order_by("pk")]
        agreements = [(a, agreement_citation) for a in with_parties(Agreement.objects.real()).order_by("pk")]
        return instruments + agreements, {r.pk: module.as_citation(r) for r, module in instruments + agreements}


@pytest.fixture(scope="module")
def styles():
    return {name: CitationStylesStyle(str(path), validate=False) for name, path in STYLES.items()}


def parse_bibtex(text):
    return bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware()]
    )


def test_there_are_records_of_every_kind_to_cite(records):
    rows, _ = records
    assert sum(isinstance(r, Instrument) for r, _ in rows) >= 100
    assert sum(isinstance(r, Agreement) for r, _ in rows) >= 30


def test_every_bibtex_parses_with_corporate_authors_and_protected_titles(records):
    rows, cites = records
    for record, module in rows:
        text = module.bibtex(record)
        library = parse_bibtex(text)
        assert not library.failed_blocks, record.pk
        assert len(library.entries) == 1, record.pk
        entry = library.entries[0]
        cite = cites[record.pk]
        # The title is in double braces: one brace group whose case no style changes.
        raw = bibtexparser.parse_string(text).entries[0]
        assert raw.fields_dict["title"].value.startswith("{") and raw.fields_dict["title"].value.endswith("}")
        assert entry.fields_dict["title"].value == cite.title.text, record.pk
        if cite.authors:
            names = entry.fields_dict["author"].value
            # Each corporate author is one name, whole, never split into persons.
            assert [n.last for n in names] == [[f"{{{a}}}"] for a in cite.authors], record.pk
            assert all(not n.first and not n.von for n in names), record.pk
        if "date" in entry.fields_dict:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", entry.fields_dict["date"].value), record.pk


def test_every_ris_parses_with_a_specified_type(records):
    rows, cites = records
    for record, module in rows:
        parsed = rispy.loads(module.ris(record))
        assert len(parsed) == 1, record.pk
        entry = parsed[0]
        assert entry["type_of_reference"] in RIS_TYPES, record.pk
        assert "unknown_tag" not in entry, (record.pk, entry.get("unknown_tag"))
        assert entry["title"] == cites[record.pk].title.text
        journal = official_journal(cites[record.pk].publication_reference)
        if journal is not None:
            assert entry["journal_name"] == f"OJ {journal.series}", record.pk
            assert entry.get("number") == (journal.issue or None), record.pk
            assert entry.get("start_page") == (journal.first_page or None), record.pk
        if "date" in entry:
            assert re.fullmatch(r"\d{4}/(\d{2}/(\d{2}/)?)?", entry["date"]), record.pk


def render(style, item):
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    cite = Citation([CitationItem(item["id"])])
    bibliography.register(cite)
    in_text = bibliography.cite(cite, lambda _item: None)
    return str(in_text), str(bibliography.bibliography()[0])


@pytest.mark.slow  # a sweep of every record: make check leaves it to make test
def test_every_csl_item_renders_in_apa_chicago_and_oscola_without_us_law_or_mangled_dates(records, styles):
    rows, _ = records
    rendered = 0
    for record, module in rows:
        [item] = json.loads(module.csl_json(record))
        assert item["type"] in CSL_TYPES, record.pk
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        for name, style in styles.items():
            in_text, entry = render(style, item)
            for output in (in_text, entry):
                assert "Pub. L" not in output and "Pub L" not in output, (name, record.pk, output)
                # No date collapsed into a run of digits ("1862009"): every run of digits is one the item has.
                source = json.dumps(item, ensure_ascii=False)
                for digits in re.findall(r"\d{5,}", output):
                    assert digits in source, (name, record.pk, digits, output)
            if parts:
                assert str(parts[0]) in entry, (name, record.pk, entry)
            rendered += 1
    assert rendered == 3 * len(rows)


def test_an_eu_directive_cites_its_official_journal_in_parts(client, kb):
    ris = rispy.loads(client.get("/en/instruments/eu-dir-2009-50/cite.ris").content.decode())[0]
    assert ris["type_of_reference"] == "STAT"
    assert (ris["journal_name"], ris["number"], ris["start_page"], ris["end_page"]) == ("OJ L", "155", "17", "29")
    assert "Published: OJ L 155, 18.6.2009, p. 17–29" in ris["notes"]
    [csl] = json.loads(client.get("/en/instruments/eu-dir-2009-50/cite.json").content)
    assert csl["type"] == "legislation" and csl["authority"] == "Council of the European Union"
    assert (csl["container-title"], csl["volume"], csl["page"]) == ("OJ L", "155", "17–29")
    assert csl["issued"] == {"date-parts": [[2009, 5, 25]]}
    bib = client.get("/en/instruments/eu-dir-2009-50/cite.bib").content.decode()
    assert "author = {{Council of the European Union}}" in bib


def test_european_parliament_and_council_is_one_author(kb):
    instrument = Instrument.objects.filter(issuing_body="European Parliament and Council").first()
    entry = parse_bibtex(instrument_citation.bibtex(instrument)).entries[0]
    assert [n.last for n in entry.fields_dict["author"].value] == [["{European Parliament and Council}"]]


def test_the_address_is_a_generic_ris_record_and_a_csl_speech(client, kb):
    ris = rispy.loads(client.get("/en/instruments/kz-address-2012-kazakhstan-2050/cite.ris").content.decode())[0]
    assert ris["type_of_reference"] == "GEN"
    [csl] = json.loads(client.get("/en/instruments/kz-address-2012-kazakhstan-2050/cite.json").content)
    assert csl["type"] == "speech"
    instrument = Instrument.objects.get(pk="kz-address-2012-kazakhstan-2050")
    day = instrument.date_adopted
    expected = {"year": [day.year], "month": [day.year, day.month]}.get(
        instrument.date_adopted_precision, [day.year, day.month, day.day]
    )
    assert csl["issued"] == {"date-parts": [expected]}


def test_the_official_title_is_cited_and_a_translation_is_marked_as_one(kb):
    eaeu = Instrument.objects.get(pk="eaeu-treaty-2014")
    assert eaeu.title_ru_kind == "official" and eaeu.title_en_kind == "unofficial"
    [csl] = json.loads(instrument_citation.csl_json(eaeu))
    assert csl["title"] == eaeu.title_ru and csl["language"] == "ru"
    assert f"English title (unofficial translation): {eaeu.title_en}" in csl["note"]
    ris = rispy.loads(instrument_citation.ris(eaeu))[0]
    assert ris["title"] == eaeu.title_ru and ris["translated_title"] == eaeu.title_en and ris["language"] == "ru"
    bib = parse_bibtex(instrument_citation.bibtex(eaeu)).entries[0]
    assert bib.fields_dict["language"].value == "russian"
    assert "English title (unofficial translation)" in bib.fields_dict["note"].value
    # No record is cited under a translation without saying so.
    for instrument in Instrument.objects.real():
        cite = instrument_citation.as_citation(instrument)
        if not cite.title.is_official:
            assert any("no official title is recorded" in note for note in cite.title_notes()), instrument.pk


def test_agreements_are_citable_in_three_formats(client, kb):
    agreement = with_parties(Agreement.objects.all()).get(pk="kz-de-readmission")
    page = client.get(agreement.get_absolute_url()).content.decode()
    for fmt, content_type in (
        ("bib", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ):
        url = f"/en/agreements/kz-de-readmission/cite.{fmt}"
        assert f'href="{url}"' in page
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
        assert "attachment" in response["Content-Disposition"]
    [csl] = json.loads(client.get("/en/agreements/kz-de-readmission/cite.json").content)
    assert csl["type"] == "treaty"
    assert [a["literal"] for a in csl["author"]] == ["Kazakhstan", "Germany"]
    assert csl["issued"]["date-parts"] == [
        [agreement.date_signed.year, agreement.date_signed.month, agreement.date_signed.day]
    ]
    ris = rispy.loads(client.get("/en/agreements/kz-de-readmission/cite.ris").content.decode())[0]
    assert ris["type_of_reference"] == "LEGAL" and ris["authors"] == ["Kazakhstan", "Germany"]
    assert client.get("/en/agreements/kz-de-readmission/cite.doc").status_code == 404
    assert client.get("/en/agreements/no-such-agreement/cite.bib").status_code == 404


def test_citation_urls_use_the_canonical_base_not_the_host(client, kb, settings):
    settings.KB_CANONICAL_URL = "https://kb.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    [csl] = json.loads(client.get("/en/agreements/kz-de-readmission/cite.json", HTTP_HOST="other.example").content)
    assert csl["URL"] == "https://kb.example.org/en/agreements/kz-de-readmission/"


def test_a_bilateral_treaty_names_its_parties_as_csl_authors(kb):
    from instruments.models import InstrumentParty

    party = InstrumentParty.objects.filter(instrument__level="bilateral").select_related("instrument").first()
    instrument = party.instrument
    [csl] = json.loads(instrument_citation.csl_json(instrument))
    names = [p.country.name_en if p.country_id else p.organisation.name_en for p in instrument.parties.all()]
    assert [a["literal"] for a in csl["author"]] == names and len(names) == 2
