"""A program shows the NRMP tracks it holds, on its page and in the API's answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

UAB = "1400121022"  # University of Alabama Medical Center: a categorical and a pathway track


def test_the_api_program_answer_lists_its_tracks(client: TestClient) -> None:
    detail = client.get(f"/api/programs/{UAB}").json()
    tracks = {t["program_id"]: t for t in detail["tracks"]}
    assert "1007140C0" in tracks
    main = tracks["1007140C0"]
    assert main["track_type"] == "Categorical" and main["title"] == "Internal Medicine"
    assert main["positions"] > 0 and main["positions_year"] >= 2024
    assert main["link_rule"] == "institution" and main["link_method"]
    assert sum(t["positions"] for t in tracks.values() if t["track"] in ("C", "M")) == \
        detail["fields"]["positions"]["value"]


def test_the_program_page_shows_its_tracks(client: TestClient) -> None:
    page = client.get(f"/programs/{UAB}")
    assert page.status_code == 200
    html = page.text
    assert "NRMP tracks of this program" in html
    assert 'data-track="1007140C0"' in html and "Categorical" in html


def test_a_program_without_tracks_shows_no_track_table(client: TestClient) -> None:
    answer = client.get("/api/programs/1403500006").json()  # a survey program with no track
    assert answer["tracks"] == []
    assert "NRMP tracks of this program" not in client.get("/programs/1403500006").text
