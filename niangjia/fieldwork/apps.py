from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "niangjia.fieldwork"
    label = "fieldwork"
    verbose_name = "下基层蹲点"
