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
ENDPOINTS = [f"/api/v1/{name}/" for name in LISTS] + [f"/api/v1/{name}/{pk}/" for name, pk in DETAILS.items()]
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
