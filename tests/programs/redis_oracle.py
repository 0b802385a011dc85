# Copyright 2025 the pysocket authors. MIT license.
# The oracle for redis_test.ts: the socket-level parts of redis-py's
# Connection (connect, SocketBuffer, PythonParser, can_read) written with
# the standard library only, running the same sequence against the same
# redis-server. Prints the results as JSON. Usage: python3 redis_oracle.py PORT
import hashlib
import json
import select
import socket
import ssl
import sys

HOST, PORT = "127.0.0.1", int(sys.argv[1])
TIMEOUT = 5.0
SERVER_CLOSED_CONNECTION_ERROR = "Connection closed by server."


class ConnectionError_(Exception):
    pass


class SocketBuffer:
    """redis-py's SocketBuffer: recv() into a buffer, lines cut from it."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def _read_from_socket(self, timeout=None, raise_on_timeout=True):
        custom = timeout is not None
        try:
            if custom:
                self.sock.settimeout(timeout)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError_(SERVER_CLOSED_CONNECTION_ERROR)
            self.buf += data
            return True
        except socket.timeout:
            if raise_on_timeout:
                raise TimeoutError("Timeout reading from socket")
            return False
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError) as ex:
            # redis-py's NONBLOCKING_EXCEPTIONS and their allowed errno
            allowed = socket.EWOULDBLOCK if isinstance(ex, BlockingIOError) else 2
            if not raise_on_timeout and ex.errno == allowed:
                return False
            raise ConnectionError_("Error while reading from socket: %s" % (ex.args,))
        except ConnectionError_:
            raise
        except OSError as e:
            raise ConnectionError_("Error while reading from socket: %s" % (e.args,))
        finally:
            if custom:
                self.sock.settimeout(TIMEOUT)

    def can_read(self, timeout):
        return bool(self.buf) or self._read_from_socket(timeout=timeout, raise_on_timeout=False)

    def readline(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[: i + 2]
                return line
            self._read_from_socket()

    def read(self, n):
        while len(self.buf) < n + 2:
            self._read_from_socket()
        data = bytes(self.buf[:n])
        del self.buf[: n + 2]
        return data


class FileReader:
    """The same over makefile("rb")."""

    def __init__(self, sock):
        self.f = sock.makefile("rb")

    def readline(self):
        line = self.f.readline()
        if not line:
            raise ConnectionError_(SERVER_CLOSED_CONNECTION_ERROR)
        return line[:-2]

    def read(self, n):
        data = self.f.read(n + 2)
        if len(data) < n + 2:
            raise ConnectionError_(SERVER_CLOSED_CONNECTION_ERROR)
        return data[:n]


def read_response(reader):
    raw = reader.readline()
    byte, resp = raw[:1], raw[1:]
    if byte == b"-":
        return {"error": resp.decode()}
    if byte == b"+":
        return resp.decode()
    if byte == b":":
        return int(resp)
    if byte == b"$":
        n = int(resp)
        return None if n == -1 else reader.read(n)
    if byte == b"*":
        n = int(resp)
        return None if n == -1 else [read_response(reader) for _ in range(n)]
    raise ValueError("Protocol Error: %r" % raw)


def pack_command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out.append(b"$%d\r\n" % len(a))
        out.append(a)
        out.append(b"\r\n")
    return b"".join(out)


def conv(x):
    if isinstance(x, bytes):
        if all(32 <= c < 127 for c in x):
            return x.decode()
        return {"hex": x.hex()}
    if isinstance(x, list):
        return [conv(v) for v in x]
    return x


class Connection:
    ca_certs = None  # set: redis-py's SSLConnection

    def __init__(self):
        self.sock = None

    def connect(self, port=PORT):
        try:
            self._connect(port)
        except OSError as e:
            # redis-py's _error_message()
            raise ConnectionError_("Error %s connecting to %s:%s. %s." % (e.args[0], HOST, port, e.args[1]))

    def _connect(self, port):
        err = None
        for family, socktype, proto, _, addr in socket.getaddrinfo(HOST, port, 0, socket.SOCK_STREAM):
            sock = None
            try:
                sock = socket.socket(family, socktype, proto)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 30)
                sock.settimeout(TIMEOUT)
                sock.connect(addr)
                sock.settimeout(TIMEOUT)
                if self.ca_certs is not None:
                    context = ssl.create_default_context()
                    context.load_verify_locations(cafile=self.ca_certs)
                    sock = context.wrap_socket(sock, server_hostname=HOST)
                self.sock = sock
                self.buffer = SocketBuffer(sock)
                return
            except OSError as e:
                err = e
                if sock is not None:
                    sock.close()
        raise err

    def send(self, *args):
        try:
            self.sock.sendall(pack_command(*args))
        except OSError as e:
            raise ConnectionError_("Error while writing to socket: %s" % (e.args,))

    def command(self, *args):
        self.send(*args)
        return read_response(self.buffer)

    def can_read(self, timeout=0):
        return self.buffer.can_read(timeout)


def big_value(n):
    return (bytes(range(251)) * (n // 251 + 1))[:n]


def main():
    r = []
    a = Connection()
    a.connect()
    s = a.sock
    r.append(["opts", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0,
              s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
              s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE), s.gettimeout()])
    r.append(["can_read idle", a.can_read(0)])
    a.send("PING")
    r.append(["can_read 1s", a.can_read(1)])
    r.append(conv(read_response(a.buffer)))
    r.append(["can_read after", a.can_read(0), s.gettimeout()])
    # The older can_read: a zero timeout and recv(MSG_PEEK), after select().
    a.send("PING")
    r.append(["select reply", len(select.select([s], [], [], 5)[0])])
    s.settimeout(0)
    r.append(["peek", s.recv(1, socket.MSG_PEEK).decode()])
    s.settimeout(TIMEOUT)
    r.append(conv(read_response(a.buffer)))
    s.settimeout(0)
    try:
        s.recv(1, socket.MSG_PEEK)
        r.append("no error")
    except BlockingIOError as e:
        r.append(["BlockingIOError", e.errno])
    s.settimeout(TIMEOUT)
    # A socket timeout while the server blocks (BLPOP), then the late reply.
    a.send("BLPOP", "nolist", "1")
    s.settimeout(0.3)
    try:
        read_response(a.buffer)
        r.append("no timeout")
    except TimeoutError as e:
        r.append(["TimeoutError", str(e)])
    s.settimeout(TIMEOUT)
    r.append(conv(read_response(a.buffer)))
    # Connecting where nothing listens.
    try:
        Connection().connect(int(sys.argv[2]))
        r.append("connected")
    except ConnectionError_ as e:
        r.append(["ConnectionError", str(e).replace(sys.argv[2], "PORT")])
    for cmd in (
        ["FLUSHDB"], ["SET", "k", "v"], ["GET", "k"], ["GET", "missing"], ["SET", "n", "10"],
        ["INCR", "n"], ["INCRBY", "n", "5"], ["INCR", "k"], ["RPUSH", "l", "a", "b", "c"],
        ["LRANGE", "l", "0", "-1"], ["SET", "bin", b"a\r\nb\x00c\xff"], ["GET", "bin"],
        ["DEL", "k", "n", "l", "missing"], ["EXISTS", "k"], ["HSET", "h", "f1", "v1", "f2", "v2"],
        ["HGETALL", "h"], ["SET", "empty", ""], ["GET", "empty"], ["LRANGE", "nolist", "0", "-1"],
        ["NOSUCHCOMMAND", "x"],
    ):
        r.append(conv(a.command(*cmd)))
    # Pipelining: everything sent in one sendall, replies read after.
    cmds = [["INCR", "p"] for _ in range(200)] + [["SET", "x", "1"], ["GET", "x"], ["LPUSH", "x", "y"], ["GET", "x"]]
    s.sendall(b"".join(pack_command(*c) for c in cmds))
    replies = [conv(read_response(a.buffer)) for _ in cmds]
    r.append(["pipeline", replies[:3], replies[199], replies[200:]])
    # Large values.
    for size in (5 * 1024 * 1024 + 7, 3 * 1024 * 1024):
        big = big_value(size)
        r.append(conv(a.command("SET", "big", big)))
        got = a.command("GET", "big")
        r.append(["big", len(got), hashlib.sha256(got).hexdigest(), hashlib.sha256(big).hexdigest()])
        r.append(conv(a.command("STRLEN", "big")))
        r.append(conv(a.command("GETRANGE", "big", "1000000", "1000009")))
    # A large pipeline whose replies are large too.
    s.sendall(b"".join(pack_command("GET", "big") for _ in range(4)))
    r.append(["big pipeline", [hashlib.sha256(read_response(a.buffer)).hexdigest() for _ in range(4)]])

    # Pub/sub: the subscriber reads through makefile("rb") and waits in select().
    sub = Connection()
    sub.connect()
    f = FileReader(sub.sock)
    sub.send("SUBSCRIBE", "ch")
    r.append(conv(read_response(f)))
    r.append(["select idle", len(select.select([sub.sock], [], [], 0.2)[0])])
    r.append(conv(a.command("PUBLISH", "ch", "hello")))
    r.append(["select msg", len(select.select([sub.sock], [], [], 5)[0])])
    r.append(conv(read_response(f)))
    r.append(conv(a.command("PUBLISH", "ch", "m1")))
    r.append(conv(a.command("PUBLISH", "ch", "m2")))
    r.append(["select two", len(select.select([sub.sock], [], [], 5)[0])])
    r.append(conv(read_response(f)))
    r.append(conv(read_response(f)))
    sub.sock.settimeout(0.3)
    try:
        sub.sock.recv(1)
        r.append("no timeout")
    except socket.timeout as e:
        r.append(["timeout", str(e)])
    sub.sock.settimeout(TIMEOUT)
    sub.send("UNSUBSCRIBE", "ch")
    r.append(conv(read_response(f)))
    r.append(conv(sub.command("PING")))
    f.f.close()
    sub.sock.close()

    # CLIENT KILL from another connection.
    v = Connection()
    v.connect()
    cid = v.command("CLIENT", "ID")
    r.append(conv(a.command("CLIENT", "KILL", "ID", str(cid))))
    r.append(["select killed", len(select.select([v.sock], [], [], 5)[0])])
    try:
        v.can_read(0)
        r.append("no error")
    except ConnectionError_ as e:
        r.append(["ConnectionError", str(e)])
    v.sock.close()
    w = Connection()
    w.connect()
    cid = w.command("CLIENT", "ID")
    r.append(conv(a.command("CLIENT", "KILL", "ID", str(cid))))
    select.select([w.sock], [], [], 5)
    try:
        w.command("PING")
        r.append("no error")
    except ConnectionError_ as e:
        r.append(["ConnectionError"])
    w.sock.close()
    r.append(conv(a.command("PING")))
    s.close()
    print(json.dumps(r))


def kill_waiting():
    """A subscriber blocked in can_read(timeout=5) is killed from another connection."""
    import threading

    r = []
    a = Connection()
    a.connect()
    sub = Connection()
    sub.sock = socket.create_connection((HOST, PORT), TIMEOUT)
    sub.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sub.buffer = SocketBuffer(sub.sock)
    cid = sub.command("CLIENT", "ID")
    r.append(conv(sub.command("SUBSCRIBE", "ch")))
    out = []

    def wait():
        try:
            while sub.can_read(5):
                out.append(conv(read_response(sub.buffer)))
            out.append("timeout")
        except ConnectionError_ as e:
            out.append(["ConnectionError", str(e)])

    t = threading.Thread(target=wait)
    t.start()
    r.append(conv(a.command("PUBLISH", "ch", "before")))
    r.append(conv(a.command("CLIENT", "KILL", "ID", str(cid))))
    t.join()
    r.append(out)
    sub.sock.close()
    a.sock.close()
    print(json.dumps(r))


def count_replies(buf, pos, values):
    """Parses the +OK / $N replies complete in buf from pos; returns (pos, count)."""
    count = 0
    while True:
        i = buf.find(b"\r\n", pos)
        if i < 0:
            return pos, count
        if buf[pos:pos + 1] == b"$":
            n = int(buf[pos + 1:i])
            if len(buf) < i + 2 + n + 2:
                return pos, count
            values.update(buf[i + 2:i + 2 + n])
            pos = i + 2 + n + 2
        else:
            values.update(buf[pos:i + 2])
            pos = i + 2
        count += 1


def nonblocking():
    """A pipeline of 40,000 commands over a non-blocking socket and a selector."""
    import selectors

    a = Connection()
    a.connect()
    s = a.sock
    n = 20000
    cmds = [pack_command("SET", "key:%d" % i, ("v%d-" % i).encode() * 20) for i in range(n)]
    cmds += [pack_command("GET", "key:%d" % i) for i in range(n)]
    payload = memoryview(b"".join(cmds))
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent = 0
    buf = bytearray()
    pos = 0
    replies = 0
    values = hashlib.sha256()
    eof = False
    while replies < 2 * n:
        events = sel.select(10)
        if not events:
            raise TimeoutError("no progress")
        for key, mask in events:
            if mask & selectors.EVENT_WRITE and sent < len(payload):
                try:
                    sent += s.send(payload[sent:sent + 65536])
                except BlockingIOError:
                    pass
                if sent == len(payload):
                    sel.modify(s, selectors.EVENT_READ)
            if mask & selectors.EVENT_READ:
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    eof = True
                    break
                buf += data
                pos, count = count_replies(buf, pos, values)
                replies += count
        if eof:
            break
    sel.close()
    s.close()
    print(json.dumps(["nonblocking", sent, replies, len(buf), values.hexdigest()]))


def over_tls():
    """redis-py's SSLConnection: the same protocol over TLS (redis-server --tls-port)."""
    Connection.ca_certs = sys.argv[3]
    r = []
    a = Connection()
    a.connect()
    s = a.sock
    r.append(["tls", s.version() is not None, s.gettimeout()])
    r.append(["can_read idle", a.can_read(0), s.gettimeout()])
    r.append(conv(a.command("PING")))
    r.append(conv(a.command("FLUSHDB")))
    big = big_value(5 * 1024 * 1024 + 3)
    r.append(conv(a.command("SET", "tbig", big)))
    got = a.command("GET", "tbig")
    r.append(["big", len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(big).hexdigest()])
    s.sendall(b"".join(pack_command("INCR", "tp") for _ in range(500)))
    r.append(["pipeline", [read_response(a.buffer) for _ in range(500)][-1]])
    a.send("PING")
    r.append(["can_read 1s", a.can_read(1)])
    r.append(conv(read_response(a.buffer)))
    r.append(["can_read after", a.can_read(0)])
    sub = Connection()
    sub.connect()
    cid = sub.command("CLIENT", "ID")
    r.append(conv(sub.command("SUBSCRIBE", "tch")))
    r.append(["select idle", len(select.select([sub.sock], [], [], 0.2)[0])])
    r.append(conv(a.command("PUBLISH", "tch", "over tls")))
    r.append(["select msg", len(select.select([sub.sock], [], [], 5)[0])])
    r.append(conv(read_response(sub.buffer)))
    r.append(conv(a.command("CLIENT", "KILL", "ID", str(cid))))
    try:
        while sub.can_read(5):
            r.append(conv(read_response(sub.buffer)))
        r.append("timeout")
    except ConnectionError_ as e:
        r.append(["ConnectionError", str(e)])
    sub.sock.close()
    s.close()
    print(json.dumps(r))


if sys.argv[2:3] == ["tls"]:
    over_tls()
elif sys.argv[2:] == ["kill-waiting"]:
    kill_waiting()
elif sys.argv[2:] == ["nonblocking"]:
    nonblocking()
else:
    main()
