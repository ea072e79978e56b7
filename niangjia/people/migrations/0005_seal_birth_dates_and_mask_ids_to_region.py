"""Seal the birth date (only the year stays clear) and cut ID-number masks to the region prefix.

The old mask (first and last four characters) with the clear birth date left 2 unknown digits of an
ID number; now what a dump without the keys holds (birth year, gender, region prefix) leaves
182,500 candidates. The field keys come from settings, as in the running application.
"""

from django.db import migrations

from niangjia.core.migrations._id_masks import CHUNK, _fernet, old_mask, region_mask, remask


def seal_birth_dates(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    f = _fernet()
    batch = []
    for p in Person.objects.exclude(birth_date=None).only("pk", "birth_date").iterator(chunk_size=CHUNK):
        p.birth_year = p.birth_date.year
        p.birth_date_enc = f.encrypt(p.birth_date.isoformat().encode()).decode()
        batch.append(p)
        if len(batch) >= CHUNK:
            Person.objects.bulk_update(batch, ["birth_year", "birth_date_enc"])
            batch = []
    Person.objects.bulk_update(batch, ["birth_year", "birth_date_enc"])
    remask(Person, region_mask)


def unseal_birth_dates(apps, schema_editor):
    from datetime import date

    Person = apps.get_model("people", "Person")
    f = _fernet()
    for p in Person.objects.exclude(birth_date_enc="").only("pk", "birth_date_enc").iterator(chunk_size=CHUNK):
        Person.objects.filter(pk=p.pk).update(
            birth_date=date.fromisoformat(f.decrypt(p.birth_date_enc.encode()).decode()))
    remask(Person, old_mask)


class Migration(migrations.Migration):

    dependencies = [("people", "0004_person_birth_year_and_sealed_birth_date")]

    operations = [migrations.RunPython(seal_birth_dates, unseal_birth_dates)]
