# Copyright 2025 the pysocket authors. MIT license.
# A python3 3.11 smtpd.SMTPServer (asyncore, standard library) on loopback
# for smtp_test.ts. Prints its port, then one JSON line per message it
# receives: [mailfrom, rcpttos, data (latin-1)]. Exits after N messages.
# Usage: python3 smtp_server_smtpd.py N
import json
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import asyncore  # noqa: E402
import smtpd  # noqa: E402

N = int(sys.argv[1])
count = 0


class Server(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        global count
        count += 1
        print(json.dumps([mailfrom, rcpttos, data.decode("latin-1")]), flush=True)


server = Server(("127.0.0.1", 0), None, decode_data=False)
print(server.socket.getsockname()[1], flush=True)
while count < N:
    asyncore.loop(timeout=0.05, count=1)
# Let the last client read its QUIT reply.
asyncore.loop(timeout=0.05, count=20)
