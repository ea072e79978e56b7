from cryptography.fernet import Fernet
from django.core.management import call_command

from niangjia.core import sensitive
from niangjia.people import services as people
from niangjia.people.models import Person


def test_rotate_keys_re_encrypts_every_person_under_the_new_key(tree, personas, settings):
    # given a person sealed under the old key
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="周敏", phone="13700137000",
                             id_number="11010519491231002X", address="东村5组")
    # when a new key is put first and the command runs
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_keys", stdout=open("/dev/null", "w"))
    # then the old key can be dropped and every value still reads
    settings.FIELD_ENCRYPTION_KEYS = [new]
    p = Person.objects.get(pk=p.pk)
    assert sensitive.decrypt(p.phone_enc) == "+8613700137000"
    assert sensitive.decrypt(p.id_number_enc) == "11010519491231002X"
    assert sensitive.decrypt(p.address_enc) == "东村5组"
