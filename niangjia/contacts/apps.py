from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "niangjia.contacts"
    label = "contacts"
    verbose_name = "直接联系"
