"""English as our users read it: Belgian dates and times in English words (nl-BE has Django's own).

Django's ``en`` formats are American: 3 January 2026 shows as ``01/03/2026``, which a coach in
Flanders reads as 1 March, the 24-hour clock as ``2:05 p.m.`` and weeks start on Sunday. A
deadline misread by two months is a missed deadline, so the English interface writes dates day
first, as the Dutch one does and as the PDFs and spreadsheets do (``DD/MM/YYYY``). Numbers keep
the English decimal point.
"""

DATE_FORMAT = "j F Y"  # 3 January 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 03/01/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# What a typed date means (date pickers send ISO 8601; imports have their own patterns): the
# way the pages show it, never month first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-01-03
    "%d/%m/%Y",  # 03/01/2026
    "%d/%m/%y",  # 03/01/26
    "%d-%m-%Y",  # 03-01-2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
