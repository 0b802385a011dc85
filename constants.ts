// Copyright 2025 the pysocket authors. MIT license.
// Two columns of values: Linux (taken from python3's `socket` and `errno`
// modules; tests/constants_test.ts checks them against python3) and macOS
// (from the xnu headers <sys/socket.h>, <netinet/in.h>, <netinet6/in6.h>,
// <netinet/tcp.h>, <netdb.h>, <sys/errno.h>).

/**
 * The constants of Python's `socket` module (`AF_*`, `SOCK_*`, `SOL_*`,
 * `SO_*`, `IPPROTO_*`, `TCP_*`, `IP_*`, `IPV6_*`, `MSG_*`, `SHUT_*`, `AI_*`,
 * `NI_*`, `EAI_*`, `INADDR_*`) and the errno numbers of Python's `errno`
 * module, with the values of the platform the program runs on.
 *
 * The values are chosen once, when the module loads, from
 * `Deno.build.os`: macOS (`"darwin"`) gets the xnu values, every other
 * system the Linux values. The names are those Python has on both Linux and
 * macOS, plus four that only Linux's Python has: `SOCK_NONBLOCK` and
 * `SOCK_CLOEXEC` (read by pysocket itself, so they work everywhere),
 * `TCP_KEEPIDLE` (macOS's `TCP_KEEPALIVE` there) and `EDEADLOCK`
 * (`EDEADLK` there). The rest of Linux's `socket.__all__` (`AF_CAN`,
 * `SO_MARK`, `MSG_MORE`, …) is exported with Linux's values on every
 * system, each saying what pysocket can do with it (mostly nothing: Deno
 * has no such sockets or options), so that code naming them ports.
 *
 * Python's enums are here too: {@linkcode AddressFamily},
 * {@linkcode SocketKind}, {@linkcode MsgFlag} and {@linkcode AddressInfo},
 * frozen objects of their members (plain numbers, so `AF_INET ===
 * AddressFamily.AF_INET`), with `repr()` and `nameOf()` for Python's names.
 *
 * @example Compare an errno
 * ```ts
 * import {
 *   AF_INET,
 *   ECONNREFUSED,
 *   errorcode,
 *   SOCK_STREAM,
 * } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(AF_INET, 2);
 * assert.equal(SOCK_STREAM, 1);
 * assert.equal(errorcode[ECONNREFUSED], "ECONNREFUSED");
 * ```
 *
 * @module
 */

// Deno.build.os is read through globalThis so the module also loads where
// `Deno` is missing (those platforms get the Linux values).
const darwin: boolean = (globalThis as { Deno?: { build?: { os?: string } } })
  .Deno?.build?.os === "darwin";

// Address families: the `family` argument of `socket()`.

/** Address family: unspecified (any family, for `getaddrinfo()`). */
export const AF_UNSPEC: number = 0;
/** Address family: local (Unix domain) sockets, addressed by a path. */
export const AF_UNIX = 1;
/** Address family: IPv4, addressed by `[host, port]`. */
export const AF_INET = 2;
/** Address family: IPv6, addressed by `[host, port, flowinfo, scope_id]`. */
export const AF_INET6: 10 | 30 = darwin ? 30 : 10;
/** Address family: AppleTalk (not supported by `socket()`). */
export const AF_APPLETALK: number = darwin ? 16 : 5;
/** Address family: Novell IPX (not supported by `socket()`). */
export const AF_IPX: number = darwin ? 23 : 4;
/** Address family: routing sockets (not supported by `socket()`). */
export const AF_ROUTE: number = darwin ? 17 : 16;
/** Address family: IBM SNA (not supported by `socket()`). */
export const AF_SNA: number = darwin ? 11 : 22;

// Socket types: the `type` argument of `socket()`.

/** Socket type: reliable byte stream (TCP for AF_INET / AF_INET6). */
export const SOCK_STREAM = 1;
/** Socket type: datagrams (UDP for AF_INET / AF_INET6). */
export const SOCK_DGRAM = 2;
/** Socket type: raw protocol access (not supported by `socket()`). */
export const SOCK_RAW: number = 3;
/** Socket type: reliably delivered messages (not supported by `socket()`). */
export const SOCK_RDM: number = 4;
/** Socket type: sequenced packets (not supported by `socket()`). */
export const SOCK_SEQPACKET: number = 5;
/**
 * Socket type flag (Linux): or-ed into `type`, creates the socket non-
 * blocking. pysocket reads it itself, so it has Linux's value everywhere.
 */
export const SOCK_NONBLOCK: number = 0x800;
/**
 * Socket type flag (Linux): or-ed into `type`, close on exec (no effect here).
 * pysocket reads it itself, so it has Linux's value everywhere.
 */
export const SOCK_CLOEXEC: number = 0x80000;

// Option levels: the `level` argument of `setsockopt()` / `getsockopt()`.

/** Option level: the socket itself (`SO_*` options). */
export const SOL_SOCKET: number = darwin ? 0xffff : 1;
/** Option level: IPv4 (same as `IPPROTO_IP`). */
export const SOL_IP: number = 0;
/** Option level: TCP (same as `IPPROTO_TCP`). */
export const SOL_TCP: number = 6;
/** Option level: UDP (same as `IPPROTO_UDP`). */
export const SOL_UDP: number = 17;

// Socket options: level `SOL_SOCKET`.

/** Socket option: record debugging information. */
export const SO_DEBUG: number = 1;
/** Socket option: whether the socket is listening (read only). */
export const SO_ACCEPTCONN: number = darwin ? 2 : 30;
/** Socket option: allow binding to an address in TIME_WAIT. */
export const SO_REUSEADDR: number = darwin ? 4 : 2;
/** Socket option: send TCP keep-alive probes. */
export const SO_KEEPALIVE: number = darwin ? 8 : 9;
/** Socket option: bypass routing, send to directly connected hosts. */
export const SO_DONTROUTE: number = darwin ? 16 : 5;
/** Socket option: allow sending datagrams to broadcast addresses. */
export const SO_BROADCAST: number = darwin ? 32 : 6;
/** Socket option: linger on close while unsent data remains. */
export const SO_LINGER: number = darwin ? 128 : 13;
/** Socket option: receive out-of-band data in line. */
export const SO_OOBINLINE: number = darwin ? 0x100 : 10;
/** Socket option: allow several sockets to bind the same port. */
export const SO_REUSEPORT: number = darwin ? 0x200 : 15;
/** Socket option: send buffer size in bytes. */
export const SO_SNDBUF: number = darwin ? 0x1001 : 7;
/** Socket option: receive buffer size in bytes. */
export const SO_RCVBUF: number = darwin ? 0x1002 : 8;
/** Socket option: send low-water mark. */
export const SO_SNDLOWAT: number = darwin ? 0x1003 : 19;
/** Socket option: receive low-water mark. */
export const SO_RCVLOWAT: number = darwin ? 0x1004 : 18;
/** Socket option: kernel send timeout. */
export const SO_SNDTIMEO: number = darwin ? 0x1005 : 21;
/** Socket option: kernel receive timeout. */
export const SO_RCVTIMEO: number = darwin ? 0x1006 : 20;
/** Socket option: pending error, cleared when read (read only). */
export const SO_ERROR: number = darwin ? 0x1007 : 4;
/**
 * Socket option: the socket type, `SOCK_STREAM` or `SOCK_DGRAM` (read only).
 */
export const SO_TYPE: number = darwin ? 0x1008 : 3;

// IP protocols: `proto` and option levels (IANA numbers, same everywhere).

/** Protocol: IPv4 (also the option level for `IP_*` options). */
export const IPPROTO_IP: number = 0;
/** Protocol: IPv6 hop-by-hop options header. */
export const IPPROTO_HOPOPTS: number = 0;
/** Protocol: ICMP. */
export const IPPROTO_ICMP: number = 1;
/** Protocol: IGMP. */
export const IPPROTO_IGMP: number = 2;
/** Protocol: IP in IP encapsulation. */
export const IPPROTO_IPIP: number = 4;
/** Protocol: TCP (also the option level for `TCP_*` options). */
export const IPPROTO_TCP: number = 6;
/** Protocol: exterior gateway protocol. */
export const IPPROTO_EGP: number = 8;
/** Protocol: PUP. */
export const IPPROTO_PUP: number = 12;
/** Protocol: UDP. */
export const IPPROTO_UDP: number = 17;
/** Protocol: XNS IDP. */
export const IPPROTO_IDP: number = 22;
/** Protocol: ISO transport protocol class 4. */
export const IPPROTO_TP: number = 29;
/** Protocol: IPv6 (also the option level for `IPV6_*` options). */
export const IPPROTO_IPV6: number = 41;
/** Protocol: IPv6 routing header. */
export const IPPROTO_ROUTING: number = 43;
/** Protocol: IPv6 fragmentation header. */
export const IPPROTO_FRAGMENT: number = 44;
/** Protocol: RSVP. */
export const IPPROTO_RSVP: number = 46;
/** Protocol: generic routing encapsulation. */
export const IPPROTO_GRE: number = 47;
/** Protocol: IPsec encapsulating security payload. */
export const IPPROTO_ESP: number = 50;
/** Protocol: IPsec authentication header. */
export const IPPROTO_AH: number = 51;
/** Protocol: ICMPv6. */
export const IPPROTO_ICMPV6: number = 58;
/** Protocol: IPv6 no next header. */
export const IPPROTO_NONE: number = 59;
/** Protocol: IPv6 destination options header. */
export const IPPROTO_DSTOPTS: number = 60;
/** Protocol: protocol independent multicast. */
export const IPPROTO_PIM: number = 103;
/** Protocol: SCTP. */
export const IPPROTO_SCTP: number = 132;
/** Protocol: raw IP packets. */
export const IPPROTO_RAW: number = 255;

// TCP options: level `IPPROTO_TCP`.

/** TCP option: send small segments at once (disable Nagle's algorithm). */
export const TCP_NODELAY: number = 1;
/** TCP option: maximum segment size. */
export const TCP_MAXSEG: number = 2;
/**
 * TCP option: idle seconds before keep-alive probes start (macOS calls it
 * `TCP_KEEPALIVE`).
 */
export const TCP_KEEPIDLE: number = darwin ? 16 : 4;
/** TCP option: seconds between keep-alive probes. */
export const TCP_KEEPINTVL: number = darwin ? 0x101 : 5;
/** TCP option: keep-alive probes sent before the connection is dropped. */
export const TCP_KEEPCNT: number = darwin ? 0x102 : 6;
/** TCP option: enable TCP Fast Open. */
export const TCP_FASTOPEN: number = darwin ? 0x105 : 23;
/** TCP option: limit on unsent bytes in the send buffer. */
export const TCP_NOTSENT_LOWAT: number = darwin ? 0x201 : 25;

// IPv4 options: level `IPPROTO_IP`.

/** IPv4 option: type of service byte. */
export const IP_TOS: number = darwin ? 3 : 1;
/** IPv4 option: time to live of outgoing packets. */
export const IP_TTL: number = darwin ? 4 : 2;
/** IPv4 option: the application supplies the IP header (raw sockets). */
export const IP_HDRINCL: number = darwin ? 2 : 3;
/** IPv4 option: IP header options. */
export const IP_OPTIONS: number = darwin ? 1 : 4;
/** IPv4 option: receive all IP options with datagrams. */
export const IP_RECVOPTS: number = darwin ? 5 : 6;
/** IPv4 option: receive IP options for the response. */
export const IP_RECVRETOPTS: number = darwin ? 6 : 7;
/** IPv4 option: IP options to send with each datagram. */
export const IP_RETOPTS: number = darwin ? 8 : 7;
/** IPv4 option: receive the type of service byte with datagrams. */
export const IP_RECVTOS: number = darwin ? 27 : 13;
/** IPv4 option: interface for outgoing multicast datagrams. */
export const IP_MULTICAST_IF: number = darwin ? 9 : 32;
/** IPv4 option: time to live of outgoing multicast datagrams. */
export const IP_MULTICAST_TTL: number = darwin ? 10 : 33;
/** IPv4 option: loop outgoing multicast datagrams back to local listeners. */
export const IP_MULTICAST_LOOP: number = darwin ? 11 : 34;
/** IPv4 option: join a multicast group (value: packed `ip_mreq`). */
export const IP_ADD_MEMBERSHIP: number = darwin ? 12 : 35;
/** IPv4 option: leave a multicast group (value: packed `ip_mreq`). */
export const IP_DROP_MEMBERSHIP: number = darwin ? 13 : 36;
/** Default `IP_MULTICAST_TTL`. */
export const IP_DEFAULT_MULTICAST_TTL: number = 1;
/** Default `IP_MULTICAST_LOOP`. */
export const IP_DEFAULT_MULTICAST_LOOP: number = 1;
/** Most multicast groups one socket can join. */
export const IP_MAX_MEMBERSHIPS: number = darwin ? 4095 : 20;

// IPv6 options: level `IPPROTO_IPV6`.

/** IPv6 option: hop limit of outgoing unicast packets. */
export const IPV6_UNICAST_HOPS: number = darwin ? 4 : 16;
/** IPv6 option: interface for outgoing multicast packets. */
export const IPV6_MULTICAST_IF: number = darwin ? 9 : 17;
/** IPv6 option: hop limit of outgoing multicast packets. */
export const IPV6_MULTICAST_HOPS: number = darwin ? 10 : 18;
/** IPv6 option: loop outgoing multicast packets back to local listeners. */
export const IPV6_MULTICAST_LOOP: number = darwin ? 11 : 19;
/** IPv6 option: join a multicast group (value: packed `ipv6_mreq`). */
export const IPV6_JOIN_GROUP: number = darwin ? 12 : 20;
/** IPv6 option: leave a multicast group (value: packed `ipv6_mreq`). */
export const IPV6_LEAVE_GROUP: number = darwin ? 13 : 21;
/** IPv6 option: checksum offset for raw sockets. */
export const IPV6_CHECKSUM: number = darwin ? 26 : 7;
/** IPv6 option: accept IPv6 only, no IPv4-mapped addresses. */
export const IPV6_V6ONLY: number = darwin ? 27 : 26;
/** IPv6 option: receive the traffic class with packets. */
export const IPV6_RECVTCLASS: number = darwin ? 35 : 66;
/** IPv6 option: traffic class of outgoing packets. */
export const IPV6_TCLASS: number = darwin ? 36 : 67;
/** IPv6 type 0 routing header. */
export const IPV6_RTHDR_TYPE_0: number = 0;

// Message flags: the `flags` argument of `recv()` / `send()`.

/** Message flag: out-of-band data. */
export const MSG_OOB: number = 1;
/** Message flag: return data without removing it from the receive queue. */
export const MSG_PEEK: number = 2;
/** Message flag: send without routing. */
export const MSG_DONTROUTE: number = 4;
/** Message flag: end of record. */
export const MSG_EOR: number = darwin ? 8 : 128;
/** Message flag: the datagram was truncated. */
export const MSG_TRUNC: number = darwin ? 16 : 32;
/** Message flag: control data was truncated. */
export const MSG_CTRUNC: number = darwin ? 32 : 8;
/**
 * Message flag: wait for the full request (`bufsize` bytes or end of stream).
 */
export const MSG_WAITALL: number = darwin ? 64 : 0x100;
/** Message flag: this call only, do not block. */
export const MSG_DONTWAIT: number = darwin ? 128 : 64;
/** Message flag: no SIGPIPE on a broken stream. */
export const MSG_NOSIGNAL: number = darwin ? 0x80000 : 0x4000;

// Shutdown modes: the `how` argument of `shutdown()`.

/** Shutdown mode: no more receiving. */
export const SHUT_RD: number = 0;
/** Shutdown mode: no more sending (sends FIN after queued data). */
export const SHUT_WR: number = 1;
/** Shutdown mode: no more receiving or sending. */
export const SHUT_RDWR: number = 2;

// getaddrinfo() flags: the `flags` argument of `getaddrinfo()`.

/**
 * `getaddrinfo()` flag: addresses for `bind()` (wildcard when host is null).
 */
export const AI_PASSIVE: number = 1;
/** `getaddrinfo()` flag: return the canonical name. */
export const AI_CANONNAME: number = 2;
/** `getaddrinfo()` flag: host must be a numeric address, no look-up. */
export const AI_NUMERICHOST: number = 4;
/** `getaddrinfo()` flag: return IPv4-mapped IPv6 addresses if no IPv6 ones. */
export const AI_V4MAPPED: number = darwin ? 0x800 : 8;
/**
 * `getaddrinfo()` flag: with `AI_V4MAPPED`, return both IPv6 and mapped IPv4
 * addresses.
 */
export const AI_ALL: number = darwin ? 0x100 : 16;
/** `getaddrinfo()` flag: only families configured on this host. */
export const AI_ADDRCONFIG: number = darwin ? 0x400 : 32;
/** `getaddrinfo()` flag: port must be numeric, no service look-up. */
export const AI_NUMERICSERV: number = darwin ? 0x1000 : 0x400;

// getnameinfo() flags: the `flags` argument of `getnameinfo()`.

/** `getnameinfo()` flag: return the numeric host address. */
export const NI_NUMERICHOST: number = darwin ? 2 : 1;
/** `getnameinfo()` flag: return the numeric port. */
export const NI_NUMERICSERV: number = darwin ? 8 : 2;
/** `getnameinfo()` flag: return only the host part of local names. */
export const NI_NOFQDN: number = darwin ? 1 : 4;
/** `getnameinfo()` flag: fail if the host has no name. */
export const NI_NAMEREQD: number = darwin ? 4 : 8;
/** `getnameinfo()` flag: look up the service as a datagram service. */
export const NI_DGRAM: number = 16;
/** Longest host name `getnameinfo()` returns. */
export const NI_MAXHOST: number = 1025;
/** Longest service name `getnameinfo()` returns. */
export const NI_MAXSERV: number = 32;

// getaddrinfo() error codes: the `errno` of a `gaierror`.

/** `gaierror` code: address family for host name not supported. */
export const EAI_ADDRFAMILY: number = darwin ? 1 : -9;
/** `gaierror` code: temporary failure in name resolution. */
export const EAI_AGAIN: number = darwin ? 2 : -3;
/** `gaierror` code: bad `flags` value. */
export const EAI_BADFLAGS: number = darwin ? 3 : -1;
/** `gaierror` code: non-recoverable failure in name resolution. */
export const EAI_FAIL: number = darwin ? 4 : -4;
/** `gaierror` code: `family` not supported. */
export const EAI_FAMILY: number = darwin ? 5 : -6;
/** `gaierror` code: memory allocation failure. */
export const EAI_MEMORY: number = darwin ? 6 : -10;
/** `gaierror` code: no address associated with host name. */
export const EAI_NODATA: number = darwin ? 7 : -5;
/** `gaierror` code: host or service not known. */
export const EAI_NONAME: number = darwin ? 8 : -2;
/** `gaierror` code: service not supported for the socket type. */
export const EAI_SERVICE: number = darwin ? 9 : -8;
/** `gaierror` code: socket type not supported. */
export const EAI_SOCKTYPE: number = darwin ? 10 : -7;
/** `gaierror` code: system error, see errno. */
export const EAI_SYSTEM: number = darwin ? 11 : -11;
/** `gaierror` code: argument buffer overflow. */
export const EAI_OVERFLOW: number = darwin ? 14 : -12;

// IPv4 addresses, as 32-bit numbers in host byte order (the same everywhere).

/** IPv4 address 0.0.0.0, any local address (`""` as a host). */
export const INADDR_ANY: number = 0x0;
/** IPv4 address 255.255.255.255 (`"<broadcast>"` as a host). */
export const INADDR_BROADCAST: number = 0xffffffff;
/** IPv4 address 127.0.0.1. */
export const INADDR_LOOPBACK: number = 0x7f000001;
/** IPv4 address 255.255.255.255, the invalid-address result of `inet_addr`. */
export const INADDR_NONE: number = 0xffffffff;
/** IPv4 multicast address 224.0.0.0. */
export const INADDR_UNSPEC_GROUP: number = 0xe0000000;
/** IPv4 multicast address 224.0.0.1, all hosts. */
export const INADDR_ALLHOSTS_GROUP: number = 0xe0000001;
/** IPv4 multicast address 224.0.0.255, last local group. */
export const INADDR_MAX_LOCAL_GROUP: number = 0xe00000ff;

// Limits and capabilities.

/**
 * The default `listen()` backlog of the platform's headers (Linux 4096,
 * macOS 128), as Python reports it.
 */
export const SOMAXCONN: number = darwin ? 128 : 4096;
/**
 * Whether IPv6 is supported: always `true` (Deno supports IPv6 wherever it
 * runs). Python's `socket.has_ipv6`.
 */
// deno-lint-ignore camelcase
export const has_ipv6: boolean = true;

// errno numbers: Python's `errno` module. Socket operations report these in
// `OSError.errno`.

/** errno `EPERM`: Operation not permitted. */
export const EPERM: number = 1;
/** errno `ENOENT`: No such file or directory. */
export const ENOENT: number = 2;
/** errno `ESRCH`: No such process. */
export const ESRCH: number = 3;
/** errno `EINTR`: Interrupted system call. */
export const EINTR: number = 4;
/** errno `EIO`: Input/output error. */
export const EIO: number = 5;
/** errno `ENXIO`: No such device or address. */
export const ENXIO: number = 6;
/** errno `E2BIG`: Argument list too long. */
export const E2BIG: number = 7;
/** errno `ENOEXEC`: Exec format error. */
export const ENOEXEC: number = 8;
/** errno `EBADF`: Bad file descriptor. */
export const EBADF: number = 9;
/** errno `ECHILD`: No child processes. */
export const ECHILD: number = 10;
/** errno `EAGAIN`: Resource temporarily unavailable. */
export const EAGAIN: number = darwin ? 35 : 11;
/** errno `EWOULDBLOCK`: the same number as `EAGAIN`. */
export const EWOULDBLOCK: number = darwin ? 35 : 11;
/** errno `ENOMEM`: Cannot allocate memory. */
export const ENOMEM: number = 12;
/** errno `EACCES`: Permission denied. */
export const EACCES: number = 13;
/** errno `EFAULT`: Bad address. */
export const EFAULT: number = 14;
/** errno `ENOTBLK`: Block device required. */
export const ENOTBLK: number = 15;
/** errno `EBUSY`: Device or resource busy. */
export const EBUSY: number = 16;
/** errno `EEXIST`: File exists. */
export const EEXIST: number = 17;
/** errno `EXDEV`: Invalid cross-device link. */
export const EXDEV: number = 18;
/** errno `ENODEV`: No such device. */
export const ENODEV: number = 19;
/** errno `ENOTDIR`: Not a directory. */
export const ENOTDIR: number = 20;
/** errno `EISDIR`: Is a directory. */
export const EISDIR: number = 21;
/** errno `EINVAL`: Invalid argument. */
export const EINVAL: number = 22;
/** errno `ENFILE`: Too many open files in system. */
export const ENFILE: number = 23;
/** errno `EMFILE`: Too many open files. */
export const EMFILE: number = 24;
/** errno `ENOTTY`: Inappropriate ioctl for device. */
export const ENOTTY: number = 25;
/** errno `ETXTBSY`: Text file busy. */
export const ETXTBSY: number = 26;
/** errno `EFBIG`: File too large. */
export const EFBIG: number = 27;
/** errno `ENOSPC`: No space left on device. */
export const ENOSPC: number = 28;
/** errno `ESPIPE`: Illegal seek. */
export const ESPIPE: number = 29;
/** errno `EROFS`: Read-only file system. */
export const EROFS: number = 30;
/** errno `EMLINK`: Too many links. */
export const EMLINK: number = 31;
/** errno `EPIPE`: Broken pipe. */
export const EPIPE: number = 32;
/** errno `EDOM`: Numerical argument out of domain. */
export const EDOM: number = 33;
/** errno `ERANGE`: Numerical result out of range. */
export const ERANGE: number = 34;
/** errno `EDEADLK`: Resource deadlock avoided. */
export const EDEADLK: number = darwin ? 11 : 35;
/** errno `EDEADLOCK`: the same number as `EDEADLK`. */
export const EDEADLOCK: number = darwin ? 11 : 35;
/** errno `ENAMETOOLONG`: File name too long. */
export const ENAMETOOLONG: number = darwin ? 63 : 36;
/** errno `ENOLCK`: No locks available. */
export const ENOLCK: number = darwin ? 77 : 37;
/** errno `ENOSYS`: Function not implemented. */
export const ENOSYS: number = darwin ? 78 : 38;
/** errno `ENOTEMPTY`: Directory not empty. */
export const ENOTEMPTY: number = darwin ? 66 : 39;
/** errno `ELOOP`: Too many levels of symbolic links. */
export const ELOOP: number = darwin ? 62 : 40;
/** errno `ENOMSG`: No message of desired type. */
export const ENOMSG: number = darwin ? 91 : 42;
/** errno `EIDRM`: Identifier removed. */
export const EIDRM: number = darwin ? 90 : 43;
/** errno `ENOSTR`: Device not a stream. */
export const ENOSTR: number = darwin ? 99 : 60;
/** errno `ENODATA`: No data available. */
export const ENODATA: number = darwin ? 96 : 61;
/** errno `ETIME`: Timer expired. */
export const ETIME: number = darwin ? 101 : 62;
/** errno `ENOSR`: Out of streams resources. */
export const ENOSR: number = darwin ? 98 : 63;
/** errno `EREMOTE`: Object is remote. */
export const EREMOTE: number = darwin ? 71 : 66;
/** errno `ENOLINK`: Link has been severed. */
export const ENOLINK: number = darwin ? 97 : 67;
/** errno `EPROTO`: Protocol error. */
export const EPROTO: number = darwin ? 100 : 71;
/** errno `EMULTIHOP`: Multihop attempted. */
export const EMULTIHOP: number = darwin ? 95 : 72;
/** errno `EBADMSG`: Bad message. */
export const EBADMSG: number = darwin ? 94 : 74;
/** errno `EOVERFLOW`: Value too large for defined data type. */
export const EOVERFLOW: number = darwin ? 84 : 75;
/** errno `EILSEQ`: Invalid or incomplete multibyte or wide character. */
export const EILSEQ: number = darwin ? 92 : 84;
/** errno `EUSERS`: Too many users. */
export const EUSERS: number = darwin ? 68 : 87;
/** errno `ENOTSOCK`: Socket operation on non-socket. */
export const ENOTSOCK: number = darwin ? 38 : 88;
/** errno `EDESTADDRREQ`: Destination address required. */
export const EDESTADDRREQ: number = darwin ? 39 : 89;
/** errno `EMSGSIZE`: Message too long. */
export const EMSGSIZE: number = darwin ? 40 : 90;
/** errno `EPROTOTYPE`: Protocol wrong type for socket. */
export const EPROTOTYPE: number = darwin ? 41 : 91;
/** errno `ENOPROTOOPT`: Protocol not available. */
export const ENOPROTOOPT: number = darwin ? 42 : 92;
/** errno `EPROTONOSUPPORT`: Protocol not supported. */
export const EPROTONOSUPPORT: number = darwin ? 43 : 93;
/** errno `ESOCKTNOSUPPORT`: Socket type not supported. */
export const ESOCKTNOSUPPORT: number = darwin ? 44 : 94;
/** errno `ENOTSUP`: Operation not supported. */
export const ENOTSUP: number = darwin ? 45 : 95;
/**
 * errno `EOPNOTSUPP`: Operation not supported on socket (the same number as
 * `ENOTSUP` on Linux).
 */
export const EOPNOTSUPP: number = darwin ? 102 : 95;
/** errno `EPFNOSUPPORT`: Protocol family not supported. */
export const EPFNOSUPPORT: number = darwin ? 46 : 96;
/** errno `EAFNOSUPPORT`: Address family not supported by protocol. */
export const EAFNOSUPPORT: number = darwin ? 47 : 97;
/** errno `EADDRINUSE`: Address already in use. */
export const EADDRINUSE: number = darwin ? 48 : 98;
/** errno `EADDRNOTAVAIL`: Cannot assign requested address. */
export const EADDRNOTAVAIL: number = darwin ? 49 : 99;
/** errno `ENETDOWN`: Network is down. */
export const ENETDOWN: number = darwin ? 50 : 100;
/** errno `ENETUNREACH`: Network is unreachable. */
export const ENETUNREACH: number = darwin ? 51 : 101;
/** errno `ENETRESET`: Network dropped connection on reset. */
export const ENETRESET: number = darwin ? 52 : 102;
/** errno `ECONNABORTED`: Software caused connection abort. */
export const ECONNABORTED: number = darwin ? 53 : 103;
/** errno `ECONNRESET`: Connection reset by peer. */
export const ECONNRESET: number = darwin ? 54 : 104;
/** errno `ENOBUFS`: No buffer space available. */
export const ENOBUFS: number = darwin ? 55 : 105;
/** errno `EISCONN`: Transport endpoint is already connected. */
export const EISCONN: number = darwin ? 56 : 106;
/** errno `ENOTCONN`: Transport endpoint is not connected. */
export const ENOTCONN: number = darwin ? 57 : 107;
/** errno `ESHUTDOWN`: Cannot send after transport endpoint shutdown. */
export const ESHUTDOWN: number = darwin ? 58 : 108;
/** errno `ETOOMANYREFS`: Too many references: cannot splice. */
export const ETOOMANYREFS: number = darwin ? 59 : 109;
/** errno `ETIMEDOUT`: Connection timed out. */
export const ETIMEDOUT: number = darwin ? 60 : 110;
/** errno `ECONNREFUSED`: Connection refused. */
export const ECONNREFUSED: number = darwin ? 61 : 111;
/** errno `EHOSTDOWN`: Host is down. */
export const EHOSTDOWN: number = darwin ? 64 : 112;
/** errno `EHOSTUNREACH`: No route to host. */
export const EHOSTUNREACH: number = darwin ? 65 : 113;
/** errno `EALREADY`: Operation already in progress. */
export const EALREADY: number = darwin ? 37 : 114;
/** errno `EINPROGRESS`: Operation now in progress. */
export const EINPROGRESS: number = darwin ? 36 : 115;
/** errno `ESTALE`: Stale file handle. */
export const ESTALE: number = darwin ? 70 : 116;
/** errno `EDQUOT`: Disk quota exceeded. */
export const EDQUOT: number = darwin ? 69 : 122;
/** errno `ECANCELED`: Operation canceled. */
export const ECANCELED: number = darwin ? 89 : 125;
/** errno `EOWNERDEAD`: Owner died. */
export const EOWNERDEAD: number = darwin ? 105 : 130;
/** errno `ENOTRECOVERABLE`: State not recoverable. */
export const ENOTRECOVERABLE: number = darwin ? 104 : 131;

// Names that share a number with another name: Python's `errorcode` names the
// number after the other one (Linux: EAGAIN, EDEADLOCK, ENOTSUP; macOS:
// EAGAIN, EDEADLK).
const ALIASES: readonly string[] = darwin
  ? ["EWOULDBLOCK", "EDEADLOCK"]
  : ["EWOULDBLOCK", "EDEADLK", "EOPNOTSUPP"];

function buildErrorcode(): Readonly<Record<number, string>> {
  const entries: [string, number][] = [
    ["EPERM", EPERM],
    ["ENOENT", ENOENT],
    ["ESRCH", ESRCH],
    ["EINTR", EINTR],
    ["EIO", EIO],
    ["ENXIO", ENXIO],
    ["E2BIG", E2BIG],
    ["ENOEXEC", ENOEXEC],
    ["EBADF", EBADF],
    ["ECHILD", ECHILD],
    ["EAGAIN", EAGAIN],
    ["EWOULDBLOCK", EWOULDBLOCK],
    ["ENOMEM", ENOMEM],
    ["EACCES", EACCES],
    ["EFAULT", EFAULT],
    ["ENOTBLK", ENOTBLK],
    ["EBUSY", EBUSY],
    ["EEXIST", EEXIST],
    ["EXDEV", EXDEV],
    ["ENODEV", ENODEV],
    ["ENOTDIR", ENOTDIR],
    ["EISDIR", EISDIR],
    ["EINVAL", EINVAL],
    ["ENFILE", ENFILE],
    ["EMFILE", EMFILE],
    ["ENOTTY", ENOTTY],
    ["ETXTBSY", ETXTBSY],
    ["EFBIG", EFBIG],
    ["ENOSPC", ENOSPC],
    ["ESPIPE", ESPIPE],
    ["EROFS", EROFS],
    ["EMLINK", EMLINK],
    ["EPIPE", EPIPE],
    ["EDOM", EDOM],
    ["ERANGE", ERANGE],
    ["EDEADLK", EDEADLK],
    ["EDEADLOCK", EDEADLOCK],
    ["ENAMETOOLONG", ENAMETOOLONG],
    ["ENOLCK", ENOLCK],
    ["ENOSYS", ENOSYS],
    ["ENOTEMPTY", ENOTEMPTY],
    ["ELOOP", ELOOP],
    ["ENOMSG", ENOMSG],
    ["EIDRM", EIDRM],
    ["ENOSTR", ENOSTR],
    ["ENODATA", ENODATA],
    ["ETIME", ETIME],
    ["ENOSR", ENOSR],
    ["EREMOTE", EREMOTE],
    ["ENOLINK", ENOLINK],
    ["EPROTO", EPROTO],
    ["EMULTIHOP", EMULTIHOP],
    ["EBADMSG", EBADMSG],
    ["EOVERFLOW", EOVERFLOW],
    ["EILSEQ", EILSEQ],
    ["EUSERS", EUSERS],
    ["ENOTSOCK", ENOTSOCK],
    ["EDESTADDRREQ", EDESTADDRREQ],
    ["EMSGSIZE", EMSGSIZE],
    ["EPROTOTYPE", EPROTOTYPE],
    ["ENOPROTOOPT", ENOPROTOOPT],
    ["EPROTONOSUPPORT", EPROTONOSUPPORT],
    ["ESOCKTNOSUPPORT", ESOCKTNOSUPPORT],
    ["ENOTSUP", ENOTSUP],
    ["EOPNOTSUPP", EOPNOTSUPP],
    ["EPFNOSUPPORT", EPFNOSUPPORT],
    ["EAFNOSUPPORT", EAFNOSUPPORT],
    ["EADDRINUSE", EADDRINUSE],
    ["EADDRNOTAVAIL", EADDRNOTAVAIL],
    ["ENETDOWN", ENETDOWN],
    ["ENETUNREACH", ENETUNREACH],
    ["ENETRESET", ENETRESET],
    ["ECONNABORTED", ECONNABORTED],
    ["ECONNRESET", ECONNRESET],
    ["ENOBUFS", ENOBUFS],
    ["EISCONN", EISCONN],
    ["ENOTCONN", ENOTCONN],
    ["ESHUTDOWN", ESHUTDOWN],
    ["ETOOMANYREFS", ETOOMANYREFS],
    ["ETIMEDOUT", ETIMEDOUT],
    ["ECONNREFUSED", ECONNREFUSED],
    ["EHOSTDOWN", EHOSTDOWN],
    ["EHOSTUNREACH", EHOSTUNREACH],
    ["EALREADY", EALREADY],
    ["EINPROGRESS", EINPROGRESS],
    ["ESTALE", ESTALE],
    ["EDQUOT", EDQUOT],
    ["ECANCELED", ECANCELED],
    ["EOWNERDEAD", EOWNERDEAD],
    ["ENOTRECOVERABLE", ENOTRECOVERABLE],
  ];
  const map: Record<number, string> = {};
  for (const [name, value] of entries) {
    if (!ALIASES.includes(name)) map[value] = name;
  }
  return Object.freeze(map);
}

/**
 * Maps each errno number exported here to its name, as Python's
 * `errno.errorcode`. Numbers shared by two names map to the one Python
 * prints (`EAGAIN`, not `EWOULDBLOCK`).
 *
 * @example Name an errno
 * ```ts
 * import { EAGAIN, errorcode } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(errorcode[EAGAIN], "EAGAIN");
 * assert.equal(errorcode[123456], undefined);
 * ```
 */
export const errorcode: Readonly<Record<number, string>> = buildErrorcode();

// Linux-only names of Python's `socket.__all__`, with Linux's values on every
// system: exported so that code naming them ports, though pysocket cannot use
// most of them (each says why).

/** Linux's `AF_ALG`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ALG: number = 38;
/** Linux's `AF_ASH`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ASH: number = 18;
/** Linux's `AF_ATMPVC`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ATMPVC: number = 8;
/** Linux's `AF_ATMSVC`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ATMSVC: number = 20;
/** Linux's `AF_AX25`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_AX25: number = 3;
/** Linux's `AF_BRIDGE`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_BRIDGE: number = 7;
/** Linux's `AF_CAN`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_CAN: number = 29;
/** Linux's `AF_DECnet`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
// deno-lint-ignore camelcase
export const AF_DECnet: number = 12;
/** Linux's `AF_ECONET`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ECONET: number = 19;
/** Linux's `AF_IRDA`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_IRDA: number = 23;
/** Linux's `AF_KEY`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_KEY: number = 15;
/** Linux's `AF_LLC`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_LLC: number = 26;
/** Linux's `AF_NETBEUI`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_NETBEUI: number = 13;
/** Linux's `AF_NETLINK`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_NETLINK: number = 16;
/** Linux's `AF_NETROM`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_NETROM: number = 6;
/** Linux's `AF_PACKET`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_PACKET: number = 17;
/** Linux's `AF_PPPOX`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_PPPOX: number = 24;
/** Linux's `AF_QIPCRTR`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_QIPCRTR: number = 42;
/** Linux's `AF_RDS`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_RDS: number = 21;
/** Linux's `AF_ROSE`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_ROSE: number = 11;
/** Linux's `AF_SECURITY`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_SECURITY: number = 14;
/** Linux's `AF_TIPC`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_TIPC: number = 30;
/** Linux's `AF_VSOCK`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_VSOCK: number = 40;
/** Linux's `AF_WANPIPE`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_WANPIPE: number = 25;
/** Linux's `AF_X25`: an address family Deno cannot open: `socket()` raises `EAFNOSUPPORT`. */
export const AF_X25: number = 9;
/** Linux's `ALG_OP_DECRYPT`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_OP_DECRYPT: number = 0;
/** Linux's `ALG_OP_ENCRYPT`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_OP_ENCRYPT: number = 1;
/** Linux's `ALG_OP_SIGN`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_OP_SIGN: number = 2;
/** Linux's `ALG_OP_VERIFY`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_OP_VERIFY: number = 3;
/** Linux's `ALG_SET_AEAD_ASSOCLEN`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_AEAD_ASSOCLEN: number = 4;
/** Linux's `ALG_SET_AEAD_AUTHSIZE`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_AEAD_AUTHSIZE: number = 5;
/** Linux's `ALG_SET_IV`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_IV: number = 2;
/** Linux's `ALG_SET_KEY`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_KEY: number = 1;
/** Linux's `ALG_SET_OP`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_OP: number = 3;
/** Linux's `ALG_SET_PUBKEY`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const ALG_SET_PUBKEY: number = 6;
/** Linux's `CAN_BCM`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM: number = 2;
/** Linux's `CAN_BCM_CAN_FD_FRAME`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_CAN_FD_FRAME: number = 2048;
/** Linux's `CAN_BCM_RX_ANNOUNCE_RESUME`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_ANNOUNCE_RESUME: number = 256;
/** Linux's `CAN_BCM_RX_CHANGED`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_CHANGED: number = 12;
/** Linux's `CAN_BCM_RX_CHECK_DLC`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_CHECK_DLC: number = 64;
/** Linux's `CAN_BCM_RX_DELETE`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_DELETE: number = 6;
/** Linux's `CAN_BCM_RX_FILTER_ID`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_FILTER_ID: number = 32;
/** Linux's `CAN_BCM_RX_NO_AUTOTIMER`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_NO_AUTOTIMER: number = 128;
/** Linux's `CAN_BCM_RX_READ`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_READ: number = 7;
/** Linux's `CAN_BCM_RX_RTR_FRAME`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_RTR_FRAME: number = 1024;
/** Linux's `CAN_BCM_RX_SETUP`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_SETUP: number = 5;
/** Linux's `CAN_BCM_RX_STATUS`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_STATUS: number = 10;
/** Linux's `CAN_BCM_RX_TIMEOUT`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_RX_TIMEOUT: number = 11;
/** Linux's `CAN_BCM_SETTIMER`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_SETTIMER: number = 1;
/** Linux's `CAN_BCM_STARTTIMER`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_STARTTIMER: number = 2;
/** Linux's `CAN_BCM_TX_ANNOUNCE`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_ANNOUNCE: number = 8;
/** Linux's `CAN_BCM_TX_COUNTEVT`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_COUNTEVT: number = 4;
/** Linux's `CAN_BCM_TX_CP_CAN_ID`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_CP_CAN_ID: number = 16;
/** Linux's `CAN_BCM_TX_DELETE`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_DELETE: number = 2;
/** Linux's `CAN_BCM_TX_EXPIRED`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_EXPIRED: number = 9;
/** Linux's `CAN_BCM_TX_READ`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_READ: number = 3;
/** Linux's `CAN_BCM_TX_RESET_MULTI_IDX`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_RESET_MULTI_IDX: number = 512;
/** Linux's `CAN_BCM_TX_SEND`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_SEND: number = 4;
/** Linux's `CAN_BCM_TX_SETUP`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_SETUP: number = 1;
/** Linux's `CAN_BCM_TX_STATUS`: CAN bus sockets, which Deno cannot open. */
export const CAN_BCM_TX_STATUS: number = 8;
/** Linux's `CAN_EFF_FLAG`: CAN bus sockets, which Deno cannot open. */
export const CAN_EFF_FLAG: number = 2147483648;
/** Linux's `CAN_EFF_MASK`: CAN bus sockets, which Deno cannot open. */
export const CAN_EFF_MASK: number = 536870911;
/** Linux's `CAN_ERR_FLAG`: CAN bus sockets, which Deno cannot open. */
export const CAN_ERR_FLAG: number = 536870912;
/** Linux's `CAN_ERR_MASK`: CAN bus sockets, which Deno cannot open. */
export const CAN_ERR_MASK: number = 536870911;
/** Linux's `CAN_ISOTP`: CAN bus sockets, which Deno cannot open. */
export const CAN_ISOTP: number = 6;
/** Linux's `CAN_J1939`: CAN bus sockets, which Deno cannot open. */
export const CAN_J1939: number = 7;
/** Linux's `CAN_RAW`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW: number = 1;
/** Linux's `CAN_RAW_FD_FRAMES`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW_FD_FRAMES: number = 5;
/** Linux's `CAN_RAW_FILTER`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW_FILTER: number = 1;
/** Linux's `CAN_RAW_JOIN_FILTERS`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW_JOIN_FILTERS: number = 6;
/** Linux's `CAN_RAW_LOOPBACK`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW_LOOPBACK: number = 3;
/** Linux's `CAN_RAW_RECV_OWN_MSGS`: CAN bus sockets, which Deno cannot open. */
export const CAN_RAW_RECV_OWN_MSGS: number = 4;
/** Linux's `CAN_RTR_FLAG`: CAN bus sockets, which Deno cannot open. */
export const CAN_RTR_FLAG: number = 1073741824;
/** Linux's `CAN_SFF_MASK`: CAN bus sockets, which Deno cannot open. */
export const CAN_SFF_MASK: number = 2047;
/** Linux's `IOCTL_VM_SOCKETS_GET_LOCAL_CID`: AF_VSOCK sockets, which Deno cannot open. */
export const IOCTL_VM_SOCKETS_GET_LOCAL_CID: number = 1977;
/** Linux's `IPPORT_RESERVED`: a port number boundary. */
export const IPPORT_RESERVED: number = 1024;
/** Linux's `IPPORT_USERRESERVED`: a port number boundary. */
export const IPPORT_USERRESERVED: number = 5000;
/** Linux's `IPPROTO_MPTCP`: an IP protocol number. */
export const IPPROTO_MPTCP: number = 262;
/** Linux's `IPPROTO_UDPLITE`: an IP protocol number. */
export const IPPROTO_UDPLITE: number = 136;
/** Linux's `IPV6_DONTFRAG`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_DONTFRAG: number = 62;
/** Linux's `IPV6_DSTOPTS`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_DSTOPTS: number = 59;
/** Linux's `IPV6_HOPLIMIT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_HOPLIMIT: number = 52;
/** Linux's `IPV6_HOPOPTS`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_HOPOPTS: number = 54;
/** Linux's `IPV6_NEXTHOP`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_NEXTHOP: number = 9;
/** Linux's `IPV6_PATHMTU`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_PATHMTU: number = 61;
/** Linux's `IPV6_PKTINFO`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_PKTINFO: number = 50;
/** Linux's `IPV6_RECVDSTOPTS`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVDSTOPTS: number = 58;
/** Linux's `IPV6_RECVHOPLIMIT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVHOPLIMIT: number = 51;
/** Linux's `IPV6_RECVHOPOPTS`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVHOPOPTS: number = 53;
/** Linux's `IPV6_RECVPATHMTU`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVPATHMTU: number = 60;
/** Linux's `IPV6_RECVPKTINFO`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVPKTINFO: number = 49;
/** Linux's `IPV6_RECVRTHDR`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RECVRTHDR: number = 56;
/** Linux's `IPV6_RTHDR`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RTHDR: number = 57;
/** Linux's `IPV6_RTHDRDSTOPTS`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IPV6_RTHDRDSTOPTS: number = 55;
/** Linux's `IP_BIND_ADDRESS_NO_PORT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IP_BIND_ADDRESS_NO_PORT: number = 24;
/** Linux's `IP_TRANSPARENT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const IP_TRANSPARENT: number = 19;
/** Linux's `J1939_EE_INFO_NONE`: CAN bus sockets, which Deno cannot open. */
export const J1939_EE_INFO_NONE: number = 0;
/** Linux's `J1939_EE_INFO_TX_ABORT`: CAN bus sockets, which Deno cannot open. */
export const J1939_EE_INFO_TX_ABORT: number = 1;
/** Linux's `J1939_FILTER_MAX`: CAN bus sockets, which Deno cannot open. */
export const J1939_FILTER_MAX: number = 512;
/** Linux's `J1939_IDLE_ADDR`: CAN bus sockets, which Deno cannot open. */
export const J1939_IDLE_ADDR: number = 254;
/** Linux's `J1939_MAX_UNICAST_ADDR`: CAN bus sockets, which Deno cannot open. */
export const J1939_MAX_UNICAST_ADDR: number = 253;
/** Linux's `J1939_NLA_BYTES_ACKED`: CAN bus sockets, which Deno cannot open. */
export const J1939_NLA_BYTES_ACKED: number = 1;
/** Linux's `J1939_NLA_PAD`: CAN bus sockets, which Deno cannot open. */
export const J1939_NLA_PAD: number = 0;
/** Linux's `J1939_NO_ADDR`: CAN bus sockets, which Deno cannot open. */
export const J1939_NO_ADDR: number = 255;
/** Linux's `J1939_NO_NAME`: CAN bus sockets, which Deno cannot open. */
export const J1939_NO_NAME: number = 0;
/** Linux's `J1939_NO_PGN`: CAN bus sockets, which Deno cannot open. */
export const J1939_NO_PGN: number = 262144;
/** Linux's `J1939_PGN_ADDRESS_CLAIMED`: CAN bus sockets, which Deno cannot open. */
export const J1939_PGN_ADDRESS_CLAIMED: number = 60928;
/** Linux's `J1939_PGN_ADDRESS_COMMANDED`: CAN bus sockets, which Deno cannot open. */
export const J1939_PGN_ADDRESS_COMMANDED: number = 65240;
/** Linux's `J1939_PGN_MAX`: CAN bus sockets, which Deno cannot open. */
export const J1939_PGN_MAX: number = 262143;
/** Linux's `J1939_PGN_PDU1_MAX`: CAN bus sockets, which Deno cannot open. */
export const J1939_PGN_PDU1_MAX: number = 261888;
/** Linux's `J1939_PGN_REQUEST`: CAN bus sockets, which Deno cannot open. */
export const J1939_PGN_REQUEST: number = 59904;
/** Linux's `MSG_CMSG_CLOEXEC`: a message flag; see `recv()` and `send()` for the flags pysocket honours. */
export const MSG_CMSG_CLOEXEC: number = 1073741824;
/** Linux's `MSG_CONFIRM`: a message flag; see `recv()` and `send()` for the flags pysocket honours. */
export const MSG_CONFIRM: number = 2048;
/** Linux's `MSG_ERRQUEUE`: a message flag; see `recv()` and `send()` for the flags pysocket honours. */
export const MSG_ERRQUEUE: number = 8192;
/** Linux's `MSG_FASTOPEN`: a message flag; see `recv()` and `send()` for the flags pysocket honours. */
export const MSG_FASTOPEN: number = 536870912;
/** Linux's `MSG_MORE`: a message flag; see `recv()` and `send()` for the flags pysocket honours. */
export const MSG_MORE: number = 32768;
/** Linux's `NETLINK_CRYPTO`: netlink sockets, which Deno cannot open. */
export const NETLINK_CRYPTO: number = 21;
/** Linux's `NETLINK_DNRTMSG`: netlink sockets, which Deno cannot open. */
export const NETLINK_DNRTMSG: number = 14;
/** Linux's `NETLINK_FIREWALL`: netlink sockets, which Deno cannot open. */
export const NETLINK_FIREWALL: number = 3;
/** Linux's `NETLINK_IP6_FW`: netlink sockets, which Deno cannot open. */
export const NETLINK_IP6_FW: number = 13;
/** Linux's `NETLINK_NFLOG`: netlink sockets, which Deno cannot open. */
export const NETLINK_NFLOG: number = 5;
/** Linux's `NETLINK_ROUTE`: netlink sockets, which Deno cannot open. */
export const NETLINK_ROUTE: number = 0;
/** Linux's `NETLINK_USERSOCK`: netlink sockets, which Deno cannot open. */
export const NETLINK_USERSOCK: number = 2;
/** Linux's `NETLINK_XFRM`: netlink sockets, which Deno cannot open. */
export const NETLINK_XFRM: number = 6;
/** Linux's `PACKET_BROADCAST`: packet sockets, which Deno cannot open. */
export const PACKET_BROADCAST: number = 1;
/** Linux's `PACKET_FASTROUTE`: packet sockets, which Deno cannot open. */
export const PACKET_FASTROUTE: number = 6;
/** Linux's `PACKET_HOST`: packet sockets, which Deno cannot open. */
export const PACKET_HOST: number = 0;
/** Linux's `PACKET_LOOPBACK`: packet sockets, which Deno cannot open. */
export const PACKET_LOOPBACK: number = 5;
/** Linux's `PACKET_MULTICAST`: packet sockets, which Deno cannot open. */
export const PACKET_MULTICAST: number = 2;
/** Linux's `PACKET_OTHERHOST`: packet sockets, which Deno cannot open. */
export const PACKET_OTHERHOST: number = 3;
/** Linux's `PACKET_OUTGOING`: packet sockets, which Deno cannot open. */
export const PACKET_OUTGOING: number = 4;
/** Linux's `PF_CAN`: CAN bus sockets, which Deno cannot open. */
export const PF_CAN: number = 29;
/** Linux's `PF_PACKET`: packet sockets, which Deno cannot open. */
export const PF_PACKET: number = 17;
/** Linux's `PF_RDS`: RDS sockets, which Deno cannot open. */
export const PF_RDS: number = 21;
/** Linux's `SCM_CREDENTIALS`: ancillary data, which needs `recvmsg()` / `sendmsg()` (not in Deno). */
export const SCM_CREDENTIALS: number = 2;
/** Linux's `SCM_J1939_DEST_ADDR`: CAN bus sockets, which Deno cannot open. */
export const SCM_J1939_DEST_ADDR: number = 1;
/** Linux's `SCM_J1939_DEST_NAME`: CAN bus sockets, which Deno cannot open. */
export const SCM_J1939_DEST_NAME: number = 2;
/** Linux's `SCM_J1939_ERRQUEUE`: CAN bus sockets, which Deno cannot open. */
export const SCM_J1939_ERRQUEUE: number = 4;
/** Linux's `SCM_J1939_PRIO`: CAN bus sockets, which Deno cannot open. */
export const SCM_J1939_PRIO: number = 3;
/** Linux's `SCM_RIGHTS`: ancillary data, which needs `recvmsg()` / `sendmsg()` (not in Deno). */
export const SCM_RIGHTS: number = 1;
/** Linux's `SOL_ALG`: AF_ALG (kernel crypto) sockets, which Deno cannot open. */
export const SOL_ALG: number = 279;
/** Linux's `SOL_CAN_BASE`: CAN bus sockets, which Deno cannot open. */
export const SOL_CAN_BASE: number = 100;
/** Linux's `SOL_CAN_RAW`: CAN bus sockets, which Deno cannot open. */
export const SOL_CAN_RAW: number = 101;
/** Linux's `SOL_RDS`: RDS sockets, which Deno cannot open. */
export const SOL_RDS: number = 276;
/** Linux's `SOL_TIPC`: TIPC sockets, which Deno cannot open. */
export const SOL_TIPC: number = 271;
/** Linux's `SO_BINDTODEVICE`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_BINDTODEVICE: number = 25;
/** Linux's `SO_DOMAIN`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_DOMAIN: number = 39;
/** Linux's `SO_INCOMING_CPU`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_INCOMING_CPU: number = 49;
/** Linux's `SO_J1939_ERRQUEUE`: CAN bus sockets, which Deno cannot open. */
export const SO_J1939_ERRQUEUE: number = 4;
/** Linux's `SO_J1939_FILTER`: CAN bus sockets, which Deno cannot open. */
export const SO_J1939_FILTER: number = 1;
/** Linux's `SO_J1939_PROMISC`: CAN bus sockets, which Deno cannot open. */
export const SO_J1939_PROMISC: number = 2;
/** Linux's `SO_J1939_SEND_PRIO`: CAN bus sockets, which Deno cannot open. */
export const SO_J1939_SEND_PRIO: number = 3;
/** Linux's `SO_MARK`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_MARK: number = 36;
/** Linux's `SO_PASSCRED`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PASSCRED: number = 16;
/** Linux's `SO_PASSSEC`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PASSSEC: number = 34;
/** Linux's `SO_PEERCRED`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PEERCRED: number = 17;
/** Linux's `SO_PEERSEC`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PEERSEC: number = 31;
/** Linux's `SO_PRIORITY`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PRIORITY: number = 12;
/** Linux's `SO_PROTOCOL`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const SO_PROTOCOL: number = 38;
/** Linux's `SO_VM_SOCKETS_BUFFER_MAX_SIZE`: AF_VSOCK sockets, which Deno cannot open. */
export const SO_VM_SOCKETS_BUFFER_MAX_SIZE: number = 2;
/** Linux's `SO_VM_SOCKETS_BUFFER_MIN_SIZE`: AF_VSOCK sockets, which Deno cannot open. */
export const SO_VM_SOCKETS_BUFFER_MIN_SIZE: number = 1;
/** Linux's `SO_VM_SOCKETS_BUFFER_SIZE`: AF_VSOCK sockets, which Deno cannot open. */
export const SO_VM_SOCKETS_BUFFER_SIZE: number = 0;
/** Linux's `TCP_CONGESTION`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_CONGESTION: number = 13;
/** Linux's `TCP_CORK`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_CORK: number = 3;
/** Linux's `TCP_DEFER_ACCEPT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_DEFER_ACCEPT: number = 9;
/** Linux's `TCP_INFO`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_INFO: number = 11;
/** Linux's `TCP_LINGER2`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_LINGER2: number = 8;
/** Linux's `TCP_QUICKACK`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_QUICKACK: number = 12;
/** Linux's `TCP_SYNCNT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_SYNCNT: number = 7;
/** Linux's `TCP_USER_TIMEOUT`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_USER_TIMEOUT: number = 18;
/** Linux's `TCP_WINDOW_CLAMP`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const TCP_WINDOW_CLAMP: number = 10;
/** Linux's `TIPC_ADDR_ID`: TIPC sockets, which Deno cannot open. */
export const TIPC_ADDR_ID: number = 3;
/** Linux's `TIPC_ADDR_NAME`: TIPC sockets, which Deno cannot open. */
export const TIPC_ADDR_NAME: number = 2;
/** Linux's `TIPC_ADDR_NAMESEQ`: TIPC sockets, which Deno cannot open. */
export const TIPC_ADDR_NAMESEQ: number = 1;
/** Linux's `TIPC_CFG_SRV`: TIPC sockets, which Deno cannot open. */
export const TIPC_CFG_SRV: number = 0;
/** Linux's `TIPC_CLUSTER_SCOPE`: TIPC sockets, which Deno cannot open. */
export const TIPC_CLUSTER_SCOPE: number = 2;
/** Linux's `TIPC_CONN_TIMEOUT`: TIPC sockets, which Deno cannot open. */
export const TIPC_CONN_TIMEOUT: number = 130;
/** Linux's `TIPC_CRITICAL_IMPORTANCE`: TIPC sockets, which Deno cannot open. */
export const TIPC_CRITICAL_IMPORTANCE: number = 3;
/** Linux's `TIPC_DEST_DROPPABLE`: TIPC sockets, which Deno cannot open. */
export const TIPC_DEST_DROPPABLE: number = 129;
/** Linux's `TIPC_HIGH_IMPORTANCE`: TIPC sockets, which Deno cannot open. */
export const TIPC_HIGH_IMPORTANCE: number = 2;
/** Linux's `TIPC_IMPORTANCE`: TIPC sockets, which Deno cannot open. */
export const TIPC_IMPORTANCE: number = 127;
/** Linux's `TIPC_LOW_IMPORTANCE`: TIPC sockets, which Deno cannot open. */
export const TIPC_LOW_IMPORTANCE: number = 0;
/** Linux's `TIPC_MEDIUM_IMPORTANCE`: TIPC sockets, which Deno cannot open. */
export const TIPC_MEDIUM_IMPORTANCE: number = 1;
/** Linux's `TIPC_NODE_SCOPE`: TIPC sockets, which Deno cannot open. */
export const TIPC_NODE_SCOPE: number = 3;
/** Linux's `TIPC_PUBLISHED`: TIPC sockets, which Deno cannot open. */
export const TIPC_PUBLISHED: number = 1;
/** Linux's `TIPC_SRC_DROPPABLE`: TIPC sockets, which Deno cannot open. */
export const TIPC_SRC_DROPPABLE: number = 128;
/** Linux's `TIPC_SUBSCR_TIMEOUT`: TIPC sockets, which Deno cannot open. */
export const TIPC_SUBSCR_TIMEOUT: number = 3;
/** Linux's `TIPC_SUB_CANCEL`: TIPC sockets, which Deno cannot open. */
export const TIPC_SUB_CANCEL: number = 4;
/** Linux's `TIPC_SUB_PORTS`: TIPC sockets, which Deno cannot open. */
export const TIPC_SUB_PORTS: number = 1;
/** Linux's `TIPC_SUB_SERVICE`: TIPC sockets, which Deno cannot open. */
export const TIPC_SUB_SERVICE: number = 2;
/** Linux's `TIPC_TOP_SRV`: TIPC sockets, which Deno cannot open. */
export const TIPC_TOP_SRV: number = 1;
/** Linux's `TIPC_WAIT_FOREVER`: TIPC sockets, which Deno cannot open. */
export const TIPC_WAIT_FOREVER: number = -1;
/** Linux's `TIPC_WITHDRAWN`: TIPC sockets, which Deno cannot open. */
export const TIPC_WITHDRAWN: number = 2;
/** Linux's `TIPC_ZONE_SCOPE`: TIPC sockets, which Deno cannot open. */
export const TIPC_ZONE_SCOPE: number = 1;
/** Linux's `UDPLITE_RECV_CSCOV`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const UDPLITE_RECV_CSCOV: number = 11;
/** Linux's `UDPLITE_SEND_CSCOV`: a socket option; see `setsockopt()` for the options pysocket honours. */
export const UDPLITE_SEND_CSCOV: number = 10;
/** Linux's `VMADDR_CID_ANY`: AF_VSOCK sockets, which Deno cannot open. */
export const VMADDR_CID_ANY: number = 4294967295;
/** Linux's `VMADDR_CID_HOST`: AF_VSOCK sockets, which Deno cannot open. */
export const VMADDR_CID_HOST: number = 2;
/** Linux's `VMADDR_PORT_ANY`: AF_VSOCK sockets, which Deno cannot open. */
export const VMADDR_PORT_ANY: number = 4294967295;
/** Linux's `VM_SOCKETS_INVALID_VERSION`: AF_VSOCK sockets, which Deno cannot open. */
export const VM_SOCKETS_INVALID_VERSION: number = 4294967295;

// Python's enums of the socket module (IntEnum / IntFlag): frozen objects of
// their members (plain numbers, so `s.family === AF_INET` holds), with
// `nameOf()` and `repr()` for Python's names.

/** What each of Python's socket enums has besides its members: the names Python prints. */
export interface IntEnumHelpers {
  /**
   * The name of the member `value` is (for a flag enum, the names of its
   * bits joined with `|`, as Python 3.11 prints them), or `null` when no
   * member has that value.
   *
   * @param value A number.
   * @returns The name, or `null`.
   */
  nameOf(value: number): string | null;
  /**
   * Python's `repr()` of the member: `<AddressFamily.AF_INET: 2>`,
   * `<MsgFlag.MSG_PEEK|MSG_DONTWAIT: 66>`; for a value that is no member,
   * the number, as Python's socket functions return plain ints then.
   *
   * @param value A number.
   * @returns The repr.
   */
  repr(value: number): string;
}

function intEnum<K extends string>(
  name: string,
  members: Record<K, number>,
  flag: boolean,
): Readonly<Record<K, number>> & IntEnumHelpers {
  // The first name of a value is its canonical one; later ones are aliases.
  const canonical = new Map<number, string>();
  for (const [key, value] of Object.entries<number>(members)) {
    if (!canonical.has(value)) canonical.set(value, key);
  }
  const nameOf = (value: number): string | null => {
    const exact = canonical.get(value);
    if (exact !== undefined || !flag) return exact ?? null;
    const parts: string[] = [];
    let rest = value;
    const bits = [...canonical].filter(([v]) => v > 0 && (v & (v - 1)) === 0)
      .sort(([a], [b]) => a - b);
    for (const [bit, key] of bits) {
      if ((rest & bit) === bit) {
        parts.push(key);
        rest &= ~bit;
      }
    }
    if (parts.length === 0) return null;
    if (rest !== 0) parts.push(String(rest >>> 0));
    return parts.join("|");
  };
  const repr = (value: number): string => {
    const key = nameOf(value);
    if (key !== null) return `<${name}.${key}: ${value}>`;
    return flag && Number.isInteger(value) && value >= 0 ? `<${name}: ${value}>` : String(value);
  };
  const object = { ...members };
  Object.defineProperty(object, "nameOf", { value: nameOf });
  Object.defineProperty(object, "repr", { value: repr });
  return Object.freeze(object) as Readonly<Record<K, number>> & IntEnumHelpers;
}

/** The member names of {@linkcode AddressFamily}, as in Python on Linux. */
export type AddressFamilyName =
  | "AF_UNSPEC"
  | "AF_UNIX"
  | "AF_INET"
  | "AF_AX25"
  | "AF_IPX"
  | "AF_APPLETALK"
  | "AF_NETROM"
  | "AF_BRIDGE"
  | "AF_ATMPVC"
  | "AF_X25"
  | "AF_INET6"
  | "AF_ROSE"
  | "AF_NETBEUI"
  | "AF_SECURITY"
  | "AF_KEY"
  | "AF_NETLINK"
  | "AF_ROUTE"
  | "AF_PACKET"
  | "AF_ASH"
  | "AF_ECONET"
  | "AF_ATMSVC"
  | "AF_RDS"
  | "AF_SNA"
  | "AF_IRDA"
  | "AF_PPPOX"
  | "AF_WANPIPE"
  | "AF_LLC"
  | "AF_CAN"
  | "AF_TIPC"
  | "AF_ALG"
  | "AF_VSOCK"
  | "AF_QIPCRTR";

/**
 * Like Python's `socket.AddressFamily` (an `IntEnum`): the address families: the `family` of a socket and of `getaddrinfo()`'s entries.
 * The members are plain numbers; `nameOf()` and `repr()` give Python's names.
 *
 * @example
 * ```ts
 * import { AddressFamily, AF_INET } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(AddressFamily.AF_INET, AF_INET);
 * assert.equal(AddressFamily.repr(AF_INET), "<AddressFamily.AF_INET: 2>");
 * ```
 */
export const AddressFamily: Readonly<Record<AddressFamilyName, number>> & IntEnumHelpers = intEnum(
  "AddressFamily",
  {
    AF_UNSPEC,
    AF_UNIX,
    AF_INET,
    AF_AX25,
    AF_IPX,
    AF_APPLETALK,
    AF_NETROM,
    AF_BRIDGE,
    AF_ATMPVC,
    AF_X25,
    AF_INET6,
    AF_ROSE,
    AF_NETBEUI,
    AF_SECURITY,
    AF_KEY,
    AF_NETLINK,
    AF_ROUTE,
    AF_PACKET,
    AF_ASH,
    AF_ECONET,
    AF_ATMSVC,
    AF_RDS,
    AF_SNA,
    AF_IRDA,
    AF_PPPOX,
    AF_WANPIPE,
    AF_LLC,
    AF_CAN,
    AF_TIPC,
    AF_ALG,
    AF_VSOCK,
    AF_QIPCRTR,
  },
  false,
);
/** A member of {@linkcode AddressFamily}: a plain number, as Python's IntEnum members are ints. */
export type AddressFamily = number;

/** The member names of {@linkcode SocketKind}, as in Python on Linux. */
export type SocketKindName =
  | "SOCK_STREAM"
  | "SOCK_DGRAM"
  | "SOCK_RAW"
  | "SOCK_RDM"
  | "SOCK_SEQPACKET"
  | "SOCK_NONBLOCK"
  | "SOCK_CLOEXEC";

/**
 * Like Python's `socket.SocketKind` (an `IntEnum`): the socket types: the `type` of a socket and of `getaddrinfo()`'s entries.
 * The members are plain numbers; `nameOf()` and `repr()` give Python's names.
 *
 * @example
 * ```ts
 * import { SocketKind, SOCK_STREAM } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SocketKind.SOCK_STREAM, SOCK_STREAM);
 * assert.equal(SocketKind.repr(SOCK_STREAM), "<SocketKind.SOCK_STREAM: 1>");
 * ```
 */
export const SocketKind: Readonly<Record<SocketKindName, number>> & IntEnumHelpers = intEnum(
  "SocketKind",
  {
    SOCK_STREAM,
    SOCK_DGRAM,
    SOCK_RAW,
    SOCK_RDM,
    SOCK_SEQPACKET,
    SOCK_NONBLOCK,
    SOCK_CLOEXEC,
  },
  false,
);
/** A member of {@linkcode SocketKind}: a plain number, as Python's IntEnum members are ints. */
export type SocketKind = number;

/** The member names of {@linkcode MsgFlag}, as in Python on Linux. */
export type MsgFlagName =
  | "MSG_OOB"
  | "MSG_PEEK"
  | "MSG_DONTROUTE"
  | "MSG_CTRUNC"
  | "MSG_TRUNC"
  | "MSG_DONTWAIT"
  | "MSG_EOR"
  | "MSG_WAITALL"
  | "MSG_CONFIRM"
  | "MSG_ERRQUEUE"
  | "MSG_NOSIGNAL"
  | "MSG_MORE"
  | "MSG_FASTOPEN"
  | "MSG_CMSG_CLOEXEC";

/**
 * Like Python's `socket.MsgFlag` (an `IntFlag`): the flags of `send()` and `recv()`.
 * The members are plain numbers; `nameOf()` and `repr()` give Python's names.
 *
 * @example
 * ```ts
 * import { MsgFlag, MSG_PEEK } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(MsgFlag.MSG_PEEK, MSG_PEEK);
 * assert.equal(MsgFlag.repr(MSG_PEEK), "<MsgFlag.MSG_PEEK: 2>");
 * ```
 */
export const MsgFlag: Readonly<Record<MsgFlagName, number>> & IntEnumHelpers = intEnum(
  "MsgFlag",
  {
    MSG_OOB,
    MSG_PEEK,
    MSG_DONTROUTE,
    MSG_CTRUNC,
    MSG_TRUNC,
    MSG_DONTWAIT,
    MSG_EOR,
    MSG_WAITALL,
    MSG_CONFIRM,
    MSG_ERRQUEUE,
    MSG_NOSIGNAL,
    MSG_MORE,
    MSG_FASTOPEN,
    MSG_CMSG_CLOEXEC,
  },
  true,
);
/** A member of {@linkcode MsgFlag}: a plain number, as Python's IntEnum members are ints. */
export type MsgFlag = number;

/** The member names of {@linkcode AddressInfo}, as in Python on Linux. */
export type AddressInfoName =
  | "AI_PASSIVE"
  | "AI_CANONNAME"
  | "AI_NUMERICHOST"
  | "AI_V4MAPPED"
  | "AI_ALL"
  | "AI_ADDRCONFIG"
  | "AI_NUMERICSERV";

/**
 * Like Python's `socket.AddressInfo` (an `IntFlag`): the flags of `getaddrinfo()`.
 * The members are plain numbers; `nameOf()` and `repr()` give Python's names.
 *
 * @example
 * ```ts
 * import { AddressInfo, AI_PASSIVE } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(AddressInfo.AI_PASSIVE, AI_PASSIVE);
 * assert.equal(AddressInfo.repr(AI_PASSIVE), "<AddressInfo.AI_PASSIVE: 1>");
 * ```
 */
export const AddressInfo: Readonly<Record<AddressInfoName, number>> & IntEnumHelpers = intEnum(
  "AddressInfo",
  {
    AI_PASSIVE,
    AI_CANONNAME,
    AI_NUMERICHOST,
    AI_V4MAPPED,
    AI_ALL,
    AI_ADDRCONFIG,
    AI_NUMERICSERV,
  },
  true,
);
/** A member of {@linkcode AddressInfo}: a plain number, as Python's IntEnum members are ints. */
export type AddressInfo = number;
