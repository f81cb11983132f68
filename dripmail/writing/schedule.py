"""`schedule.csv`: when each email of a sequence goes out, and which file holds it."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from dripmail.models import EmailSequence

NAME = "schedule.csv"


def schedule_csv(sequence: EmailSequence, files: Mapping[int, str]) -> str:
    """position, day, subject, preheader, file (relative to the CSV) of each email."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["position", "day", "subject", "preheader", "file"])
    for e in sequence.emails:
        writer.writerow([e.position, e.day, e.subject, e.preheader, files.get(e.position, "")])
    return buf.getvalue()
