#!/usr/bin/env python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd) on an ephemeral port.

Usage: smtp_server.py MAILDIR [ANSWERS] [PORT]
Saves each accepted message as MAILDIR/<n>.eml. ANSWERS is a comma-separated list of the SMTP
replies to give to consecutive DATA commands ("451", "550", "250"); once it is used up, every
message is accepted. PORT (default: any free one) lets a test start it again where it was.
Prints "smtp listening on 127.0.0.1:<port>" when ready.
"""
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP

REPLIES = {
    "250": "250 2.0.0 OK",
    "451": "451 4.3.0 Temporary local problem, try again later",
    "550": "550 5.1.1 No such mailbox here",
}


class Handler:
    def __init__(self, maildir, answers):
        self.maildir = maildir
        self.answers = answers
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        answer = self.answers.pop(0) if self.answers else "250"
        if answer != "250":
            return REPLIES[answer]
        self.count += 1
        path = os.path.join(self.maildir, "%04d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return REPLIES["250"]


def main():
    maildir = sys.argv[1]
    answers = [a for a in (sys.argv[2] if len(sys.argv) > 2 else "").split(",") if a]
    os.makedirs(maildir, exist_ok=True)
    handler = Handler(maildir, answers)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler), host="127.0.0.1",
                           port=int(sys.argv[3]) if len(sys.argv) > 3 else 0))
    port = server.sockets[0].getsockname()[1]
    print("smtp listening on 127.0.0.1:%d" % port, flush=True)
    loop.run_forever()

if __name__ == "__main__":
    main()
