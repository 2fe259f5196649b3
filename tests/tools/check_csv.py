#!/usr/bin/env python3
"""Reads a CSV export with Python's csv module (an independent RFC 4180 reader) and prints the
header, then for each row its status, full name, email and organization (or, with --all, every
field), '|'-separated, with newlines inside fields shown as \\n."""
import csv
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
print("|".join(rows[0]))
if "--all" in sys.argv:
    for row in rows[1:]:
        print("|".join(field.replace("\n", "\\n") for field in row))
    sys.exit(0)
for row in rows[1:]:
    record = dict(zip(rows[0], row))
    fields = [record["status"], record["full_name"], record["email"], record["organization"]]
    print("|".join(field.replace("\n", "\\n") for field in fields))
