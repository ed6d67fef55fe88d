import json
import logging
import sys

from django.test import RequestFactory

from core.logs import JsonFormatter


def _record(message="Mail %s refusé", args=("convocation",), **extra) -> logging.LogRecord:
    record = logging.LogRecord("core.mail", logging.ERROR, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_log_line_is_one_json_object_with_time_level_logger_and_message():
    line = JsonFormatter().format(_record())

    entry = json.loads(line)
    assert "\n" not in line
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "core.mail",
        "Mail convocation refusé",
    )
    assert entry["time"].endswith("+00:00")


def test_the_request_path_extra_fields_and_the_traceback_are_kept():
    try:
        raise ValueError("serveur de mail injoignable")
    except ValueError:
        record = _record(
            request=RequestFactory().post("/espace/projets/3/"),
            status_code=500,
            connection=object(),
        )
        record.exc_info = sys.exc_info()

    entry = json.loads(JsonFormatter().format(record))

    assert (entry["method"], entry["path"], entry["status_code"]) == (
        "POST",
        "/espace/projets/3/",
        500,
    )
    assert entry["connection"].startswith("<object object")
    assert "ValueError: serveur de mail injoignable" in entry["exception"]
