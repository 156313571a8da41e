#!/usr/bin/env python3
"""Writes a reproducible mbox of realistic messages for imaptest's APPENDs (mbox=...).

Usage: generate-mbox.py OUT [COUNT]. Seeded, so every run appends the same messages: plain and
multipart/alternative messages of about 1-30 KiB with the headers a mail client reads (ENVELOPE,
BODYSTRUCTURE, SORT and THREAD keys: From, To, Cc, Subject, Date, Message-ID, In-Reply-To).
"""
import random
import sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
         "you were her she there been one all we their has would when if so no out up more what about into than them can "
         "only other new some could time these two may then do first any like now my such make over our even most me state "
         "after also made many off before must well back through years where much your way down should because long "
         "mailbox server message delivery queue journal cluster protocol client folder archive meeting report").split()
NAMES = ["Alice Martin", "Bob Keller", "Carla Nunez", "Dieter Braun", "Eve O'Neil", "Farid Haddad", "Gao Lin",
         "Hanna Virtanen", "Ivan Petrov", "Julia Rossi"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraph(rng, lines):
    return "\r\n".join(words(rng, rng.randint(6, 12)) for _ in range(lines))


def address(name):
    local = name.lower().replace(" ", ".").replace("'", "")
    return f'"{name}" <{local}@example.org>'


def message(rng, i, when):
    sender, to, cc = rng.sample(NAMES, 3)
    subject = ("Re: " if rng.random() < 0.3 else "") + words(rng, rng.randint(2, 7)).capitalize()
    headers = [
        f"From: {address(sender)}",
        f"To: {address(to)}",
        f"Cc: {address(cc)}" if rng.random() < 0.4 else None,
        f"Subject: {subject}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <{i}.{rng.getrandbits(40):x}@example.org>",
        f"In-Reply-To: <{rng.randint(1, max(1, i - 1))}.ref@example.org>" if i > 1 and rng.random() < 0.3 else None,
        "MIME-Version: 1.0",
    ]
    lines = rng.choice([10, 20, 40, 80, 160, 400])
    text = paragraph(rng, lines)
    if rng.random() < 0.3:
        boundary = f"=_b{i}_{rng.getrandbits(32):x}"
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        html = "<html><body><p>" + text.replace("\r\n", "</p>\r\n<p>") + "</p></body></html>"
        body = (f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n"
                "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                f"{text}\r\n\r\n--{boundary}\r\n"
                "Content-Type: text/html; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                f"{html}\r\n\r\n--{boundary}--\r\n")
    else:
        headers.append("Content-Type: text/plain; charset=us-ascii")
        headers.append("Content-Transfer-Encoding: 7bit")
        body = text + "\r\n"
    head = "\r\n".join(h for h in headers if h)
    # mbox: a body line starting with "From " would be quoted; the word list never starts a line with it
    return f"From {sender.split()[0].lower()}@example.org {when.strftime('%a %b %d %H:%M:%S %Y')}\r\n{head}\r\n\r\n{body}\r\n"


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(13)
    when = datetime(2026, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    with open(out, "w", newline="") as f:
        for i in range(1, count + 1):
            when += timedelta(minutes=rng.randint(1, 600))
            f.write(message(rng, i, when))


if __name__ == "__main__":
    main()
