"""Django's own messages that another installed app translates differently.

Django REST framework ships Dutch translations of a few messages Django itself translates,
and an app's catalogue wins over Django's: the forms would say "Dit veld is vereist." where
every other page says "Dit veld is verplicht.". Listing them here puts them in our catalogue
(which wins over both) with Django's Dutch wording.
"""

from django.utils.translation import gettext_noop

KEEP_DJANGO_WORDING = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop("Value must be valid JSON."),
)
