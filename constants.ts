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
 * (`EDEADLK` there).
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
export const AF_UNIX: number = 1;
/** Address family: IPv4, addressed by `[host, port]`. */
export const AF_INET: number = 2;
/** Address family: IPv6, addressed by `[host, port, flowinfo, scope_id]`. */
export const AF_INET6: number = darwin ? 30 : 10;
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
export const SOCK_STREAM: number = 1;
/** Socket type: datagrams (UDP for AF_INET / AF_INET6). */
export const SOCK_DGRAM: number = 2;
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
