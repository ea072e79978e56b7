from django.contrib import admin

from niangjia.core.admin_base import ReadOnlyAdmin

from .models import Document, Measure, Pilot, Plan

for model in (Document, Measure, Plan, Pilot):
    admin.site.register(model, ReadOnlyAdmin)
