"""Structured logs: one JSON object per line, for a log collector (DJANGO_LOG_FORMAT=json)."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """Time (UTC, ISO 8601), level, logger, message, and the traceback when there is one.

    Fields a caller passes with ``extra=`` (``status_code``, ``request``'s path…)
    are kept when they can be written as JSON.
    """

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key in self.STANDARD or key in entry or key == "request":
                continue
            try:
                json.dumps(value)
            except TypeError:
                value = repr(value)
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
