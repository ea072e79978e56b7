"""Complainants added by case intake before people.Person.case_party existed become case parties.

A complainant counts as added by intake when her person record was created within a minute of
her first case being opened and nothing else of the people register refers to her (no post, no
user account): a woman already in the register before her complaint stays visible as she was.
"""

from datetime import timedelta

from django.db import migrations

WINDOW = timedelta(minutes=1)


def seal(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("people", "Person")
    Post = apps.get_model("people", "Post")
    User = apps.get_model("accounts", "User")
    first_opened: dict[int, object] = {}
    for pid, opened in Case.objects.order_by("opened_at").values_list("complainant_id", "opened_at"):
        first_opened.setdefault(pid, opened)
    with_posts = set(Post.objects.filter(person_id__in=list(first_opened)).values_list("person_id", flat=True))
    with_users = set(User.objects.filter(person_id__in=list(first_opened)).values_list("person_id", flat=True))
    ids = [p.pk for p in Person.objects.filter(pk__in=list(first_opened)).only("pk", "created_at")
           if p.pk not in with_posts and p.pk not in with_users
           and abs(p.created_at - first_opened[p.pk]) <= WINDOW]
    for start in range(0, len(ids), 500):
        Person.objects.filter(pk__in=ids[start:start + 500]).update(case_party=True)


def unseal(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("people", "Person")
    Person.objects.filter(pk__in=Case.objects.values("complainant_id")).update(case_party=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_cases_hotline_referrals"),
        ("people", "0003_person_case_party"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
