"""Lint-time stand-ins for dbt's cross-database macros (dbt.*)."""


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"


def hash(field):
    return f"md5(cast({field} as varchar))"


def concat(fields):
    return "concat(" + ", ".join(fields) + ")"


def type_string():
    return "varchar"


def type_timestamp():
    return "timestamp"


def type_int():
    return "integer"


def type_numeric():
    return "numeric(28, 6)"


def type_bigint():
    return "bigint"
