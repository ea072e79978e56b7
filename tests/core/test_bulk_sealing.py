"""The import's bulk sealing gives exactly what the one-at-a-time functions give."""

import os
import random

from niangjia.core import sensitive, validators


def test_bulk_encryptor_makes_the_very_fernet_tokens_and_they_decrypt():
    sealer = sensitive.BulkEncryptor()
    fernet = sensitive.fernet()._fernets[0]
    for value in ["a", "x" * 15, "x" * 16, "x" * 17, "+8613800001234", "某县某镇某村1组2号" * 5]:
        iv = os.urandom(16)
        # then with the same time and IV it is Fernet's own token, byte for byte
        assert sealer._token(value.encode(), 1_700_000_000, iv) == fernet._encrypt_from_parts(
            value.encode(), 1_700_000_000, iv)
        # and a token it makes reads back through the ordinary decrypt
        assert sensitive.decrypt(sealer.encrypt(value)) == value
    assert sealer.encrypt("") == ""
    # two tokens of one value differ (a fresh IV each)
    assert sealer.encrypt("13800001234") != sealer.encrypt("13800001234")


def test_check_phone_agrees_with_the_full_parse_for_mobiles_and_landlines():
    rnd = random.Random(5)
    numbers = ["1" + "".join(str(rnd.randrange(10)) for _ in range(10)) for _ in range(3000)]
    numbers += ["010-12345678", "0571-87654321", "+86 138 0013 8000", "12345", "", "abc", "14000000000"]
    for n in numbers:
        problem = validators.phone_problem(n)
        assert validators.check_phone(n) == (problem, "" if problem else validators.normalize_phone(n)), n
