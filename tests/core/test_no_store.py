"""Pages and answers carrying personal data are never kept by a browser or proxy cache."""



def test_person_page_reveal_export_and_api_answers_say_no_store(client, personas, folks):
    # given a cadre with reveal permission
    client.force_login(personas.east)
    answers = {
        "person page": client.get(f"/people/{folks.zhang.pk}/"),
        "reveal": client.post(f"/people/{folks.zhang.pk}/reveal/id_number/", HTTP_HX_REQUEST="true"),
        "export": client.get("/people/export/"),
        "api person": client.get(f"/api/v1/persons/{folks.zhang.pk}"),
        "api reveal": client.post(f"/api/v1/persons/{folks.zhang.pk}/reveal", {"field": "phone"},
                                  content_type="application/json"),
        "cases list": client.get("/cases/"),
        "api 404": client.get("/api/v1/persons/999999"),
    }
    # then every one of them forbids storing
    for name, resp in answers.items():
        assert resp.status_code in (200, 302, 404), name
        assert "no-store" in resp["Cache-Control"] and "private" in resp["Cache-Control"], name


def test_login_page_is_not_stored_either(client):
    assert "no-store" in client.get("/login/")["Cache-Control"]
