# Copyright 2025 the pysocket authors. MIT license.
# The oracle for memcached_test.ts: pymemcache's socket code (connect with
# TCP_NODELAY and timeouts, _readline/_readvalue recv loops without
# makefile) written with the standard library only, running the same
# sequence against the same memcached. Prints the results as JSON.
# Usage: python3 memcached_oracle.py PORT
import hashlib
import json
import socket
import sys

HOST = "127.0.0.1"
# A port, or unix:PATH (pymemcache's unix socket support).
PORT = sys.argv[1][5:] if sys.argv[1].startswith("unix:") else int(sys.argv[1])
RECV_SIZE = 4096


class MemcacheUnexpectedCloseError(Exception):
    pass


def _recv(sock, size):
    while True:
        try:
            return sock.recv(size)
        except InterruptedError:
            pass


def _readline(sock, buf):
    chunks = []
    last_char = b""
    while True:
        if last_char == b"\r" and buf[0:1] == b"\n":
            chunks[-1] = chunks[-1][:-1]
            return buf[1:], b"".join(chunks)
        elif buf.find(b"\r\n") != -1:
            before, sep, after = buf.partition(b"\r\n")
            chunks.append(before)
            return after, b"".join(chunks)
        if buf:
            chunks.append(buf)
            last_char = buf[-1:]
        buf = _recv(sock, RECV_SIZE)
        if not buf:
            raise MemcacheUnexpectedCloseError()


def _readvalue(sock, buf, size):
    chunks = []
    rlen = size + 2
    while rlen - len(buf) > 0:
        if buf:
            rlen -= len(buf)
            chunks.append(buf)
        buf = _recv(sock, RECV_SIZE)
        if not buf:
            raise MemcacheUnexpectedCloseError()
    if rlen == 1:
        chunks[-1] = chunks[-1][:-1]
    else:
        chunks.append(buf[: rlen - 2])
    return buf[rlen:], b"".join(chunks)


class Client:
    def __init__(self):
        self.sock = None

    def _connect(self):
        if isinstance(PORT, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(2.0)
            sock.connect(PORT)
            sock.settimeout(5.0)
        else:
            family, socktype, proto, _, addr = socket.getaddrinfo(HOST, PORT, socket.AF_INET, socket.SOCK_STREAM)[0]
            sock = socket.socket(family, socktype, proto)
            sock.settimeout(2.0)
            sock.connect(addr)
            sock.settimeout(5.0)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock

    def _store_cmd(self, name, key, value, flags=0, expire=0, noreply=False, cas=None):
        extra = b""
        if cas is not None:
            extra += b" " + cas
        if noreply:
            extra += b" noreply"
        cmd = name + b" " + key + b" " + str(flags).encode() + b" " + str(expire).encode() + b" " + str(len(value)).encode() + extra + b"\r\n" + value + b"\r\n"
        self.sock.sendall(cmd)
        if noreply:
            return None
        buf, line = _readline(self.sock, b"")
        return line.decode()

    def _fetch_cmd(self, name, keys):
        self.sock.sendall(name + b" " + b" ".join(keys) + b"\r\n")
        result = {}
        buf = b""
        while True:
            buf, line = _readline(self.sock, buf)
            if line == b"END":
                return result
            if line.startswith(b"VALUE"):
                parts = line.split()
                key, flags, size = parts[1], int(parts[2]), int(parts[3])
                cas = parts[4].decode() if len(parts) > 4 else None
                buf, value = _readvalue(self.sock, buf, size)
                result[key.decode()] = [conv(value), flags, cas]
            else:
                return {"error": line.decode()}

    def _misc_cmd(self, cmd):
        self.sock.sendall(cmd + b"\r\n")
        buf, line = _readline(self.sock, b"")
        return line.decode()


def conv(value):
    if len(value) > 64:
        return {"len": len(value), "sha256": hashlib.sha256(value).hexdigest()}
    if all(32 <= c < 127 for c in value):
        return value.decode()
    return {"hex": value.hex()}


def big_value(n):
    return (bytes(range(251)) * (n // 251 + 1))[:n]


def main():
    r = []
    c = Client()
    c._connect()
    s = c.sock
    if isinstance(PORT, str):
        r.append(["opts", s.family == socket.AF_UNIX, s.gettimeout()])
    else:
        r.append(["opts", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0, s.gettimeout()])
    r.append(c._misc_cmd(b"flush_all"))
    r.append(c._store_cmd(b"set", b"k", b"hello", flags=5))
    r.append(c._fetch_cmd(b"get", [b"k"]))
    r.append(c._fetch_cmd(b"get", [b"missing"]))
    gets = c._fetch_cmd(b"gets", [b"k"])
    cas = gets["k"][2].encode()
    r.append(["gets", gets["k"][0], gets["k"][1], cas.isdigit()])
    r.append(c._store_cmd(b"cas", b"k", b"world", cas=cas))
    r.append(c._store_cmd(b"cas", b"k", b"again", cas=cas))
    r.append(c._store_cmd(b"cas", b"nokey", b"x", cas=b"1"))
    r.append(c._store_cmd(b"add", b"k", b"x"))
    r.append(c._store_cmd(b"set", b"n", b"10"))
    r.append(c._misc_cmd(b"incr n 5"))
    r.append(c._misc_cmd(b"decr n 100"))
    r.append(c._misc_cmd(b"incr missing 1"))
    r.append(c._misc_cmd(b"incr k 1"))
    r.append(c._store_cmd(b"set", b"crlf", b"a\r\nEND\r\n\x00\xff"))
    r.append(c._fetch_cmd(b"get", [b"crlf", b"k", b"n", b"missing"]))
    r.append(c._misc_cmd(b"delete k"))
    r.append(c._misc_cmd(b"delete k"))
    # noreply: nothing comes back; a get afterwards sees every store.
    for i in range(20):
        c._store_cmd(b"set", b"nr%d" % i, b"v%d" % i, noreply=True)
    c.sock.sendall(b"delete nr3 noreply\r\nincr nr0 1 noreply\r\n")
    r.append(c._fetch_cmd(b"get", [b"nr%d" % i for i in range(20)]))
    # 1 MiB values (memcached runs with -I 2m), read 4 KiB at a time.
    for size in (1024 * 1024, 1024 * 1024 + 1, 4094, 4095, 4096):
        big = big_value(size)
        r.append(c._store_cmd(b"set", b"big", big))
        got = c._fetch_cmd(b"get", [b"big"])
        r.append([got, hashlib.sha256(big).hexdigest()])
    # A timeout with nothing to read, then the connection still works.
    s.settimeout(0.2)
    try:
        s.recv(RECV_SIZE)
        r.append("no timeout")
    except socket.timeout as e:
        r.append(["timeout", str(e)])
    s.settimeout(5.0)
    r.append(c._misc_cmd(b"version").startswith("VERSION "))
    s.sendall(b"quit\r\n")
    r.append(["eof", s.recv(RECV_SIZE)])
    s.close()
    print(json.dumps(r, default=lambda b: b.decode()))


main()
