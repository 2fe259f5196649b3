#!/usr/bin/env python3
"""Reads an Atom feed with feedparser, an independent parser: exits 1 when the feed is not
well-formed or lacks what RFC 4287 requires; prints one line per entry (id, title, link,
updated, summary)."""
import sys

import feedparser

feed = feedparser.parse(sys.argv[1])
if feed.bozo:
    print("not well-formed:", feed.bozo_exception)
    sys.exit(1)
if feed.version != "atom10":
    print("not Atom 1.0:", feed.version)
    sys.exit(1)
for required in ("id", "title", "updated"):
    if not feed.feed.get(required):
        print("the feed has no", required)
        sys.exit(1)
print("feed", feed.feed.title, feed.feed.id, sep="\t")
for entry in feed.entries:
    for required in ("id", "title", "updated", "link"):
        if not entry.get(required):
            print("an entry has no", required)
            sys.exit(1)
    print("entry", entry.id, entry.title, entry.link, entry.updated, entry.summary, sep="\t")
