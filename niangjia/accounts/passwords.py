"""Password policy: besides Django's length and common-password checks, character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码至少要包含小写字母、大写字母、数字、符号中的 {min_classes} 类").format(min_classes=self.min_classes),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码至少要包含小写字母、大写字母、数字、符号中的 {min_classes} 类。").format(min_classes=self.min_classes)


class MinimumLengthValidator:
    """Django's length check with its message in plain Chinese (the stock plural message is not translated)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(_("密码太短，至少需要 {min_length} 个字符").format(min_length=self.min_length), code="password_too_short")

    def get_help_text(self):
        return _("密码至少需要 {min_length} 个字符。").format(min_length=self.min_length)
