"""Vietnamese formats as the newsroom writes them: day first, slashes, 24-hour clock.

They replace the matching names of Django's own `vi` locale (django/conf/locale/vi/formats.py),
which writes "09:30 Ngày 05 tháng 11 năm 2026" in the admin; names not set here (YEAR_MONTH_FORMAT,
MONTH_DAY_FORMAT for the admin's date drill-down) still come from Django's. Patterns use the
`date` filter's syntax; input formats use strftime's.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i:s"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Thứ Hai

# Django's default input formats read 05/11/2026 as May 11th; here it is the 5th of November.
# ISO dates stay accepted, as `<input type="date">` and `datetime-local` send them.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
