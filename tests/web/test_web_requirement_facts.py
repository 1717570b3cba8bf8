"""The program page shows each requirement fact's status, page URL and date."""

from __future__ import annotations

from fastapi.testclient import TestClient

EL_PASO = "1404811424"  # a page read by hand that the 2025 survey contradicts on J-1


def test_program_page_shows_page_facts_with_status_url_date_and_dispute(
        client: TestClient) -> None:
    detail = client.get(f"/api/programs/{EL_PASO}").json()
    j1 = detail["fields"]["visa_j1"]
    assert j1["status"] == "reported" and j1["source"].startswith("https://")
    assert j1["as_of_status"] == "estimated" and "FREIDA" in j1["conflict"]
    page = client.get(f"/programs/{EL_PASO}").text
    row = page.split('<tr data-field="visa_j1">', 1)[1].split("</tr>", 1)[0]
    assert 'class="status status-reported"' in row
    assert f'href="{j1["source"]}"' in row
    assert f'{j1["as_of"]} <small>(estimated)</small>' in row
    assert "disputed: AMA FREIDA" in row and "read from the program" in row
