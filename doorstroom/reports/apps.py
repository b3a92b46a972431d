from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "doorstroom.reports"
    verbose_name = _("End of trajectory and reports")
