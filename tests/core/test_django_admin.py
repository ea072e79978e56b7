import pytest


@pytest.mark.parametrize("path", [
    "/django-admin/", "/django-admin/org/federation/", "/django-admin/people/person/",
    "/django-admin/core/auditentry/", "/django-admin/accounts/user/", "/django-admin/stats/activitylog/",
])
def test_the_django_admin_is_open_to_superusers_for_browsing(client, tree, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200


def test_the_django_admin_does_not_write_and_is_closed_to_others(client, tree, personas, admin_user):
    client.force_login(admin_user)
    assert client.get("/django-admin/org/federation/add/").status_code == 403
    assert client.post(f"/django-admin/org/federation/{tree.east.id}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(personas.province)
    assert client.get("/django-admin/org/federation/").status_code == 302  # to the admin login


def test_the_superusers_person_list_includes_case_parties(client, tree, admin_user):
    from niangjia.people import services as people

    people.person_create(actor=admin_user, unit=tree.east, name="周个案", case_party=True)
    client.force_login(admin_user)
    assert "周个案" in client.get("/django-admin/people/person/").content.decode()
