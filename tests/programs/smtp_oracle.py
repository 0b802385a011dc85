# Copyright 2025 the pysocket authors. MIT license.
# The oracle for smtp_test.ts: python3's own smtplib running the same
# dialogue as the port, against the same server. Prints the replies as JSON.
# Usage: python3 smtp_oracle.py PORT [CAFILE [implicit] | stall]  (with CAFILE:
# STARTTLS first; with implicit: SMTP_SSL, TLS from the start)
import json
import smtplib
import ssl
import sys


def message():
    lines = [
        "From: a@example.com",
        "To: b@example.com, c@example.com",
        "Subject: pysocket test",
        "",
        ".leading dot",
        "..two leading dots",
        ".",
        "a lone dot above",
        "bare LF follows\n.dot after LF, a bare CR\r.dot after CR, then CRLF",
    ]
    for i in range(5000):
        lines.append(("." if i % 7 == 0 else "") + "line %d " % i + "y" * (i % 97))
    return "\r\n".join(lines).encode("ascii")


def main():
    port = int(sys.argv[1])
    cafile = sys.argv[2] if len(sys.argv) > 2 else None
    implicit = sys.argv[3:] == ["implicit"]
    r = []
    if implicit:
        s = smtplib.SMTP_SSL(timeout=10, context=ssl.create_default_context(cafile=cafile))
        s._host = "127.0.0.1"  # what SMTP_SSL("127.0.0.1", port) sets
    else:
        s = smtplib.SMTP(timeout=10)
    code, msg = s.connect("127.0.0.1", port)
    r.append(["connect", code, msg.decode()])
    code, msg = s.ehlo("client.test")
    r.append(["ehlo", code, msg.decode(), sorted(s.esmtp_features.items())])
    if cafile is not None and not implicit:
        ctx = ssl.create_default_context(cafile=cafile)
        s._host = "localhost"
        code, msg = s.starttls(context=ctx)
        r.append(["starttls", code, msg.decode()])
        code, msg = s.ehlo("client.test")
        r.append(["ehlo", code, msg.decode(), sorted(s.esmtp_features.items())])
    r.append(["mail"] + [x if isinstance(x, int) else x.decode() for x in s.mail("a@example.com")])
    r.append(["rcpt"] + [x if isinstance(x, int) else x.decode() for x in s.rcpt("b@example.com")])
    r.append(["rcpt"] + [x if isinstance(x, int) else x.decode() for x in s.rcpt("c@example.com")])
    r.append(["data"] + [x if isinstance(x, int) else x.decode() for x in s.data(message())])
    r.append(["noop"] + [x if isinstance(x, int) else x.decode() for x in s.noop()])
    r.append(["quit"] + [x if isinstance(x, int) else x.decode() for x in s.quit()])
    print(json.dumps(r))


def stall():
    """A server that accepts and says nothing: the greeting read times out."""
    s = smtplib.SMTP(timeout=0.3)
    try:
        s.connect("127.0.0.1", int(sys.argv[1]))
        print(json.dumps("connected"))
    except smtplib.SMTPServerDisconnected as e:
        print(json.dumps(["SMTPServerDisconnected", str(e), s.sock is None, s.file is None]))


if sys.argv[2:] == ["stall"]:
    stall()
else:
    main()
