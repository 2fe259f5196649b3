#!/usr/bin/env python3
"""Reads the messages an SMTP test server saved (MAILDIR/*.eml) with Python's email package, an
independent reader, and prints them as JSON for the tests: headers decoded, the MIME structure,
both text parts decoded, and the calendar part parsed with python3-icalendar."""
import email
import email.policy
import glob
import json
import os
import sys

import icalendar


def calendar_of(part):
    cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    events = []
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("DTSTART")
        events.append({
            "summary": str(ev.get("SUMMARY")),
            "start": start.isoformat(),
            "tzid": str(ev["DTSTART"].params.get("TZID", "")),
            "location": str(ev.get("LOCATION", "")),
        })
    return {"method": str(cal.get("METHOD", "")), "content_type": part.get("Content-Type"),
            "events": events}


def main():
    out = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        entry = {
            "file": os.path.basename(path),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "reply_to": str(msg["Reply-To"]) if msg["Reply-To"] else None,
            "date": str(msg["Date"]),
            "structure": [part.get_content_type() for part in msg.walk()],
            "text": None, "html": None, "calendar": None,
        }
        for part in msg.walk():
            kind = part.get_content_type()
            if kind == "text/plain":
                entry["text"] = part.get_content()
            elif kind == "text/html":
                entry["html"] = part.get_content()
            elif kind == "text/calendar":
                entry["calendar"] = calendar_of(part)
        out.append(entry)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
