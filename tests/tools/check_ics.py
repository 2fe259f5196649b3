#!/usr/bin/env python3
"""Parses an iCalendar file with the independent `icalendar` library and prints, for each
VEVENT, its UID, DTSTART and DTEND in UTC, SEQUENCE and STATUS, one tab-separated line each.
Exits non-zero when the file does not parse or a line is longer than 75 octets."""
import sys
from datetime import timezone

import icalendar

data = open(sys.argv[1], "rb").read()
for number, line in enumerate(data.split(b"\r\n"), 1):
    if len(line) > 75:
        sys.exit(f"line {number} has {len(line)} octets")
calendar = icalendar.Calendar.from_ical(data)
for event in calendar.walk("VEVENT"):
    start = event.decoded("DTSTART").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = event.decoded("DTEND").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    print("\t".join([str(event["UID"]), start, end, str(event.get("SEQUENCE", "")),
                     str(event.get("STATUS", "")), str(event["SUMMARY"])]))
