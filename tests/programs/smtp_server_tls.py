# Copyright 2025 the pysocket authors. MIT license.
# A small SMTP server with STARTTLS (python3 socket + ssl, standard library
# only) for smtp_test.ts. Serves N connections one after the other. Prints
# its port, then for each connection one JSON line: the commands it got
# (before and after TLS), whether TLS was on for MAIL, and the message data
# exactly as received, dot-unstuffed, latin-1.
# Usage: python3 smtp_server_tls.py N CERT KEY [implicit]  (implicit: TLS from
# the start, as smtplib.SMTP_SSL expects, and no STARTTLS offered)
import json
import socket
import ssl
import sys

N, CERT, KEY = int(sys.argv[1]), sys.argv[2], sys.argv[3]
IMPLICIT = sys.argv[4:] == ["implicit"]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)


def serve(conn):
    log = {"commands": [], "tls_at_mail": None, "data": None, "mailfrom": None, "rcpt": []}
    f = conn.makefile("rb")
    tls = IMPLICIT

    def reply(text):
        conn.sendall(text.encode("ascii"))

    reply("220-smtp.test ESMTP pysocket test server\r\n220-second greeting line\r\n220 ready\r\n")
    while True:
        line = f.readline(1001)
        if not line:
            return log
        cmd = line.decode("ascii").rstrip("\r\n")
        log["commands"].append(cmd)
        verb = cmd.split(" ", 1)[0].upper()
        if verb == "EHLO":
            if tls:
                reply("250-smtp.test at your service\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n")
            else:
                reply("250-smtp.test at your service\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SIZE 10485760\r\n")
        elif verb == "STARTTLS":
            reply("220 2.0.0 Ready to start TLS\r\n")
            f.close()
            conn = ctx.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
            tls = True
        elif verb == "MAIL":
            log["mailfrom"] = cmd
            log["tls_at_mail"] = tls
            reply("250 2.1.0 Ok\r\n")
        elif verb == "RCPT":
            log["rcpt"].append(cmd)
            reply("250 2.1.5 Ok\r\n")
        elif verb == "DATA":
            reply("354 End data with <CR><LF>.<CR><LF>\r\n")
            data = []
            while True:
                line = f.readline()
                if not line:
                    return log
                if line == b".\r\n":
                    break
                if line.startswith(b"."):
                    line = line[1:]
                data.append(line)
            log["data"] = b"".join(data).decode("latin-1")
            reply("250 2.0.0 Ok: queued as 12345\r\n")
        elif verb == "QUIT":
            reply("221 2.0.0 Bye\r\n")
            f.close()
            conn.close()
            return log
        elif verb == "NOOP":
            reply("250 2.0.0 Ok\r\n")
        else:
            reply("502 5.5.2 Error: command not recognized\r\n")


for _ in range(N):
    c, _ = srv.accept()
    c.settimeout(10)
    if IMPLICIT:
        c = ctx.wrap_socket(c, server_side=True)
    print(json.dumps(serve(c)), flush=True)
srv.close()
