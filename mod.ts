/**
 * Python's socket API for Deno: `socket.socket()`, `bind`, `listen`,
 * `accept`, `connect`, `recv`, `sendall`, `settimeout`,
 * `makefile().readline()` behave as in Python, in all three of Python's
 * modes (blocking, non-blocking, timeout), on top of `Deno.listen`,
 * `Deno.connect` and `Deno.listenDatagram`. Python code ports line by line:
 * calls that can wait return promises, everything else stays synchronous.
 *
 * Beyond Python: nothing is lost when a call times out or would block
 * (bytes, datagrams and connections that arrive later go to the next call),
 * concurrent calls are served in call order, two `sendall()` calls never
 * interleave, and a socket holds at most its receive buffer of unread data.
 *
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 * await client.sendall("hello\n");
 * await using f = conn.makefile("rb");
 * assert.equal(new TextDecoder().decode(await f.readline()), "hello\n");
 * await conn.close();
 * ```
 *
 * ## Differences from Python
 *
 * Every method of Python's socket objects is in exactly one group below
 * (a test checks the list against Python's `dir(socket.socket)` and against
 * the `Socket` class).
 *
 * ### Same, except that it returns a promise
 *
 * - `accept` — `[Socket, address]`; the new socket takes `getdefaulttimeout()`.
 * - `connect` — non-blocking: rejects `EINPROGRESS` and completes in the background.
 * - `connect_ex`
 * - `recv` — returns a `Uint8Array` view; bytes in it are never overwritten.
 * - `recv_into`
 * - `recvfrom`
 * - `recvfrom_into`
 * - `send`
 * - `sendall`
 * - `sendto`
 * - `shutdown`
 *
 * ### Same
 *
 * - `bind` — binds at once (`getsockname()` shows the port, `EADDRINUSE` raised here).
 * - `listen`
 * - `getsockname`
 * - `getpeername`
 * - `setblocking`
 * - `getblocking`
 * - `settimeout`
 * - `gettimeout`
 * - `family`
 * - `type`
 * - `proto`
 * - `timeout`
 *
 * ### Different, and how
 *
 * - `close` — returns a promise, at once as Python's returns: data already
 *   accepted by `send` is still delivered in the background, as the kernel
 *   does; if the peer reads none of it for 60 seconds it is dropped, so a
 *   peer that never reads keeps no process alive. While a `makefile()`
 *   object is open the socket stays open and usable (Python 3).
 * - `fileno` — Deno exposes no OS descriptors: a process-unique number, -1 once closed.
 * - `detach` — puts the object in the closed state and returns its number;
 *   within this process `socket(family, type, proto, fileno)` takes the
 *   socket over (as `ssl.wrap_socket` does); no OS descriptor is handed out.
 * - `makefile` — the file object's reads and writes return promises, and a
 *   read that times out loses nothing and can be retried (Python's cannot);
 *   see "File objects" below.
 * - `sendfile` — takes a `Deno.FsFile`; copies through the socket (no `sendfile(2)`).
 * - `setsockopt` — applies what Deno can apply, with its real effect (see
 *   "Options" below); anything else raises `ENOPROTOOPT` naming the option;
 *   `SO_RCVBUF` / `SO_SNDBUF` size pysocket's own buffers; `IPV6_V6ONLY` on
 *   a listener refuses IPv4 peers after the handshake, and does not free
 *   the IPv4 port.
 * - `getsockopt` — reports what the program set, or the kernel's value, as
 *   Python would see it.
 * - `__enter__` — `using` / `await using` (`Symbol.dispose` / `Symbol.asyncDispose`).
 * - `__exit__` — as `__enter__`.
 *
 * Also: `connect` from a socket bound first (and `create_connection`'s
 * `source_address`) goes through Deno's `node:net`, which can choose the
 * source address (see "Options"); a bound AF_UNIX socket cannot connect
 * (`EOPNOTSUPP`); unix sockets cannot be autobound (bind before `listen`), and abstract unix
 * addresses are not supported; binding a unix path that exists raises
 * `EADDRINUSE` as in Python (Deno would replace the file).
 *
 * ### Not supported, and why
 *
 * - `dup` — two objects over one socket need an OS descriptor to share,
 *   which Deno does not expose.
 * - `get_inheritable` — Deno exposes no descriptors: nothing is inherited
 *   by child processes.
 * - `set_inheritable` — same.
 * - `recvmsg` — Deno has no ancillary data (`cmsg`) API.
 * - `recvmsg_into` — same.
 * - `sendmsg` — same.
 * - `sendmsg_afalg` — no AF_ALG sockets in Deno.
 * - `ioctl` — Windows only in Python.
 * - `share` — Windows only in Python.
 *
 * Stream sockets, more: `close()` with unread data sends FIN where Linux
 * sends RST (unless `SO_LINGER` {1, 0} was set before connecting), so a
 * peer sees the end of the stream rather than `ConnectionResetError`;
 * `MSG_NOSIGNAL` is accepted and changes nothing (Deno never raises
 * `SIGPIPE`: a broken pipe is `BrokenPipeError`); `MSG_OOB` and other flags
 * raise `OSError` `EOPNOTSUPP` naming the flag (Deno can neither send nor
 * receive TCP urgent data); a non-blocking call that cannot complete answers from what
 * pysocket has received, after one cheap turn of the event loop (an
 * immediate, a few microseconds), so a retry loop cannot starve Deno.
 * Bytes another process sent that reached the kernel but not yet Deno's
 * poller are reported by a later call (Deno polls the network at least
 * every 61 turns, and at once whenever the program waits, as in
 * `select()`); bytes, datagrams and connections this process sent itself
 * over loopback TCP or UDP are waited for (20 ms at most), so they are
 * there as in Python (not so over AF_UNIX, whose ends Deno leaves
 * unnamed); a client that
 * connects and resets before `accept()` is skipped (Deno gives no
 * connection for it), where Python returns a socket whose first `recv()`
 * reports the reset; `close()` of an AF_UNIX listener leaves its path in
 * place, as Python does (Deno would remove it).
 *
 * ## File objects (`makefile`)
 *
 * - In timeout and non-blocking modes a file object writes as Python's
 *   `BufferedWriter` over `send()`: `BlockingIOError.characters_written` is
 *   how many bytes of this `write()` were accepted (sent or buffered), and
 *   exactly those reach the peer. In text mode it counts the encoded bytes
 *   of this call's text; Python's `TextIOWrapper` counts the bytes it had
 *   pending, earlier writes included, and drops the rest.
 * - Unbuffered (`buffering: 0`) reads and writes in timeout and
 *   non-blocking modes: a `write()` returns what one `send()` took, and
 *   where the socket takes nothing it raises `BlockingIOError` (Python's raw
 *   `write()` returns None); a `read()` with nothing to read raises
 *   `BlockingIOError` (Python's raw `read()` returns None).
 * - `newlines` is not tracked. `raw`, `buffer`, `detach()` and
 *   `reconfigure()` are absent: Python's layered file object is one object
 *   here. `read1()`, `readinto1()` and `peek()` exist in binary modes only.
 *   `"rwb"`/`"rw"` files have `mode` and `name` (Python's `BufferedRWPair`
 *   has neither). `repr` says `object` where Python prints an address.
 * - Encodings: utf-8, utf-8-sig, utf-16(-le/-be), utf-32(-le/-be), ascii,
 *   latin-1, cp1250–cp1258, iso8859_2–16 (but 11 and 12), koi8_r and cp866
 *   read and write as Python's codecs, under Python's names. Other
 *   encodings Deno's `TextDecoder` knows are read only, as the WHATWG
 *   standard decodes them (they accept bytes Python refuses, and differ on a
 *   few characters for shift_jis, euc_jp, gb18030 and big5;
 *   `errors: "ignore"` is not available for them). koi8_u and iso8859_11
 *   are refused (the platform's tables differ). An unknown encoding raises
 *   `RangeError` `unknown encoding: x` (Python's `LookupError`).
 * - A `utf-16`/`utf-32` stream without a BOM raises `UnicodeError` when
 *   read, even where Python, which decodes 8 KiB ahead, would first report
 *   bad bytes within them.
 * - The default `encoding` reads `"UTF-8"` (python3's locale encoding here;
 *   Python in UTF-8 mode says `"utf-8"`).
 *
 * ## Options
 *
 * - `bind()` before `connect()`, `TCP_KEEPIDLE`, and `SO_LINGER` on with
 *   `l_linger = 0` (close sends RST, dropping what is unsent) make a TCP
 *   socket connect through Deno's `node:net` instead of `Deno.connect` (up
 *   to about 20 % more time per small round trip, about 0.5–0.75× receive
 *   throughput on that connection). They cannot be set on a socket Deno has
 *   already connected or accepted, nor on a listening socket: `OSError`
 *   `ENOPROTOOPT` says so. A socket bound before connecting is bound with
 *   `SO_REUSEADDR` (libuv sets it), so it may take a port Linux would
 *   refuse as in use.
 * - Accepted sockets take `SO_KEEPALIVE`, `TCP_NODELAY`, `SO_RCVBUF` and
 *   `SO_SNDBUF` from their listener, as on Linux.
 * - `TCP_KEEPINTVL`, `TCP_KEEPCNT`, `IP_TTL`, `IP_TOS`, `IPV6_TCLASS`,
 *   `SO_LINGER` with a nonzero timeout, and `SO_RCVTIMEO` / `SO_SNDTIMEO`
 *   (use `settimeout()`) cannot be set in Deno: `getsockopt` reads the
 *   kernel's values (the host's defaults, from `/proc/sys/net/ipv4` when
 *   readable), setting the value the socket already has is accepted,
 *   anything else raises `OSError` `ENOPROTOOPT` naming the option:
 *   `[Errno 92] Protocol not available: TCP_KEEPINTVL cannot be set in Deno`.
 * - `SO_REUSEPORT` (`create_server(…, { reuse_port: true })`) needs
 *   `--unstable-net` (or `"unstable": ["net"]`); without it `bind()` raises
 *   `OSError` `EOPNOTSUPP` naming the flag.
 *
 * ## Datagram sockets
 *
 * - `Socket.dropped` (not in Python): datagrams dropped because a receive
 *   buffer was full: the kernel's count (the `drops` column of
 *   `/proc/net/udp`, when pysocket may read it and no other socket shares
 *   the address) plus those pysocket's own queue (`SO_RCVBUF`) dropped.
 * - Connected UDP is emulated (Deno has no `connect` for UDP): the default
 *   peer and the filtering of other senders happen in pysocket, so a `recv`
 *   after sending to a closed port waits or times out instead of raising
 *   `ConnectionRefusedError`, and `getsockname()` after `connect` shows the
 *   real source address only for loopback peers.
 * - `IPV6_V6ONLY` is emulated: IPv4-mapped senders are dropped, and the IPv4
 *   port is not freed.
 * - Multicast TTL and loopback go through Deno's membership objects; a
 *   failed asynchronous join or leave is raised by the socket's next call.
 * - AF_UNIX datagram sockets (`unixpacket`) cannot send while a receive is
 *   pending (Deno allows one operation at a time on them): such a send
 *   raises `EBUSY`.
 * - `recvfrom` on a stream socket returns a `null` address, as Python's `None`.
 * - Without `--unstable-net`, datagram calls raise `OSError` naming the flag.
 *
 * ## Module-level functions
 *
 * As Python's, with these differences:
 *
 * - Name look-ups (`getaddrinfo`, `gethostbyname`, `gethostbyname_ex`,
 *   `gethostbyaddr`, `getnameinfo`, `getfqdn`) return promises; they use the
 *   OS resolver (`/etc/hosts` works offline). `canonname` and the aliases of
 *   `gethostbyname_ex` come from `/etc/hosts` only; non-ASCII names follow
 *   the URL standard's IDNA rules rather than Python's IDNA 2003.
 * - `create_connection` returns a promise; a `source_address` is bound
 *   before connecting (through `node:net`, see "Options"), and `all_errors`
 *   rejects with an `AggregateError` (JavaScript has no `ExceptionGroup`).
 * - `socketpair` returns a promise; it is made through a temporary listener
 *   (unix in a temporary directory, or loopback for AF_INET / AF_INET6,
 *   which Python on Linux refuses); SOCK_DGRAM pairs are not supported.
 * - `getservbyname`, `getservbyport`, `getprotobyname` read `/etc/services`
 *   and `/etc/protocols`; without read permission, a built-in table of the
 *   common entries.
 * - `getdefaulttimeout` / `setdefaulttimeout` live in `socket.ts`.
 * - `close(fd)` closes the socket whose `fileno()` is `fd` and returns a
 *   promise; `socket(fileno=…)` takes over a socket `detach()` gave up (in
 *   this process); `dup(fd)`, `fromfd()`, `socket(fileno=…)` of an open
 *   socket (`EOPNOTSUPP`) and the `Socket` method `dup()` are not there:
 *   Deno exposes no OS descriptors, and one socket cannot be shared by two
 *   objects here.
 * - `send_fds()` / `recv_fds()` need `sendmsg`/`recvmsg` with `SCM_RIGHTS`,
 *   which Deno lacks; `sethostname()` has no Deno call; `CAPI` is a C API.
 * - `AddressFamily`, `SocketKind`, `MsgFlag`, `AddressInfo` are frozen
 *   objects of plain numbers, not IntEnum instances: `s.family` and
 *   `getaddrinfo`'s entries are numbers (so `s.family === AF_INET` holds),
 *   and Python's repr is `AddressFamily.repr(s.family)`.
 * - Linux-only constants (`AF_CAN`, `SO_MARK`, `MSG_MORE`, …) are exported
 *   with Linux's values on every system; most have no effect in Deno.
 * - `if_nameindex()`, `if_nametoindex()`, `if_indextoname()` read
 *   `/sys/class/net` (they need read permission on it), else fall back to
 *   `Deno.networkInterfaces()`; `CMSG_LEN` / `CMSG_SPACE` use 64-bit Linux's
 *   sizes.
 * - Unix paths: a string with a lone surrogate raises `UnicodeEncodeError`,
 *   surrogate escapes `\udc80`–`\udcff` included (Python turns those into raw
 *   bytes; Deno's paths are strings); a bytes path that is not valid UTF-8
 *   raises `RangeError`.
 * - `socket()`: SOCK_RAW and SOCK_SEQPACKET on AF_UNIX, SOCK_PACKET,
 *   `IPPROTO_MPTCP`, ICMP datagram sockets and UDP-Lite raise
 *   `ESOCKTNOSUPPORT` naming Deno; other types give Linux's errno.
 * - A stream socket's `sendto()` checks the address but does not look up
 *   the name (Python resolves it first, so an unresolvable name raises
 *   `gaierror` there rather than `EPIPE`).
 * - Data to send may also be a `string` (sent as UTF-8), where Python raises
 *   `TypeError: a bytes-like object is required, not 'str'`.
 * - Errors keep JavaScript's inspect (with the stack trace) rather than
 *   Python's repr; `e.args` is as in Python.
 * - Types: addresses are precise when `socket()` gets constant arguments
 *   (`Inet4Address`, `Inet6Address`, a path; the sender of a stream
 *   socket's `recvfrom` is `null`); address parameters accept any family's
 *   form and are checked at run time.
 *
 * ## `select` and `selectors`
 *
 * `socket.select` and `socket.selectors` (also the subpaths `./select` and
 * `./selectors`) are Python's modules over pysocket's sockets, with Linux's
 * `poll()` bits and Python's errors, level-triggered; a waiting call is woken
 * by the sockets themselves (no polling loop, at most one timer). Differences:
 *
 * - `select()`, `poll.poll()`, `epoll.poll()` and `selector.select()` return
 *   promises; with a zero timeout and nothing ready they answer after one
 *   cheap turn of the event loop, as a non-blocking call does (so a polling
 *   loop cannot starve Deno; bytes that reached the kernel but not yet
 *   Deno's poller are reported by a later call). A call that waits sees
 *   them at once.
 * - Only pysocket's sockets, their `makefile()` objects and their
 *   `fileno()` numbers can be selected; any other number is not open
 *   (`select()`: `EBADF`; `poll()`: `POLLNVAL`; `epoll`: `EBADF`).
 * - A socket closed while `select()` waits on it rejects the call with
 *   `EBADF` (Linux would go on waiting).
 * - A registered socket keeps a read (or an accept) posted until it is
 *   unregistered, so that readiness is seen without a call pending.
 * - `epoll` is level-triggered; `EPOLLET` reports a socket once after each
 *   change of state the socket signals (Linux may report fewer);
 *   `EPOLLEXCLUSIVE` has no effect; `epoll.fileno()` and
 *   `EpollSelector.fileno()` return -1, and `epoll.fromfd()` is not
 *   supported (no descriptors in Deno).
 * - Python's built-in `KeyError` and `RuntimeError` are classes of those
 *   names exported by `select` (and `selectors`); `ValueError` is `RangeError`.
 * - `get_map()` returns a read-only `Map`-like view: `get()` of an object not
 *   registered gives `undefined` (Python's mapping raises `KeyError`).
 * - `SelectorKey` is a class with the four fields, not a tuple.
 *
 * ## `ssl`
 *
 * `socket.ssl` (also the subpath `./ssl`) is Python's `ssl` module over
 * pysocket's sockets: `SSLContext`, `create_default_context()`,
 * `wrap_socket()` for clients, servers and STARTTLS in both directions, and
 * `SSLSocket` in Python's three modes (a timeout raises `TimeoutError`, a
 * non-blocking call `SSLWantReadError` / `SSLWantWriteError`; nothing is
 * lost). TLS is `node:tls` (rustls) over the socket's own receive buffer.
 * Differences (the full list, name by name, is in `ssl.ts`):
 *
 * - `wrap_socket()`, `do_handshake()` and every call that can wait return
 *   promises.
 * - TLS 1.0 and 1.1 are unavailable; `set_ciphers()` is checked but not
 *   applied (rustls's own suites); `OPENSSL_VERSION` names rustls.
 * - Error messages are Python's without the `(_ssl.c:NNN)` suffix.
 * - `SSLObject`, `MemoryBIO`, `SSLSession`, SNI callbacks and
 *   post-handshake authentication are not supported.
 * - `shutdown(SHUT_WR)` sends close_notify and keeps TLS (Python drops it);
 *   `close()` sends close_notify (Python's does not); `unwrap()` returns the
 *   inner socket rather than turning the `SSLSocket` itself plain.
 *
 * @module
 */

export * from "./socket.ts";
export * from "./file_object.ts";
export * from "./constants.ts";
export * from "./errors.ts";
export * from "./functions.ts";
export * as select from "./select.ts";
export * as selectors from "./selectors.ts";
export * as ssl from "./ssl.ts";
