"""How dates and times are written in each interface language (settings.FORMAT_MODULE_PATH).

One way throughout: the day, the month's short name, the year ("22 Nov 1965" in English,
"22 nov 1965" in Spanish), never a US/European-ambiguous "11/22/1965". Templates use the
named formats, `{{ d|date }}` or `{{ d|date:"DATE_FORMAT" }}`, `{{ t|date:"DATETIME_FORMAT" }}`,
`{{ t|time }}` and `{{ d|date:"MONTH_DAY_FORMAT" }}`; Python uses
`django.utils.formats.date_format(value, "DATE_FORMAT")`. Numbers and anything not named
here follow Django's own formats for the language.
"""
