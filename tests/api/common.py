"""What the tests of the API's conventions share: its endpoints, one record of each kind, and
the one shape of its errors."""

LISTS = ["instruments", "agreements", "countries", "organisations", "sources", "discrepancies"]
DETAILS = {
    "instruments": "eu-dir-2009-50",
    "agreements": "kz-benelux-readmission",
    "countries": "LU",
    "organisations": "eu",
    "sources": "article",
    "discrepancies": "2011-98-body",
}
# The tables behind the resources (issue 12), with one row each.
TABLES = {
    "subjects": "legal_entry_stay",
    "relationships": "eu-dir-2021-1883-repeals-eu-dir-2009-50",
    "memberships": "eu-cz-2004-05-01",
    "agreement-parties": "kz-benelux-readmission-be",
    "instrument-parties": "eu-kz-epca-eu",
    "provenance": "instrument-kz-address-2012-kazakhstan-2050-date_adopted-"
    "en-tengrinews-kz-foreign-minister-comments-strategy-2050-15322-a31798",
}
ENDPOINTS = (
    [f"/api/v1/{name}/" for name in [*LISTS, *TABLES]]
    + [f"/api/v1/{name}/{pk}/" for name, pk in DETAILS.items()]
    + [f"/api/v1/{name}/{pk}/" for name, pk in TABLES.items()]
)
WRITE_METHODS = ["post", "put", "patch", "delete"]


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["message"]
    return error
