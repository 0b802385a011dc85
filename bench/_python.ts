/**
 * The Python peer: one script for every workload, run as
 * `python3 -c SCRIPT '<params as JSON>'` (standard library only). It builds
 * the same data as `_common.ts`, times itself with `time.perf_counter()` and
 * prints its result as JSON on the last line. Both ends of a connection live
 * in one process; the second end runs in a thread (socket calls release the
 * GIL).
 *
 * @module
 */

/** The Python script. */
export const PYTHON_SCRIPT = String.raw`
import gc, json, os, socket, sys, threading, time

P = 65521
CHUNK = 65536
BLOCK = 10000
ALPHABET = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
HOST = "127.0.0.1"
WINDOW = 64
STALL = 0.05


def pattern():
    base = bytes(((k * 131 + (k >> 9)) & 255) for k in range(P))
    return (base * 3)[:P + CHUNK]


def pair(timeout=None):
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(16)
    c = socket.socket()
    c.connect(ls.getsockname())
    s, _ = ls.accept()
    ls.close()
    if timeout is not None:
        c.settimeout(timeout)
        s.settimeout(timeout)
    return c, s


def bulk(p):
    total = p["total"]
    pat = pattern()
    pv = memoryview(pat)
    c, s = pair(p["timeout"])

    def sender():
        off = 0
        while off < total:
            n = min(CHUNK, total - off)
            st = off % P
            c.sendall(pv[st:st + n])
            off += n
        c.shutdown(socket.SHUT_WR)

    th = threading.Thread(target=sender)
    got = 0
    bad = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    th.start()
    if p["mode"] == "recv_into":
        buf = bytearray(CHUNK)
        while True:
            n = s.recv_into(buf)
            if n == 0:
                break
            st = got % P
            m = n >> 1
            if buf[0] != pat[st] or buf[n - 1] != pat[st + n - 1] or buf[m] != pat[st + m]:
                bad += 1
            got += n
    else:
        while True:
            d = s.recv(CHUNK)
            n = len(d)
            if n == 0:
                break
            st = got % P
            m = n >> 1
            if d[0] != pat[st] or d[n - 1] != pat[st + n - 1] or d[m] != pat[st + m]:
                bad += 1
            got += n
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    th.join()
    c.close()
    s.close()
    return {"seconds": seconds, "cpu": cpu, "bytes": got, "bad": bad}


def recv_exactly(s, size):
    d = s.recv(size)
    while 0 < len(d) < size:
        more = s.recv(size - len(d))
        if not more:
            break
        d += more
    return d


def pingpong(p):
    c, s = pair(p["timeout"])
    size = p["size"]
    for x in (c, s):
        x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def server():
        while True:
            d = recv_exactly(s, size)
            if len(d) < size:
                return
            s.sendall(d)

    th = threading.Thread(target=server)
    th.start()
    rounds = p["rounds"]
    warmup = p["warmup"]
    lat = [0] * rounds
    bad = 0
    msg = bytearray(size)
    clock = time.perf_counter_ns
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(warmup + rounds):
        if i == warmup:
            t0 = time.perf_counter()
            c0 = time.process_time()
        msg[0] = i & 255
        msg[1] = (i >> 8) & 255
        msg[2] = (i >> 16) & 255
        a = clock()
        c.sendall(msg)
        reply = recv_exactly(c, size)
        if i >= warmup:
            lat[i - warmup] = clock() - a
        if len(reply) != size:
            raise RuntimeError("early end of stream")
        if reply[0:3] != msg[0:3]:
            bad += 1
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    c.shutdown(socket.SHUT_WR)
    th.join()
    c.close()
    s.close()
    lat.sort()
    return {"seconds": seconds, "cpu": cpu, "count": rounds, "bad": bad,
            "p50": rank(lat, 0.5) / 1000, "p99": rank(lat, 0.99) / 1000}


def rank(sorted_values, q):
    import math
    r = math.ceil(q * len(sorted_values))
    return sorted_values[min(len(sorted_values), max(1, r)) - 1]


def accept(p):
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(4096)
    addr = ls.getsockname()
    bad = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(p["warmup"] + p["cycles"]):
        if i == p["warmup"]:
            t0 = time.perf_counter()
            c0 = time.process_time()
        c = socket.socket()
        c.connect(addr)
        s, peer = ls.accept()
        if peer[1] != c.getsockname()[1]:
            bad += 1
        s.close()
        c.close()
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    ls.close()
    return {"seconds": seconds, "cpu": cpu, "count": p["cycles"], "bad": bad}


def snapshot():
    junk = [None] * 1024
    for i in range(200000):
        junk[i & 1023] = {"i": i}
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def prepare(c, mode):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if mode == "timeout":
        c.settimeout(5)


def idle(p):
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(4096)
    print("PORT", ls.getsockname()[1], flush=True)
    held = []

    def take():
        c = ls.accept()[0]
        prepare(c, p.get("mode"))
        held.append(c)
        if p.get("exchange"):
            d = c.recv(4096)
            if len(d) != 32:
                raise RuntimeError("exchange received %d bytes" % len(d))
            c.sendall(d)

    for _ in range(p["warm"]):
        take()
    time.sleep(0.1)
    before = snapshot()
    for _ in range(p["count"]):
        take()
    time.sleep(0.1)
    after = snapshot()
    for s in held:
        s.close()
    ls.close()
    return {"count": p["count"], "rss": after - before}


def echo(p):
    # blocking / timeout: a thread per connection; nonblocking: selectors.
    ls = socket.socket()
    ls.bind((HOST, 0))
    ls.listen(4096)
    mode = p["mode"]
    print("PORT", ls.getsockname()[1], flush=True)
    if mode == "nonblocking":
        import selectors
        sel = selectors.DefaultSelector()
        ls.setblocking(False)
        sel.register(ls, selectors.EVENT_READ)
        pending = {}
        while True:
            for key, ev in sel.select():
                s = key.fileobj
                if s is ls:
                    try:
                        c, _ = ls.accept()
                    except BlockingIOError:
                        continue
                    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ)
                    continue
                if ev & selectors.EVENT_WRITE:
                    out = pending[s]
                    n = s.send(out)
                    if n < len(out):
                        pending[s] = out[n:]
                    else:
                        del pending[s]
                        sel.modify(s, selectors.EVENT_READ)
                    continue
                try:
                    d = s.recv(4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    d = b""
                if not d:
                    sel.unregister(s)
                    pending.pop(s, None)
                    s.close()
                    continue
                try:
                    n = s.send(d)
                except BlockingIOError:
                    n = 0
                if n < len(d):
                    pending[s] = d[n:]
                    sel.modify(s, selectors.EVENT_READ | selectors.EVENT_WRITE)

    def serve(c):
        try:
            prepare(c, mode)
            while True:
                d = c.recv(4096)
                if not d:
                    break
                c.sendall(d)
        except OSError as e:
            print("echo server:", e, file=sys.stderr)
        finally:
            c.close()

    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def block_bytes():
    return b"".join(b"%08d %s\n" % (j, ALPHABET[:20 + (j * 7) % 21]) for j in range(BLOCK))


def lines(p):
    block = block_bytes()
    c, s = pair()
    binary = p["mode"].startswith("rb")
    f = s.makefile("rb") if binary else s.makefile("r", encoding="utf-8")

    def sender():
        for _ in range(p["blocks"]):
            c.sendall(block)
        c.shutdown(socket.SHUT_WR)

    th = threading.Thread(target=sender)
    th.start()
    count = 0
    total = 0
    last = b""
    t0 = time.perf_counter()
    c0 = time.process_time()
    if p["mode"].endswith("readline"):
        readline = f.readline
        while True:
            line = readline()
            if not line:
                break
            count += 1
            total += len(line)
            last = line
    else:
        for line in f:
            count += 1
            total += len(line)
            last = line
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    th.join()
    f.close()
    c.close()
    s.close()
    if binary:
        last = last.decode()
    return {"seconds": seconds, "cpu": cpu, "lines": count, "bytes": total, "last": last}


def udp(p):
    count = p["count"]
    size = p["size"]
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.bind((HOST, 0))
    to = r.getsockname()
    snd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    snd.bind((HOST, 0))
    # Flow control as SendWindow in _common.ts: at most WINDOW in flight.
    w = {"sent": 0, "got": 0, "stalls": 0, "waiting": False}
    opened = threading.Event()

    def sender():
        msg = bytearray(size)
        for i in range(count):
            while w["sent"] - w["got"] >= WINDOW:
                opened.clear()
                w["waiting"] = True
                if w["sent"] - w["got"] >= WINDOW and not opened.wait(STALL):
                    w["stalls"] += 1
                    w["got"] = w["sent"]
                w["waiting"] = False
            msg[0:4] = i.to_bytes(4, "little")
            msg[size - 1] = (i * 7) & 255
            snd.sendto(msg, to)
            w["sent"] += 1
        for k in range(10):
            time.sleep(0.1 if k == 0 else 0.02)
            snd.sendto(b"\xff\xff\xff\xff", to)

    seen = bytearray(count)
    received = 0
    dup = 0
    bad = 0
    half = WINDOW // 2
    th = threading.Thread(target=sender)
    t0 = time.perf_counter()
    c0 = time.process_time()
    t_last = t0
    th.start()
    while True:
        d, _ = r.recvfrom(2048)
        if len(d) == 4:
            break
        w["got"] += 1
        if w["waiting"] and w["sent"] - w["got"] <= half:
            w["waiting"] = False
            opened.set()
        i = int.from_bytes(d[0:4], "little")
        if len(d) != size or i >= count or d[size - 1] != (i * 7) & 255:
            bad += 1
        elif seen[i]:
            dup += 1
        else:
            seen[i] = 1
            received += 1
        t_last = time.perf_counter()
    cpu = time.process_time() - c0
    th.join()
    r.close()
    snd.close()
    return {"seconds": t_last - t0, "cpu": cpu, "received": received, "dup": dup,
            "bad": bad, "count": count, "stalls": w["stalls"]}


def main():
    p = json.loads(sys.argv[1])
    try:
        result = globals()[p["workload"]](p)
    except Exception as e:
        result = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(result), flush=True)


main()
`;
