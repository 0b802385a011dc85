// Copyright 2025 the pysocket authors. MIT license.
/**
 * Python's `ssl` module over pysocket sockets: `SSLContext`,
 * `wrap_socket()`, `SSLSocket` with Python's three modes, STARTTLS in both
 * directions, and Python's error classes.
 *
 * ```ts ignore
 * import * as socket from "jsr:@pysocket/socket";
 * import * as ssl from "jsr:@pysocket/socket/ssl";
 *
 * const ctx = ssl.create_default_context();
 * await using sock = await socket.create_connection(["example.com", 443]);
 * await using tls = await ctx.wrap_socket(sock, { server_hostname: "example.com" });
 * await tls.sendall("HEAD / HTTP/1.0\r\nHost: example.com\r\n\r\n");
 * console.log(new TextDecoder().decode(await tls.recv(4096)));
 * ```
 *
 * ## Design
 *
 * TLS is `node:tls` (in Deno: rustls behind Node's API) running over a
 * small `Duplex` whose reads are the inner socket's `recv(65536)` and whose
 * writes are its `sendall()`. The adapter uses only the public `Socket`
 * API, and the inner socket's receive buffer is shared: bytes a program
 * already buffered behind a `readline()` (the ClientHello of a STARTTLS
 * peer) are the first bytes TLS reads, so nothing is lost or read twice.
 * `Deno.startTls` was the other candidate and was rejected: it is
 * client-only, takes no client certificate, and destroys the connection
 * when a read is pending on it (our receive engine usually has one posted),
 * so it cannot take over a socket that has read anything (STARTTLS).
 * A server uses `tls.Server`'s machinery (fed with `emit("connection")`),
 * the only path where `node:tls` enforces client certificates.
 *
 * As Python's `wrap_socket()`, the `SSLSocket` takes over the inner
 * socket's timeout and puts the inner socket in blocking mode. The
 * `SSLSocket` keeps its own buffer of decrypted bytes and applies the three
 * modes to it: a timeout raises `TimeoutError` (`The read operation timed
 * out`, as Python) and a non-blocking call `SSLWantReadError` /
 * `SSLWantWriteError`; nothing is lost in either case. The buffer is
 * bounded: when it holds `SO_RCVBUF` bytes the TLS stream is paused, so a
 * slow reader slows the sender.
 *
 * Measured (Deno 2.9.6, loopback, 64 MiB): bulk transfer runs at about
 * 95% of Deno's own `node:tls` over `node:net`, which itself reaches about
 * half of native `Deno.connectTls` (`bench/_tls.ts`). The native path is not
 * used because a socket that is already connected (STARTTLS, every server)
 * cannot be handed to it: see the first point below.
 *
 * ## Differences from Python
 *
 * Every public name of Python 3.11's `ssl` module is exported, or listed
 * here (a test checks this against python3's `dir(ssl)`).
 *
 * ### Different, and how
 *
 * - `wrap_socket` — `SSLContext.wrap_socket()` returns a promise (it handshakes).
 * - `SSLSocket` — calls that wait return promises, as for `Socket`.
 * - `DefaultVerifyPaths` — a TypeScript interface (Python: a named tuple).
 * - `set_ciphers` — the string is checked and kept, not applied: rustls
 *   negotiates among its own AEAD suites.
 * - `OPENSSL_VERSION` — honest: rustls under Deno's `node:tls`, not OpenSSL.
 * - `SSLError` — the message is `[SSL: REASON] text`, without Python's
 *   `(_ssl.c:NNN)` source location. The error on this side is Python's
 *   (class, message, `errno`, `library`, `reason`, `verify_code`), but
 *   when this side fails a handshake (an untrusted, expired or misnamed
 *   certificate, no common protocol version, a missing client certificate)
 *   it closes without sending a TLS alert: the peer sees an end of stream
 *   (`SSLEOFError` in Python) instead of `TLSV1_ALERT_UNKNOWN_CA` and friends.
 * - `CERT_OPTIONAL` — on a server, a certificate that is given and fails
 *   verification fails the handshake after it completed.
 * - `shutdown` — `SHUT_WR` sends close_notify first and the socket stays
 *   TLS (Python drops TLS, sends no close_notify and shuts down the raw
 *   socket).
 * - `close` — sends close_notify first (waiting at most the timeout, 5 s
 *   without one); Python's `close()` sends none (a ragged close: its TLS
 *   shutdown is `unwrap()`).
 * - `unwrap` — returns the inner `Socket` (Python returns the same socket
 *   object, now plain); this `SSLSocket` then only closes (which closes that
 *   socket too, as in Python) and its other calls raise `OSError` (`EBADF`).
 *   Plaintext the peer sends after its close_notify stays in the socket
 *   when it follows this side's close_notify (as Python's `unwrap()` peers
 *   do); a peer that sends plaintext right behind a close_notify it sent
 *   first, unasked, may have some of it read by TLS and lost.
 * - `suppress_ragged_eofs` — an end of stream without close_notify reads as
 *   an end of stream even when it is `false` (`node:tls` reports both the
 *   same way); `SSLEOFError` is raised when the transport fails instead.
 * - `TimeoutError` — messages as Python's (`The read operation timed out`,
 *   `The handshake operation timed out`), without the `_ssl.c:NNN:` prefix.
 * - `VERIFY_X509_STRICT`, `VERIFY_CRL_CHECK_LEAF`, `VERIFY_CRL_CHECK_CHAIN`,
 *   `OP_NO_COMPRESSION` and the other `OP_*` / `VERIFY_*` flags — kept in
 *   `options` / `verify_flags`; only `OP_NO_TLSv1_2` / `OP_NO_TLSv1_3`
 *   (and `minimum_version` / `maximum_version`) change a handshake.
 *
 * ### Not supported, and why
 *
 * - `SSLObject` — no memory-BIO TLS object in `node:tls`.
 * - `MemoryBIO` — as `SSLObject`.
 * - `SSLSession` — sessions are not exposed (`session` is `null`).
 * - `PROTOCOL_TLSv1` — TLS 1.0 is not available in rustls.
 * - `PROTOCOL_TLSv1_1` — TLS 1.1 is not available in rustls.
 * - `RAND_pseudo_bytes` — removed in Python 3.12; use `RAND_bytes`.
 * - `match_hostname` — removed in Python 3.12; `check_hostname` does it.
 * - `get_protocol_name` — an undocumented helper.
 * - `sni_callback` — no server-name callback (`set_servername_callback` too).
 * - `wrap_bio`, `sslobject_class`, `sslsocket_class` — no `SSLObject`; the
 *   socket class is fixed.
 * - `set_npn_protocols` — NPN is obsolete (`HAS_NPN` is false); use ALPN.
 * - `detach`, `dup`, `get_inheritable`, `set_inheritable`, `recvmsg`,
 *   `recvmsg_into`, `sendmsg`, `sendmsg_afalg` — as for `Socket` (see
 *   `mod.ts`): Deno exposes no descriptors or ancillary data.
 * - `get_channel_binding` — returns `null`: rustls exposes no `tls-unique`.
 * - `verify_client_post_handshake` — rustls has no post-handshake authentication.
 * - `keylog_filename` — not exposed by `node:tls` in Deno.
 * - `socket`, `create_connection`, `SOCK_STREAM`, `SOL_SOCKET`, `SO_TYPE`,
 *   `socket_error`, `errno`, `os`, `sys`, `warnings`, `base64`, `namedtuple`
 *   — modules and names Python's `ssl` imports for itself, not its API (use
 *   pysocket's own).
 *
 * @module
 */

import tls from "node:tls";
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { type Address, type Data, Socket } from "./socket.ts";
import type { MakefileOptions } from "./file_object.ts";
import { FileObject } from "./file_object.ts";
import type { FileBackend } from "./_backend.ts";
import { OSError, TimeoutError } from "./errors.ts";
import { EBADF, ENOTCONN, SHUT_RDWR, SHUT_WR } from "./constants.ts";
import { strerror } from "./_errno.ts";
import {
  type Pollable,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLRDHUP,
  readiness,
  type Selectable,
  Watchers,
} from "./_readiness.ts";
import { SocketDuplex } from "./_tls_adapter.ts";
import { decodeCertificate, derToPem, type PeerCert, pemBlocks, pemToDer } from "./_ssl_cert.ts";
import {
  fromTlsError,
  SSL_ERROR_EOF,
  SSL_ERROR_SSL,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  sslError,
  SSLWantReadError,
  SSLWantWriteError,
} from "./_ssl_errors.ts";

export {
  SSL_ERROR_EOF,
  SSL_ERROR_INVALID_ERROR_CODE,
  SSL_ERROR_SSL,
  SSL_ERROR_SYSCALL,
  SSL_ERROR_WANT_CONNECT,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_X509_LOOKUP,
  SSL_ERROR_ZERO_RETURN,
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLSyscallError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
} from "./_ssl_errors.ts";
export type { CertName, PeerCert } from "./_ssl_cert.ts";
export type { Address, Data, Socket } from "./socket.ts";
export type { FileObject, MakefileOptions } from "./file_object.ts";
export { OSError } from "./errors.ts";
export { type Pollable, readiness } from "./_readiness.ts";

/** Python's alias of `SSLCertVerificationError`. */
export const CertificateError: typeof SSLCertVerificationError = SSLCertVerificationError;
/** Python's alias of `SSLCertVerificationError`. */
export type CertificateError = SSLCertVerificationError;

// ------------------------------------------------------------------ constants

/** Negotiate the highest version both sides support (client or server). */
export const PROTOCOL_TLS = 2;
/** Python's deprecated alias of `PROTOCOL_TLS`. */
// deno-lint-ignore camelcase
export const PROTOCOL_SSLv23 = 2;
/** A client context: `check_hostname` and `CERT_REQUIRED` by default. */
export const PROTOCOL_TLS_CLIENT = 16;
/** A server context. */
export const PROTOCOL_TLS_SERVER = 17;

/** The peer's certificate is not asked for or not checked. */
export const CERT_NONE = 0;
/** Checked when given (a server asks for it but does not require it). */
export const CERT_OPTIONAL = 1;
/** Required and checked. */
export const CERT_REQUIRED = 2;

/** Python's `ssl.VerifyMode` values. */
export const VerifyMode = { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED } as const;

/** Python's `ssl.VERIFY_*` flags (stored in `verify_flags`; only the default applies). */
export const VERIFY_DEFAULT = 0;
/** Python's `ssl.VERIFY_CRL_CHECK_LEAF` (not applied: no CRL support). */
export const VERIFY_CRL_CHECK_LEAF = 4;
/** Python's `ssl.VERIFY_CRL_CHECK_CHAIN` (not applied: no CRL support). */
export const VERIFY_CRL_CHECK_CHAIN = 12;
/** Python's `ssl.VERIFY_X509_STRICT` (rustls is always strict). */
export const VERIFY_X509_STRICT = 32;
/** Python's `ssl.VERIFY_ALLOW_PROXY_CERTS` (not applied). */
export const VERIFY_ALLOW_PROXY_CERTS = 64;
/** Python's `ssl.VERIFY_X509_TRUSTED_FIRST` (rustls always behaves so). */
export const VERIFY_X509_TRUSTED_FIRST = 32768;
/** Python's `ssl.VERIFY_X509_PARTIAL_CHAIN` (not applied). */
export const VERIFY_X509_PARTIAL_CHAIN = 0x80000;

/** Python's `ssl.OP_*` flags: stored in `options`; see each for what applies. */
export const OP_ALL = 0x80000050;
/** Always set, as Python: SSLv2 does not exist here. */
// deno-lint-ignore camelcase
export const OP_NO_SSLv2 = 0;
/** Always set, as Python: SSLv3 does not exist here. */
// deno-lint-ignore camelcase
export const OP_NO_SSLv3 = 0x02000000;
/** Applied through `minimum_version` (TLS 1.0 is unavailable anyway). */
// deno-lint-ignore camelcase
export const OP_NO_TLSv1 = 0x04000000;
/** Applied through `minimum_version` (TLS 1.1 is unavailable anyway). */
// deno-lint-ignore camelcase
export const OP_NO_TLSv1_1 = 0x10000000;
/** Applied: raises the minimum version to TLS 1.3. */
// deno-lint-ignore camelcase
export const OP_NO_TLSv1_2 = 0x08000000;
/** Applied: lowers the maximum version to TLS 1.2. */
// deno-lint-ignore camelcase
export const OP_NO_TLSv1_3 = 0x20000000;
/** Stored only: rustls never compresses. */
export const OP_NO_COMPRESSION = 0x20000;
/** Stored only. */
export const OP_CIPHER_SERVER_PREFERENCE = 0x400000;
/** Stored only. */
export const OP_SINGLE_DH_USE = 0;
/** Stored only. */
export const OP_SINGLE_ECDH_USE = 0;
/** Stored only: rustls never renegotiates. */
export const OP_NO_RENEGOTIATION = 0x40000000;
/** Stored only. */
export const OP_NO_TICKET = 0x4000;
/** Stored only. */
export const OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000;
/** Stored only. */
export const OP_IGNORE_UNEXPECTED_EOF = 0x80;
/** Stored only. */
export const OP_LEGACY_SERVER_CONNECT = 0x4;
/** Stored only. */
export const OP_ENABLE_KTLS = 0x8;

/** Python's `ssl.Options` values. */
export const Options = {
  OP_ALL,
  OP_NO_SSLv2,
  OP_NO_SSLv3,
  OP_NO_TLSv1,
  OP_NO_TLSv1_1,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_3,
  OP_NO_COMPRESSION,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_SINGLE_DH_USE,
  OP_SINGLE_ECDH_USE,
  OP_NO_RENEGOTIATION,
  OP_NO_TICKET,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_IGNORE_UNEXPECTED_EOF,
  OP_LEGACY_SERVER_CONNECT,
  OP_ENABLE_KTLS,
} as const;

/** Python's `ssl.TLSVersion`. */
export const TLSVersion = {
  MINIMUM_SUPPORTED: -2,
  MAXIMUM_SUPPORTED: -1,
  SSLv3: 0x300,
  TLSv1: 0x301,
  TLSv1_1: 0x302,
  TLSv1_2: 0x303,
  TLSv1_3: 0x304,
} as const;

/** Python's `ssl.PROTOCOL_TLSv1_2` (deprecated in Python): TLS 1.2 only, client or server. */
// deno-lint-ignore camelcase
export const PROTOCOL_TLSv1_2 = 5;

/** Python's `ssl.VerifyFlags` values. */
export const VerifyFlags = {
  VERIFY_DEFAULT,
  VERIFY_CRL_CHECK_LEAF,
  VERIFY_CRL_CHECK_CHAIN,
  VERIFY_X509_STRICT,
  VERIFY_ALLOW_PROXY_CERTS,
  VERIFY_X509_TRUSTED_FIRST,
  VERIFY_X509_PARTIAL_CHAIN,
} as const;

/** Python's `ssl.SSLErrorNumber` values. */
export const SSLErrorNumber = {
  SSL_ERROR_SSL,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_X509_LOOKUP: 4,
  SSL_ERROR_SYSCALL: 5,
  SSL_ERROR_ZERO_RETURN: 6,
  SSL_ERROR_WANT_CONNECT: 7,
  SSL_ERROR_EOF,
  SSL_ERROR_INVALID_ERROR_CODE: 10,
} as const;

/** Python's `ssl.AlertDescription`: TLS alert numbers (RFC 8446). */
export const AlertDescription = {
  ALERT_DESCRIPTION_CLOSE_NOTIFY: 0,
  ALERT_DESCRIPTION_UNEXPECTED_MESSAGE: 10,
  ALERT_DESCRIPTION_BAD_RECORD_MAC: 20,
  ALERT_DESCRIPTION_RECORD_OVERFLOW: 22,
  ALERT_DESCRIPTION_DECOMPRESSION_FAILURE: 30,
  ALERT_DESCRIPTION_HANDSHAKE_FAILURE: 40,
  ALERT_DESCRIPTION_BAD_CERTIFICATE: 42,
  ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE: 43,
  ALERT_DESCRIPTION_CERTIFICATE_REVOKED: 44,
  ALERT_DESCRIPTION_CERTIFICATE_EXPIRED: 45,
  ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN: 46,
  ALERT_DESCRIPTION_ILLEGAL_PARAMETER: 47,
  ALERT_DESCRIPTION_UNKNOWN_CA: 48,
  ALERT_DESCRIPTION_ACCESS_DENIED: 49,
  ALERT_DESCRIPTION_DECODE_ERROR: 50,
  ALERT_DESCRIPTION_DECRYPT_ERROR: 51,
  ALERT_DESCRIPTION_PROTOCOL_VERSION: 70,
  ALERT_DESCRIPTION_INSUFFICIENT_SECURITY: 71,
  ALERT_DESCRIPTION_INTERNAL_ERROR: 80,
  ALERT_DESCRIPTION_USER_CANCELLED: 90,
  ALERT_DESCRIPTION_NO_RENEGOTIATION: 100,
  ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION: 110,
  ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE: 111,
  ALERT_DESCRIPTION_UNRECOGNIZED_NAME: 112,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE: 113,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE: 114,
  ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY: 115,
} as const;
/** TLS alert `close_notify`. */
export const ALERT_DESCRIPTION_CLOSE_NOTIFY: number =
  AlertDescription.ALERT_DESCRIPTION_CLOSE_NOTIFY;
/** TLS alert `unexpected_message`. */
export const ALERT_DESCRIPTION_UNEXPECTED_MESSAGE: number =
  AlertDescription.ALERT_DESCRIPTION_UNEXPECTED_MESSAGE;
/** TLS alert `bad_record_mac`. */
export const ALERT_DESCRIPTION_BAD_RECORD_MAC: number =
  AlertDescription.ALERT_DESCRIPTION_BAD_RECORD_MAC;
/** TLS alert `record_overflow`. */
export const ALERT_DESCRIPTION_RECORD_OVERFLOW: number =
  AlertDescription.ALERT_DESCRIPTION_RECORD_OVERFLOW;
/** TLS alert `decompression_failure`. */
export const ALERT_DESCRIPTION_DECOMPRESSION_FAILURE: number =
  AlertDescription.ALERT_DESCRIPTION_DECOMPRESSION_FAILURE;
/** TLS alert `handshake_failure`. */
export const ALERT_DESCRIPTION_HANDSHAKE_FAILURE: number =
  AlertDescription.ALERT_DESCRIPTION_HANDSHAKE_FAILURE;
/** TLS alert `bad_certificate`. */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE: number =
  AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE;
/** TLS alert `unsupported_certificate`. */
export const ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE: number =
  AlertDescription.ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE;
/** TLS alert `certificate_revoked`. */
export const ALERT_DESCRIPTION_CERTIFICATE_REVOKED: number =
  AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_REVOKED;
/** TLS alert `certificate_expired`. */
export const ALERT_DESCRIPTION_CERTIFICATE_EXPIRED: number =
  AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_EXPIRED;
/** TLS alert `certificate_unknown`. */
export const ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN: number =
  AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN;
/** TLS alert `illegal_parameter`. */
export const ALERT_DESCRIPTION_ILLEGAL_PARAMETER: number =
  AlertDescription.ALERT_DESCRIPTION_ILLEGAL_PARAMETER;
/** TLS alert `unknown_ca`. */
export const ALERT_DESCRIPTION_UNKNOWN_CA: number = AlertDescription.ALERT_DESCRIPTION_UNKNOWN_CA;
/** TLS alert `access_denied`. */
export const ALERT_DESCRIPTION_ACCESS_DENIED: number =
  AlertDescription.ALERT_DESCRIPTION_ACCESS_DENIED;
/** TLS alert `decode_error`. */
export const ALERT_DESCRIPTION_DECODE_ERROR: number =
  AlertDescription.ALERT_DESCRIPTION_DECODE_ERROR;
/** TLS alert `decrypt_error`. */
export const ALERT_DESCRIPTION_DECRYPT_ERROR: number =
  AlertDescription.ALERT_DESCRIPTION_DECRYPT_ERROR;
/** TLS alert `protocol_version`. */
export const ALERT_DESCRIPTION_PROTOCOL_VERSION: number =
  AlertDescription.ALERT_DESCRIPTION_PROTOCOL_VERSION;
/** TLS alert `insufficient_security`. */
export const ALERT_DESCRIPTION_INSUFFICIENT_SECURITY: number =
  AlertDescription.ALERT_DESCRIPTION_INSUFFICIENT_SECURITY;
/** TLS alert `internal_error`. */
export const ALERT_DESCRIPTION_INTERNAL_ERROR: number =
  AlertDescription.ALERT_DESCRIPTION_INTERNAL_ERROR;
/** TLS alert `user_cancelled`. */
export const ALERT_DESCRIPTION_USER_CANCELLED: number =
  AlertDescription.ALERT_DESCRIPTION_USER_CANCELLED;
/** TLS alert `no_renegotiation`. */
export const ALERT_DESCRIPTION_NO_RENEGOTIATION: number =
  AlertDescription.ALERT_DESCRIPTION_NO_RENEGOTIATION;
/** TLS alert `unsupported_extension`. */
export const ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION: number =
  AlertDescription.ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION;
/** TLS alert `certificate_unobtainable`. */
export const ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE: number =
  AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE;
/** TLS alert `unrecognized_name`. */
export const ALERT_DESCRIPTION_UNRECOGNIZED_NAME: number =
  AlertDescription.ALERT_DESCRIPTION_UNRECOGNIZED_NAME;
/** TLS alert `bad_certificate_status_response`. */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE: number =
  AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE;
/** TLS alert `bad_certificate_hash_value`. */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE: number =
  AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE;
/** TLS alert `unknown_psk_identity`. */
export const ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY: number =
  AlertDescription.ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY;

/** Python's `ssl.PEM_HEADER`. */
export const PEM_HEADER = "-----BEGIN CERTIFICATE-----";
/** Python's `ssl.PEM_FOOTER`. */
export const PEM_FOOTER = "-----END CERTIFICATE-----";

/** Server Name Indication is supported. */
export const HAS_SNI = true;
/** ALPN is supported. */
export const HAS_ALPN = true;
/** NPN is not (it is obsolete). */
export const HAS_NPN = false;
/** Elliptic-curve key exchange is supported. */
export const HAS_ECDH = true;
/** Python's `HAS_NEVER_CHECK_COMMON_NAME`: the common name is never used for hostnames. */
export const HAS_NEVER_CHECK_COMMON_NAME = true;
/** SSL 2 is unavailable. */
// deno-lint-ignore camelcase
export const HAS_SSLv2 = false;
/** SSL 3 is unavailable. */
// deno-lint-ignore camelcase
export const HAS_SSLv3 = false;
/** TLS 1.0 is unavailable (rustls). */
// deno-lint-ignore camelcase
export const HAS_TLSv1 = false;
/** TLS 1.1 is unavailable (rustls). */
// deno-lint-ignore camelcase
export const HAS_TLSv1_1 = false;
/** TLS 1.2 is available. */
// deno-lint-ignore camelcase
export const HAS_TLSv1_2 = true;
/** TLS 1.3 is available. */
// deno-lint-ignore camelcase
export const HAS_TLSv1_3 = true;
/** Python's `CHANNEL_BINDING_TYPES`: none (`get_channel_binding()` is unsupported). */
export const CHANNEL_BINDING_TYPES: readonly string[] = [];

/**
 * The TLS library, honestly: Deno's `node:tls`, which is rustls (Deno's
 * `process.versions.openssl` claims an OpenSSL version it does not link).
 */
export const OPENSSL_VERSION: string = `rustls (Deno ${Deno.version.deno} node:tls)`;
/** Deno's version as Python's 5-tuple (major, minor, patch, 0, 0). */
export const OPENSSL_VERSION_INFO: readonly number[] = [
  ...Deno.version.deno.split(".").map((n) => Number.parseInt(n, 10) || 0),
  0,
  0,
].slice(0, 5);
/** `OPENSSL_VERSION_INFO` packed as OpenSSL packs it. */
export const OPENSSL_VERSION_NUMBER: number = OPENSSL_VERSION_INFO[0] * 0x10000000 +
  OPENSSL_VERSION_INFO[1] * 0x100000 + OPENSSL_VERSION_INFO[2] * 0x1000;

/** Python's `ssl.Purpose`: what a default context is for. */
export class Purpose {
  /** A client verifying servers (OID 1.3.6.1.5.5.7.3.1). */
  static readonly SERVER_AUTH: Purpose = new Purpose(
    129,
    "serverAuth",
    "TLS Web Server Authentication",
    "1.3.6.1.5.5.7.3.1",
  );
  /** A server verifying clients (OID 1.3.6.1.5.5.7.3.2). */
  static readonly CLIENT_AUTH: Purpose = new Purpose(
    130,
    "clientAuth",
    "TLS Web Client Authentication",
    "1.3.6.1.5.5.7.3.2",
  );
  private constructor(
    /** OpenSSL's NID. */
    readonly nid: number,
    /** Short name. */
    readonly shortname: string,
    /** Long name. */
    readonly longname: string,
    /** The OID. */
    readonly oid: string,
  ) {}
}

/** Python's `ssl.DefaultVerifyPaths`. */
export interface DefaultVerifyPaths {
  /** `SSL_CERT_FILE` when set and the file exists, else `null`. */
  cafile: string | null;
  /** `SSL_CERT_DIR` when set and the directory exists, else `null`. */
  capath: string | null;
  /** The variable naming a CA file. */
  // deno-lint-ignore camelcase
  openssl_cafile_env: string;
  /** The built-in CA file (none: the roots are built into Deno). */
  // deno-lint-ignore camelcase
  openssl_cafile: string;
  /** The variable naming a CA directory. */
  // deno-lint-ignore camelcase
  openssl_capath_env: string;
  /** The built-in CA directory (none). */
  // deno-lint-ignore camelcase
  openssl_capath: string;
}

function exists(path: string, dir: boolean): boolean {
  try {
    const info = Deno.statSync(path);
    return dir ? info.isDirectory : info.isFile;
  } catch {
    return false;
  }
}

/**
 * Like Python's `ssl.get_default_verify_paths()`. The default CAs are the
 * Mozilla roots built into Deno, plus `SSL_CERT_FILE` / `SSL_CERT_DIR`
 * when set (as OpenSSL honours them).
 *
 * @returns The paths.
 */
// deno-lint-ignore camelcase
export function get_default_verify_paths(): DefaultVerifyPaths {
  const file = Deno.env.get("SSL_CERT_FILE") ?? "";
  const dir = Deno.env.get("SSL_CERT_DIR") ?? "";
  return {
    cafile: file && exists(file, false) ? file : null,
    capath: dir && exists(dir, true) ? dir : null,
    openssl_cafile_env: "SSL_CERT_FILE",
    openssl_cafile: "",
    openssl_capath_env: "SSL_CERT_DIR",
    openssl_capath: "",
  };
}

/**
 * Like Python's `ssl.DER_cert_to_PEM_cert()`.
 *
 * @param der The certificate in DER.
 * @returns The PEM text.
 */
// deno-lint-ignore camelcase
export function DER_cert_to_PEM_cert(der: Uint8Array): string {
  return derToPem(der);
}

/**
 * Like Python's `ssl.PEM_cert_to_DER_cert()`.
 *
 * @param pem The certificate in PEM.
 * @returns The DER bytes.
 * @throws {RangeError} Without the PEM markers (Python's `ValueError`).
 */
// deno-lint-ignore camelcase
export function PEM_cert_to_DER_cert(pem: string): Uint8Array {
  const der = pemToDer(pem);
  if (der === null) {
    throw new RangeError(`Invalid PEM encoding; must start with -----BEGIN CERTIFICATE-----`);
  }
  return der;
}

/**
 * Like Python's `ssl.cert_time_to_seconds()`: `"Jan  5 09:34:43 2018 GMT"`
 * to seconds since the epoch.
 *
 * @param text The time, as in `notBefore`.
 * @returns Seconds since the epoch.
 * @throws {RangeError} For another format.
 */
// deno-lint-ignore camelcase
export function cert_time_to_seconds(text: string): number {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text);
  const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const month = m ? months.indexOf(m[1]) : -1;
  if (!m || month % 3 !== 0) {
    throw new RangeError(`time data '${text}' does not match format '%b %d %H:%M:%S %Y GMT'`);
  }
  return Date.UTC(+m[6], month / 3, +m[2], +m[3], +m[4], +m[5]) / 1000;
}

/**
 * Like Python's `ssl.RAND_bytes()`.
 *
 * @param n How many bytes.
 * @returns Random bytes.
 */
// deno-lint-ignore camelcase
export function RAND_bytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/**
 * Like Python's `ssl.RAND_status()`: the generator is always seeded.
 *
 * @returns `true`.
 */
// deno-lint-ignore camelcase
export function RAND_status(): boolean {
  return true;
}

/**
 * Like Python's `ssl.RAND_add()`: accepted and ignored (the platform's
 * generator seeds itself).
 *
 * @param _data Ignored.
 * @param _entropy Ignored.
 */
// deno-lint-ignore camelcase
export function RAND_add(_data: Data, _entropy: number): void {}

// ------------------------------------------------------------------ context

/** Options of `SSLContext.wrap_socket()`, as Python's keyword arguments. */
export interface WrapSocketOptions {
  /** Act as the server (default `false`). */
  // deno-lint-ignore camelcase
  server_side?: boolean;
  /** The server's name, for SNI and the hostname check (client side). */
  // deno-lint-ignore camelcase
  server_hostname?: string | null;
  /** Handshake at once when connected (default `true`). */
  // deno-lint-ignore camelcase
  do_handshake_on_connect?: boolean;
  /** An end of stream without close_notify reads as end of stream (default `true`). */
  // deno-lint-ignore camelcase
  suppress_ragged_eofs?: boolean;
}

/** Options of `create_default_context()`. */
export interface DefaultContextOptions {
  /** A PEM file of CA certificates. */
  cafile?: string | null;
  /** A directory of PEM CA certificates. */
  capath?: string | null;
  /** PEM text or DER bytes of CA certificates. */
  cadata?: string | Uint8Array | null;
}

const decoder = new TextDecoder();

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new OSError(2, "No such file or directory");
    if (e instanceof Deno.errors.PermissionDenied) throw new OSError(13, "Permission denied");
    if (e instanceof Deno.errors.IsADirectory) throw new OSError(21, "Is a directory");
    throw e;
  }
}

function versionName(v: number): tls.SecureVersion | undefined {
  switch (v) {
    case TLSVersion.TLSv1_2:
      return "TLSv1.2";
    case TLSVersion.TLSv1_3:
    case TLSVersion.MAXIMUM_SUPPORTED:
      return "TLSv1.3";
    case TLSVersion.MINIMUM_SUPPORTED:
      return "TLSv1.2";
    default:
      // TLS 1.0 / 1.1 / SSLv3: rustls has none of them.
      return v < TLSVersion.TLSv1_2 ? "TLSv1.2" : "TLSv1.3";
  }
}

/**
 * Like Python's `ssl.SSLContext`: the settings shared by TLS connections
 * (certificates, CAs, verification, versions, ALPN), and `wrap_socket()`.
 *
 * @example A server context
 * ```ts
 * import * as ssl from "./ssl.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
 * assert.equal(ctx.verify_mode, ssl.CERT_NONE);
 * assert.equal(ctx.check_hostname, false);
 * ```
 */
export class SSLContext {
  #protocol: number;
  #checkHostname: boolean;
  #verifyMode: number;
  #ca: string[] = [];
  #cert: string | null = null;
  #key: string | null = null;
  #passphrase: string | undefined;
  #alpn: string[] | null = null;
  #ciphers: string | null = null;
  #secure: tls.SecureContext | null = null;
  /** Python's `minimum_version`. */
  minimum_version: number = TLSVersion.MINIMUM_SUPPORTED;
  /** Python's `maximum_version`. */
  maximum_version: number = TLSVersion.MAXIMUM_SUPPORTED;
  /** Python's `options` (see the `OP_*` constants for what applies). */
  options: number = OP_ALL | OP_NO_SSLv3 | OP_NO_COMPRESSION | OP_CIPHER_SERVER_PREFERENCE |
    OP_ENABLE_MIDDLEBOX_COMPAT | OP_NO_TLSv1 | OP_NO_TLSv1_1;
  /** Python's `verify_flags` (stored; rustls's checks are fixed). */
  verify_flags: number = VERIFY_X509_TRUSTED_FIRST;
  /** Python's `post_handshake_auth` (stored; not supported by rustls). */
  post_handshake_auth = false;
  /** Python's `hostname_checks_common_name`: always false here. */
  readonly hostname_checks_common_name = false;

  /**
   * Like Python's `SSLContext(protocol)`.
   *
   * @param protocol `PROTOCOL_TLS_CLIENT`, `PROTOCOL_TLS_SERVER` or `PROTOCOL_TLS`.
   * @throws {RangeError} For another protocol (Python's `ValueError`).
   */
  constructor(protocol: number = PROTOCOL_TLS) {
    if (
      ![PROTOCOL_TLS, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, PROTOCOL_TLSv1_2].includes(protocol)
    ) {
      throw new RangeError(`invalid or unsupported protocol version ${protocol}`);
    }
    this.#protocol = protocol;
    if (protocol === PROTOCOL_TLSv1_2) {
      this.minimum_version = TLSVersion.TLSv1_2;
      this.maximum_version = TLSVersion.TLSv1_2;
    }
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this.#checkHostname = client;
    this.#verifyMode = client ? CERT_REQUIRED : CERT_NONE;
  }

  /** The protocol it was made with. */
  get protocol(): number {
    return this.#protocol;
  }

  /** Whether a client checks the server's name against its certificate. */
  get check_hostname(): boolean {
    return this.#checkHostname;
  }
  set check_hostname(value: boolean) {
    // As Python: turning it on turns CERT_NONE into CERT_REQUIRED.
    if (value && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
    this.#checkHostname = Boolean(value);
  }

  /** `CERT_NONE`, `CERT_OPTIONAL` or `CERT_REQUIRED`. */
  get verify_mode(): number {
    return this.#verifyMode;
  }
  set verify_mode(value: number) {
    if (![CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED].includes(value)) {
      throw new RangeError("invalid value for verify_mode");
    }
    if (value === CERT_NONE && this.#checkHostname) {
      throw new RangeError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
    }
    this.#verifyMode = value;
  }

  /** Python's `num_tickets` (stored; rustls decides how many tickets it sends). */
  num_tickets = 2;

  /** Python's `security_level`: rustls's fixed policy is comparable to OpenSSL's level 2. */
  get security_level(): number {
    return 2;
  }

  /** Python's `SSLContext.sni_callback`: not supported (always `null`). */
  get sni_callback(): null {
    return null;
  }

  /**
   * Like Python's `load_cert_chain()`: this side's certificate (and chain)
   * and private key, PEM files.
   *
   * @param certfile The certificate chain (may also hold the key).
   * @param keyfile The private key (default: in `certfile`).
   * @param password The key's passphrase, or a function returning it.
   * @throws {OSError} `FileNotFoundError` for a missing file.
   * @throws {SSLError} `[SSL] PEM lib` for a key that does not load (wrong password).
   */
  load_cert_chain(
    certfile: string,
    keyfile?: string | null,
    password?: string | Uint8Array | (() => string | Uint8Array) | null,
  ): void {
    const certText = readText(certfile);
    const keyText = keyfile ? readText(keyfile) : certText;
    if (pemBlocks(certText).length === 0) {
      throw new SSLError(SSL_ERROR_SSL, "[SSL] PEM lib");
    }
    let pass = typeof password === "function" ? password() : password;
    if (pass instanceof Uint8Array) pass = decoder.decode(pass);
    const keyMatch = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/
      .exec(keyText);
    const keyPem = keyMatch ? keyMatch[0] : keyText;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: keyPem, format: "pem", passphrase: pass ?? undefined });
    } catch (e) {
      throw new SSLError(SSL_ERROR_SSL, "[SSL] PEM lib", { cause: e });
    }
    if (!new X509Certificate(pemBlocks(certText)[0]).checkPrivateKey(key)) {
      throw new SSLError(SSL_ERROR_SSL, "[X509: KEY_VALUES_MISMATCH] key values mismatch");
    }
    this.#cert = pemBlocks(certText).join("\n");
    this.#key = keyPem;
    this.#passphrase = pass ?? undefined;
    this.#secure = null;
  }

  /**
   * Like Python's `load_verify_locations()`: CA certificates to trust.
   *
   * @param cafile A PEM file.
   * @param capath A directory of PEM files.
   * @param cadata PEM text, or DER bytes.
   * @throws {TypeError} When all three are missing.
   */
  load_verify_locations(
    cafile?: string | null,
    capath?: string | null,
    cadata?: string | Uint8Array | null,
  ): void {
    if (cafile == null && capath == null && cadata == null) {
      throw new TypeError("cafile, capath and cadata cannot be all omitted");
    }
    const found: string[] = [];
    if (cafile != null) {
      const blocks = pemBlocks(readText(cafile));
      if (blocks.length === 0) {
        throw new SSLError(
          SSL_ERROR_SSL,
          "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found",
        );
      }
      found.push(...blocks);
    }
    if (capath != null) {
      for (const entry of Deno.readDirSync(capath)) {
        if (!entry.isFile) continue;
        try {
          found.push(...pemBlocks(Deno.readTextFileSync(`${capath}/${entry.name}`)));
        } catch { /* unreadable entries are skipped, as OpenSSL's lookup does */ }
      }
    }
    if (cadata != null) {
      if (typeof cadata === "string") {
        const blocks = pemBlocks(cadata);
        if (blocks.length === 0) {
          throw new SSLError(
            SSL_ERROR_SSL,
            "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no start line: cadata does not contain a certificate",
          );
        }
        found.push(...blocks);
      } else found.push(derToPem(cadata));
    }
    for (const pem of found) if (!this.#ca.includes(pem)) this.#ca.push(pem);
    this.#secure = null;
  }

  /**
   * Like Python's `load_default_certs()`: trusts the default CAs (Deno's
   * built-in Mozilla roots, plus `SSL_CERT_FILE` / `SSL_CERT_DIR` when set).
   *
   * @param _purpose `Purpose.SERVER_AUTH` (default) or `CLIENT_AUTH`.
   */
  load_default_certs(_purpose: Purpose = Purpose.SERVER_AUTH): void {
    this.set_default_verify_paths();
  }

  /** Like Python's `set_default_verify_paths()`: as `load_default_certs()`. */
  set_default_verify_paths(): void {
    for (const pem of tls.rootCertificates) if (!this.#ca.includes(pem)) this.#ca.push(pem);
    const paths = get_default_verify_paths();
    if (paths.cafile || paths.capath) this.load_verify_locations(paths.cafile, paths.capath);
    this.#secure = null;
  }

  /**
   * Like Python's `get_ca_certs()`.
   *
   * @param binary_form DER bytes instead of dicts.
   * @returns The loaded CA certificates.
   */
  // deno-lint-ignore camelcase
  get_ca_certs(binary_form: true): Uint8Array[];
  /**
   * Like Python's `get_ca_certs()`.
   *
   * @param binary_form `false` (default): dicts.
   * @returns The loaded CA certificates.
   */
  // deno-lint-ignore camelcase
  get_ca_certs(binary_form?: false): PeerCert[];
  // deno-lint-ignore camelcase
  get_ca_certs(binary_form = false): (Uint8Array | PeerCert)[] {
    const ders = this.#ca.map((pem) => pemToDer(pem)!);
    return binary_form ? ders : ders.map(decodeCertificate);
  }

  /**
   * Like Python's `cert_store_stats()`.
   *
   * @returns Counts of loaded certificates.
   */
  cert_store_stats(): { x509: number; crl: number; x509_ca: number } {
    return { x509: this.#ca.length, crl: 0, x509_ca: this.#ca.length };
  }

  /**
   * Like Python's `set_alpn_protocols()`.
   *
   * @param protocols Protocol names in order of preference (`["h2", "http/1.1"]`).
   * @throws {RangeError} For a name longer than 255 bytes.
   */
  set_alpn_protocols(protocols: Iterable<string>): void {
    const list = [...protocols];
    for (const p of list) {
      const n = new TextEncoder().encode(p).length;
      if (n === 0 || n > 255) throw new RangeError(`ALPN protocols must be 1 to 255 in length`);
    }
    this.#alpn = list;
    this.#secure = null;
  }

  /**
   * Like Python's `set_ciphers()`: the string is checked and kept, but not
   * applied — rustls negotiates among its own (modern AEAD) suites.
   *
   * @param ciphers An OpenSSL cipher list.
   * @throws {SSLError} For an empty list (`No cipher can be selected.`).
   */
  set_ciphers(ciphers: string): void {
    if (typeof ciphers !== "string" || ciphers.trim() === "") {
      throw new SSLError(SSL_ERROR_SSL, "('No cipher can be selected.',)");
    }
    this.#ciphers = ciphers;
  }

  /**
   * Like Python's `get_ciphers()`: the suites rustls offers.
   *
   * @returns One dict per suite (`name`, `protocol`).
   */
  get_ciphers(): { name: string; protocol: string }[] {
    return [
      ["TLS_AES_256_GCM_SHA384", "TLSv1.3"],
      ["TLS_AES_128_GCM_SHA256", "TLSv1.3"],
      ["TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3"],
      ["ECDHE-ECDSA-AES256-GCM-SHA384", "TLSv1.2"],
      ["ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2"],
      ["ECDHE-ECDSA-AES128-GCM-SHA256", "TLSv1.2"],
      ["ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2"],
      ["ECDHE-ECDSA-CHACHA20-POLY1305", "TLSv1.2"],
      ["ECDHE-RSA-CHACHA20-POLY1305", "TLSv1.2"],
    ].map(([name, protocol]) => ({ name, protocol }));
  }

  /**
   * Like Python's `load_dh_params()`: accepted and ignored (rustls uses
   * ECDHE only).
   *
   * @param _dhfile Ignored.
   */
  load_dh_params(_dhfile: string): void {}

  /**
   * Like Python's `set_ecdh_curve()`: accepted and ignored (rustls chooses).
   *
   * @param _name Ignored.
   */
  set_ecdh_curve(_name: string): void {}

  /**
   * Like Python's `session_stats()`: zeros (no session cache is exposed).
   *
   * @returns Counters.
   */
  session_stats(): Record<string, number> {
    return {
      number: 0,
      connect: 0,
      connect_good: 0,
      connect_renegotiate: 0,
      accept: 0,
      accept_good: 0,
      accept_renegotiate: 0,
      hits: 0,
      misses: 0,
      timeouts: 0,
      cache_full: 0,
    };
  }

  /**
   * Like Python's `SSLContext.wrap_socket()`, but returns a promise: the
   * `SSLSocket` over `sock`. For a connected socket with
   * `do_handshake_on_connect` (the default) it resolves once the handshake
   * is done; an unconnected socket handshakes in `connect()`, a listening
   * one in `accept()`.
   *
   * @param sock A pysocket stream socket (it should not be used directly afterwards).
   * @param options `server_side`, `server_hostname`, `do_handshake_on_connect`, `suppress_ragged_eofs`.
   * @returns The TLS socket.
   * @throws {RangeError} `check_hostname requires server_hostname`, and
   *   Python's other `ValueError`s.
   * @throws {SSLError} When the handshake fails.
   */
  async wrap_socket(sock: Socket, options: WrapSocketOptions = {}): Promise<SSLSocket> {
    const ssock = this.#wrap(sock, options);
    if (ssock.connected && ssock.doHandshakeOnConnect) {
      try {
        await ssock.do_handshake();
      } catch (e) {
        await ssock.close().catch(() => {});
        throw e;
      }
    }
    return ssock;
  }

  #wrap(sock: Socket, options: WrapSocketOptions): SSLSocket {
    if (!(sock instanceof Socket)) {
      throw new TypeError("wrap_socket() argument 'sock' must be a pysocket Socket");
    }
    const serverSide = options.server_side ?? false;
    const hostname = options.server_hostname ?? null;
    if (serverSide && hostname !== null) {
      throw new RangeError("server_hostname can only be specified in client mode");
    }
    if (serverSide && this.#protocol === PROTOCOL_TLS_CLIENT) {
      throw new SSLError("Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
    }
    if (!serverSide && this.#protocol === PROTOCOL_TLS_SERVER) {
      throw new SSLError("Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
    }
    if (!serverSide && this.#checkHostname && !hostname) {
      throw new RangeError("check_hostname requires server_hostname");
    }
    if (hostname !== null && (hostname === "" || hostname.startsWith("."))) {
      throw new RangeError(
        "server_hostname cannot be an empty string or start with a leading dot.",
      );
    }
    // As Python's: the SSLSocket takes the socket over and the plain object
    // is detached (its fileno() is -1; calls on it, and on file objects made
    // from it before, raise EBADF).
    if (sock.fileno() === -1) throw new OSError(EBADF, strerror(EBADF));
    const timeout = sock.gettimeout();
    const inner = new Socket(sock.family, sock.type, sock.proto, sock.detach());
    inner.settimeout(timeout);
    return new SSLSocket(inner, this, serverSide, hostname, options, SECRET);
  }

  /** The `node:tls` secure context (private to this module). */
  secureContext(): tls.SecureContext {
    if (this.#secure) return this.#secure;
    let min = versionName(this.minimum_version)!;
    let max = versionName(this.maximum_version)!;
    if (this.options & OP_NO_TLSv1_2) min = "TLSv1.3";
    if (this.options & OP_NO_TLSv1_3) max = "TLSv1.2";
    this.#secure = tls.createSecureContext({
      ...(this.#cert ? { cert: this.#cert, key: this.#key!, passphrase: this.#passphrase } : {}),
      // An empty trust store trusts nothing, as Python's fresh context.
      ca: this.#ca.length > 0 ? this.#ca : [NOTHING_TRUSTED],
      minVersion: min,
      maxVersion: max,
    });
    return this.#secure;
  }

  /** `[min, max]` as `node:tls` names them, or null when the range is empty. */
  versions(): [tls.SecureVersion, tls.SecureVersion] {
    let min = versionName(this.minimum_version)!;
    let max = versionName(this.maximum_version)!;
    if (this.options & OP_NO_TLSv1_2) min = "TLSv1.3";
    if (this.options & OP_NO_TLSv1_3) max = "TLSv1.2";
    return [min, max];
  }

  /** Settings a handshake needs (private to this module). */
  settings(): {
    alpn: string[] | null;
    ca: string[];
    cert: string | null;
    key: string | null;
    passphrase?: string;
  } {
    return {
      alpn: this.#alpn,
      ca: this.#ca.length > 0 ? this.#ca : [NOTHING_TRUSTED],
      cert: this.#cert,
      key: this.#key,
      passphrase: this.#passphrase,
    };
  }
}

// A valid CA certificate whose key nobody has (generated once and its key
// discarded): what a context trusts before any CA is loaded, since an
// empty `ca` list would make node:tls fall back to its built-in roots.
const NOTHING_TRUSTED = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUOOMuts+di3ogsceKuWFIEBBdm+AwCgYIKoZIzj0EAwIw
IjEgMB4GA1UEAwwXcHlzb2NrZXQgdHJ1c3RzIG5vdGhpbmcwIBcNMjYxMjA0MTcw
NDQ5WhgPMjEyNjExMTAxNzA0NDlaMCIxIDAeBgNVBAMMF3B5c29ja2V0IHRydXN0
cyBub3RoaW5nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAESJw/ap74NvtNYhSO
uhb1M5QfZt3mEVwudVrnnYR29F75ZFHyQVV+EqqSbcvEorqy6qseN7oaF/wStoBf
Pix2UaNTMFEwHQYDVR0OBBYEFJbZvycEKKRZ7t9TkUUIdM9H8JF1MB8GA1UdIwQY
MBaAFJbZvycEKKRZ7t9TkUUIdM9H8JF1MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDRwAwRAIfa37+d4eOj06b/ZXgYnv5neLrYzuN6Gpzpm6AYZueYwIhAOhz
3d7uabMErdyzULSIQwMg4iyAJ9nyX1EUHpwx1eJA
-----END CERTIFICATE-----`;

/**
 * Like Python's `ssl.create_default_context()`: a client context that
 * verifies servers against the default CAs (or the given ones), or, for
 * `Purpose.CLIENT_AUTH`, a server context.
 *
 * @param purpose `Purpose.SERVER_AUTH` (default) or `Purpose.CLIENT_AUTH`.
 * @param options `cafile`, `capath`, `cadata`.
 * @returns The context.
 *
 * @example
 * ```ts
 * import * as ssl from "./ssl.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = ssl.create_default_context();
 * assert.equal(ctx.verify_mode, ssl.CERT_REQUIRED);
 * assert.equal(ctx.check_hostname, true);
 * ```
 */
// deno-lint-ignore camelcase
export function create_default_context(
  purpose: Purpose = Purpose.SERVER_AUTH,
  options: DefaultContextOptions = {},
): SSLContext {
  const ctx = new SSLContext(
    purpose === Purpose.SERVER_AUTH ? PROTOCOL_TLS_CLIENT : PROTOCOL_TLS_SERVER,
  );
  const { cafile, capath, cadata } = options;
  if (cafile != null || capath != null || cadata != null) {
    ctx.load_verify_locations(cafile, capath, cadata);
  } else if (ctx.verify_mode !== CERT_NONE) {
    ctx.load_default_certs(purpose);
  }
  return ctx;
}

// ------------------------------------------------------------------ socket

const SECRET = Symbol("SSLSocket");

/** How many decrypted bytes an `SSLSocket` holds unread before it pauses TLS. */
const RECEIVE_LIMIT = 256 * 1024;
/** How many bytes `send()` lets wait in TLS before it blocks. */
const SEND_LIMIT = 256 * 1024;

interface Waiter {
  check(): void;
}

function wantRead(): SSLWantReadError {
  return new SSLWantReadError(SSL_ERROR_WANT_READ, "The operation did not complete (read)");
}

function wantWrite(): SSLWantWriteError {
  return new SSLWantWriteError(SSL_ERROR_WANT_WRITE, "The operation did not complete (write)");
}

function toBytes(data: Data): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
}

/**
 * Like Python's `ssl.SSLSocket`: a TLS connection over a pysocket
 * `Socket`, made by `SSLContext.wrap_socket()`. Reads and writes go through
 * TLS; the three modes (blocking, timeout, non-blocking) behave as
 * Python's, and nothing is lost when a call gives up.
 *
 * @example
 * ```ts ignore
 * import * as socket from "./mod.ts";
 * import * as ssl from "./ssl.ts";
 *
 * const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: "ca.pem" });
 * const sock = await socket.create_connection(["localhost", 8443]);
 * await using tls = await ctx.wrap_socket(sock, { server_hostname: "localhost" });
 * await tls.sendall("ping\n");
 * ```
 */
export class SSLSocket {
  #sock: Socket;
  #context: SSLContext;
  #serverSide: boolean;
  #hostname: string | null;
  #suppressRaggedEofs: boolean;
  /** Python's `do_handshake_on_connect`. */
  readonly doHandshakeOnConnect: boolean;
  #timeout: number | null;
  #duplex: SocketDuplex | null = null;
  #tls: tls.TLSSocket | null = null;
  #handshake: Promise<void> | null = null;
  #handshaken = false;
  #handshakeSettled = false;
  #abortHandshake: ((e: Error) => void) | null = null;
  #failure: Error | null = null;
  // Decrypted bytes: #buf[#start, #end). Bytes once handed out are never overwritten.
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #consumed = 0;
  #eof = false;
  #closeNotify = false;
  #paused = false;
  #closed = false;
  #closing: Promise<void> | null = null;
  #fileRefs = 0;
  #waiters: Set<Waiter> = new Set();
  #watchers = new Watchers();
  #pollable: Pollable;

  /** Made by `SSLContext.wrap_socket()` only. */
  constructor(
    sock: Socket,
    context: SSLContext,
    serverSide: boolean,
    hostname: string | null,
    options: WrapSocketOptions,
    secret: symbol,
  ) {
    if (secret !== SECRET) throw new TypeError("SSLSocket is made by SSLContext.wrap_socket()");
    this.#sock = sock;
    this.#context = context;
    this.#serverSide = serverSide;
    this.#hostname = hostname;
    this.#suppressRaggedEofs = options.suppress_ragged_eofs ?? true;
    this.doHandshakeOnConnect = options.do_handshake_on_connect ?? true;
    // As Python's wrap_socket: the TLS socket takes over the timeout.
    this.#timeout = sock.gettimeout();
    sock.settimeout(null);
    this.#pollable = {
      pollMask: () => this.#pollMask(),
      watch: (onChange) => this.#watch(onChange),
    };
  }

  // ------------------------------------------------------------ properties

  /** The context it was made with. */
  get context(): SSLContext {
    return this.#context;
  }
  /** Whether this is the server side. */
  get server_side(): boolean {
    return this.#serverSide;
  }
  /** The name given to `wrap_socket()`, or `null`. */
  get server_hostname(): string | null {
    return this.#hostname;
  }
  /** Python's `session`: not supported (always `null`). */
  get session(): null {
    return null;
  }
  /** Python's `session_reused`. */
  get session_reused(): boolean {
    return this.#tls?.isSessionReused() ?? false;
  }
  /** The inner socket's family. */
  get family(): number {
    return this.#sock.family;
  }
  /** The inner socket's type. */
  get type(): number {
    return this.#sock.type;
  }
  /** The inner socket's protocol. */
  get proto(): number {
    return this.#sock.proto;
  }
  /** As `gettimeout()`. */
  get timeout(): number | null {
    return this.#timeout;
  }
  /** Whether the inner socket is connected (private to this module). */
  get connected(): boolean {
    try {
      this.#sock.getpeername();
      return true;
    } catch {
      return false;
    }
  }

  /** The readiness of the socket, for `select`, `poll` and `selectors`. */
  get [readiness](): Pollable {
    return this.#pollable;
  }

  // ------------------------------------------------------------ local calls

  /**
   * Like Python's `settimeout()`: applies to this TLS socket (the inner socket stays blocking).
   *
   * @param value Seconds, `0` for non-blocking, `null` for blocking.
   * @throws {RangeError} For a negative or NaN value.
   */
  settimeout(value: number | null): void {
    if (value !== null) {
      if (typeof value !== "number") {
        throw new TypeError("Timeout value must be int, float or None");
      }
      if (Number.isNaN(value)) throw new RangeError("Invalid value NaN (not a number)");
      if (value < 0) throw new RangeError("Timeout value out of range");
    }
    this.#timeout = value;
  }

  /**
   * Like Python's `gettimeout()`.
   *
   * @returns Seconds, `0` or `null`.
   */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /**
   * Like Python's `setblocking()`.
   *
   * @param flag `false` is `settimeout(0)`, `true` is `settimeout(null)`.
   */
  setblocking(flag: boolean): void {
    this.#timeout = flag ? null : 0;
  }

  /**
   * Like Python's `getblocking()`.
   *
   * @returns `false` in non-blocking mode.
   */
  getblocking(): boolean {
    return this.#timeout !== 0;
  }

  /**
   * Like Python's `getpeername()`.
   *
   * @returns The peer's address.
   */
  getpeername(): Address {
    return this.#sock.getpeername();
  }

  /**
   * Like Python's `getsockname()`.
   *
   * @returns The local address.
   */
  getsockname(): Address {
    return this.#sock.getsockname();
  }

  /**
   * Like Python's `setsockopt()`, on the inner socket.
   *
   * @param level The level.
   * @param optname The option.
   * @param value The value.
   */
  setsockopt(level: number, optname: number, value: number | Uint8Array): void {
    this.#sock.setsockopt(level, optname, value);
  }

  /**
   * Like Python's `getsockopt()`, on the inner socket.
   *
   * @param level The level.
   * @param optname The option.
   * @param buflen As Python.
   * @returns The value.
   */
  getsockopt(level: number, optname: number, buflen?: number): number | Uint8Array {
    return this.#sock.getsockopt(level, optname, buflen);
  }

  /**
   * Like Python's `fileno()`: the inner socket's.
   *
   * @returns The number, or -1 once closed.
   */
  fileno(): number {
    return this.#closed && this.#fileRefs === 0 ? -1 : this.#sock.fileno();
  }

  /**
   * Like Python's `bind()`, on the inner socket.
   *
   * @param address Where to bind.
   */
  bind(address: Address): void {
    this.#sock.bind(address);
  }

  /**
   * Like Python's `listen()`, on the inner socket; `accept()` then gives TLS sockets.
   *
   * @param backlog As Python.
   */
  listen(backlog?: number): void {
    this.#sock.listen(backlog);
  }

  /**
   * Like Python's `pending()`: decrypted bytes ready to read.
   *
   * @returns The count.
   */
  pending(): number {
    return this.#end - this.#start;
  }

  /**
   * Like Python's `version()`: `"TLSv1.3"` or `"TLSv1.2"`, `null` before the handshake.
   *
   * @returns The protocol version.
   */
  version(): string | null {
    if (!this.#handshaken || !this.#tls) return null;
    return this.#tls.getProtocol() ?? null;
  }

  /**
   * Like Python's `cipher()`: `[name, protocol, secret bits]`, `null` before the handshake.
   *
   * @returns The cipher in use.
   */
  cipher(): [string, string, number] | null {
    if (!this.#handshaken || !this.#tls) return null;
    const c = this.#tls.getCipher();
    const version = this.version() ?? c.version;
    return [c.standardName ?? c.name, version, /256|CHACHA20/i.test(c.name) ? 256 : 128];
  }

  /**
   * Like Python's `shared_ciphers()`: here only the cipher in use.
   *
   * @returns `[cipher()]`, or `null` before the handshake.
   */
  shared_ciphers(): [string, string, number][] | null {
    const c = this.cipher();
    return c === null ? null : [c];
  }

  /**
   * Like Python's `compression()`: `null` (never compressed).
   *
   * @returns `null`.
   */
  compression(): null {
    return null;
  }

  /**
   * Like Python's `selected_alpn_protocol()`.
   *
   * @returns The protocol chosen by ALPN, or `null`.
   */
  selected_alpn_protocol(): string | null {
    if (!this.#handshaken || !this.#tls) return null;
    const p = this.#tls.alpnProtocol;
    return typeof p === "string" ? p : null;
  }

  /**
   * Like Python's `selected_npn_protocol()`: always `null` (NPN is obsolete).
   *
   * @returns `null`.
   */
  selected_npn_protocol(): null {
    return null;
  }

  /**
   * Like Python's `getpeercert()`: the peer's certificate as Python's
   * dict (`subject`, `issuer`, `version`, `serialNumber`, `notBefore`,
   * `notAfter`, `subjectAltName`, …). As Python, the dict is empty when the
   * certificate was not verified (`CERT_NONE`), and the value is `null`
   * when the peer gave none.
   *
   * @param binary_form `true`: the DER bytes instead (also when not verified).
   * @returns The certificate.
   * @throws {RangeError} Before the handshake (`handshake not done yet`).
   */
  // deno-lint-ignore camelcase
  getpeercert(binary_form: true): Uint8Array | null;
  /**
   * Like Python's `getpeercert()`.
   *
   * @param binary_form `false` (default): the dict.
   * @returns The dict, `{}` if not verified, or `null`.
   */
  // deno-lint-ignore camelcase
  getpeercert(binary_form?: false): PeerCert | Record<string, never> | null;
  // deno-lint-ignore camelcase
  getpeercert(binary_form = false): Uint8Array | PeerCert | Record<string, never> | null {
    this.#checkOpen();
    if (!this.#handshaken || !this.#tls) throw new RangeError("handshake not done yet");
    const cert = this.#tls.getPeerCertificate(false) as { raw?: Uint8Array };
    if (!cert || !cert.raw || cert.raw.length === 0) return null;
    const der = new Uint8Array(cert.raw);
    if (binary_form) return der;
    if (this.#context.verify_mode === CERT_NONE) return {};
    return decodeCertificate(der);
  }

  /**
   * Like Python's `get_channel_binding()`: unsupported, `null`.
   *
   * @param _cbType `"tls-unique"`.
   * @returns `null`.
   */
  get_channel_binding(_cbType = "tls-unique"): null {
    return null;
  }

  /**
   * Like Python's `verify_client_post_handshake()`: not supported by rustls.
   *
   * @throws {SSLError} Always.
   */
  verify_client_post_handshake(): never {
    throw new SSLError("post-handshake authentication is not supported");
  }

  /**
   * Like Python's `makefile()`: a file object reading the decrypted stream
   * (binary or text, as `Socket.makefile()`). The connection stays open
   * while the file object is.
   *
   * @param mode Made of `r`, `w`, `b`.
   * @param options `buffering`, `encoding`, `errors`, `newline`.
   * @returns The file object.
   */
  makefile<M extends string = "r">(
    mode: M = "r" as M,
    options: MakefileOptions = {},
  ): FileObject<M extends `${string}b${string}` ? Uint8Array : string> {
    this.#checkOpen();
    const file = new FileObject<M extends `${string}b${string}` ? Uint8Array : string>(
      this.#backend(),
      mode,
      options,
    );
    this.#fileRefs++;
    return file;
  }

  // ------------------------------------------------------------ calls that wait

  /**
   * Like Python's `connect()`, but returns a promise: connects the inner
   * socket, then handshakes (with `do_handshake_on_connect`).
   *
   * @param address Where to connect.
   * @throws {OSError} As `Socket.connect()`; `SSLError` when the handshake fails.
   */
  async connect(address: Address): Promise<void> {
    this.#checkOpen();
    if (this.#serverSide) throw new RangeError("can't connect in server-side mode");
    if (this.#tls) throw new RangeError("attempt to connect already-connected SSLSocket!");
    this.#sock.settimeout(this.#timeout);
    try {
      await this.#sock.connect(address);
    } finally {
      this.#sock.settimeout(null);
    }
    if (this.doHandshakeOnConnect) await this.do_handshake();
  }

  /**
   * Like Python's `connect_ex()`, but returns a promise.
   *
   * @param address Where to connect.
   * @returns 0, or the errno.
   */
  async connect_ex(address: Address): Promise<number> {
    try {
      await this.connect(address);
      return 0;
    } catch (e) {
      if (e instanceof OSError && typeof e.errno === "number" && !(e instanceof SSLError)) {
        return e.errno;
      }
      throw e;
    }
  }

  /**
   * Like Python's `accept()` on a wrapped listening socket: accepts and
   * wraps the connection (server side), handshaking with `do_handshake_on_connect`.
   *
   * @returns `[SSLSocket, address]`.
   */
  async accept(): Promise<[SSLSocket, Address]> {
    this.#checkOpen();
    this.#sock.settimeout(this.#timeout);
    let conn: Socket, address: Address;
    try {
      [conn, address] = await this.#sock.accept();
    } finally {
      this.#sock.settimeout(null);
    }
    const ssock = await this.#context.wrap_socket(conn, {
      server_side: this.#serverSide,
      do_handshake_on_connect: this.doHandshakeOnConnect,
      suppress_ragged_eofs: this.#suppressRaggedEofs,
    });
    return [ssock, address];
  }

  /**
   * Like Python's `do_handshake()`, but returns a promise. In non-blocking
   * mode it raises `SSLWantReadError` until the handshake (which goes on in
   * the background) is done; with a timeout it raises `TimeoutError` (`_ssl.c:980: The handshake
   * operation timed out`) and can be called again.
   *
   * @throws {SSLError} When the handshake fails: `SSLCertVerificationError`
   *   for a certificate, others as Python names them.
   */
  do_handshake(): Promise<void> {
    try {
      this.#checkOpen();
      if (!this.connected) throw new OSError(ENOTCONN, strerror(ENOTCONN));
    } catch (e) {
      return Promise.reject(e);
    }
    this.#handshake ??= this.#startHandshake();
    if (this.#handshaken) return Promise.resolve();
    const done = this.#handshake;
    return this.#until(
      () => this.#handshakeSettled,
      "read",
      "The handshake operation timed out",
    ).then(() => done);
  }

  /**
   * Like Python's `recv()`, but returns a promise: 1 to `bufsize`
   * decrypted bytes, or an empty array at the end of the TLS stream.
   *
   * @param bufsize The most bytes to return (default 1024, as Python).
   * @param flags Must be 0 (Python: `non-zero flags not allowed in calls to recv() on SSLSocket`).
   * @returns The bytes.
   * @throws {SSLWantReadError} Non-blocking, nothing there yet.
   * @throws {TimeoutError} `The read operation timed out`.
   */
  async recv(bufsize: number = 1024, flags: number = 0): Promise<Uint8Array> {
    this.#checkFlags(flags, "recv");
    if (!Number.isInteger(bufsize)) {
      throw new TypeError("'float' object cannot be interpreted as an integer");
    }
    if (bufsize < 0) throw new RangeError("negative buffer size in read");
    if (bufsize === 0) {
      this.#checkOpen();
      return new Uint8Array(0);
    }
    await this.#readable();
    const n = Math.min(bufsize, this.#end - this.#start);
    const data = this.#buf.subarray(this.#start, this.#start + n);
    this.#consume(n);
    return data;
  }

  /**
   * Like Python's `recv_into()`, but returns a promise.
   *
   * @param buffer Where to put the bytes.
   * @param nbytes The most bytes (0: the buffer's size).
   * @param flags Must be 0.
   * @returns The count (0 at the end of the stream).
   */
  async recv_into(
    buffer: ArrayBufferView | ArrayBuffer,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<number> {
    this.#checkFlags(flags, "recv_into");
    const bytes = buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (nbytes < 0) throw new RangeError("negative buffersize in recv_into");
    if (nbytes > bytes.length) throw new RangeError("buffer too small for requested bytes");
    const target = nbytes === 0 ? bytes : bytes.subarray(0, nbytes);
    await this.#readable();
    const n = Math.min(target.length, this.#end - this.#start);
    target.set(this.#buf.subarray(this.#start, this.#start + n));
    this.#consume(n);
    return n;
  }

  /**
   * As Python's: not allowed on a TLS socket.
   *
   * @param _bufsize Ignored.
   * @param _flags Ignored.
   * @throws {RangeError} `recvfrom not allowed on instances of SSLSocket` (Python's `ValueError`).
   */
  recvfrom(_bufsize?: number, _flags?: number): Promise<never> {
    return Promise.reject(new RangeError("recvfrom not allowed on instances of SSLSocket"));
  }

  /**
   * As Python's: not allowed on a TLS socket.
   *
   * @param _buffer Ignored.
   * @param _nbytes Ignored.
   * @param _flags Ignored.
   * @throws {RangeError} `recvfrom_into not allowed on instances of SSLSocket`.
   */
  recvfrom_into(_buffer?: unknown, _nbytes?: number, _flags?: number): Promise<never> {
    return Promise.reject(new RangeError("recvfrom_into not allowed on instances of SSLSocket"));
  }

  /**
   * As Python's: not allowed on a TLS socket.
   *
   * @param _data Ignored.
   * @param _flagsOrAddress Ignored.
   * @param _address Ignored.
   * @throws {RangeError} `sendto not allowed on instances of SSLSocket`.
   */
  sendto(_data?: unknown, _flagsOrAddress?: unknown, _address?: unknown): Promise<never> {
    return Promise.reject(new RangeError("sendto not allowed on instances of SSLSocket"));
  }

  /**
   * Like Python's `read()` on an `SSLSocket`: as `recv()`.
   *
   * @param len The most bytes (default 1024).
   * @returns The bytes.
   */
  read(len: number = 1024): Promise<Uint8Array> {
    return this.recv(len);
  }

  /**
   * Like Python's `write()` on an `SSLSocket`: as `send()`.
   *
   * @param data What to send.
   * @returns The count sent.
   */
  write(data: Data): Promise<number> {
    return this.send(data);
  }

  /**
   * Like Python's `send()`, but returns a promise: all of `data` goes into
   * TLS once there is room (up to 256 KiB waiting).
   *
   * @param data What to send (strings go as UTF-8).
   * @param flags Must be 0.
   * @returns The count sent.
   * @throws {SSLWantWriteError} Non-blocking, no room: nothing was sent.
   * @throws {TimeoutError} `The write operation timed out`.
   */
  async send(data: Data, flags: number = 0): Promise<number> {
    this.#checkFlags(flags, "send");
    const bytes = toBytes(data);
    const t = await this.#writable();
    if (bytes.length === 0) return 0;
    t.write(bytes.slice());
    this.#notify();
    return bytes.length;
  }

  /**
   * Like Python's `sendall()`, but returns a promise. Its timeout covers
   * the whole call.
   *
   * @param data What to send.
   * @param flags Must be 0.
   * @throws {SSLWantWriteError} Non-blocking and not all fits (what fitted was sent).
   * @throws {TimeoutError} `The write operation timed out`.
   */
  async sendall(data: Data, flags: number = 0): Promise<void> {
    this.#checkFlags(flags, "sendall");
    const bytes = toBytes(data).slice();
    const deadline = this.#timeout === null ? Infinity : performance.now() + this.#timeout * 1000;
    for (let at = 0; at < bytes.length || at === 0;) {
      const t = await this.#writable(deadline);
      if (bytes.length === 0) return;
      const n = Math.min(bytes.length - at, 65536);
      t.write(bytes.subarray(at, at + n));
      at += n;
    }
  }

  /**
   * Like Python's `sendfile()`: reads the file and sends it through TLS.
   *
   * @param file The file.
   * @param offset Where to start.
   * @param count How many bytes at most.
   * @returns The count sent.
   */
  async sendfile(file: Deno.FsFile, offset: number = 0, count?: number): Promise<number> {
    await file.seek(offset, Deno.SeekMode.Start);
    const chunk = new Uint8Array(65536);
    let sent = 0;
    while (count === undefined || sent < count) {
      const want = count === undefined ? chunk.length : Math.min(chunk.length, count - sent);
      const n = await file.read(chunk.subarray(0, want));
      if (!n) break;
      await this.sendall(chunk.subarray(0, n));
      sent += n;
    }
    return sent;
  }

  /**
   * Like Python's `shutdown()`, but returns a promise, and TLS stays: `SHUT_WR`
   * and `SHUT_RDWR` first send TLS's close_notify (after what was sent), then
   * shut down the inner socket. Python's drops TLS and sends no close_notify
   * (use `unwrap()` for a TLS shutdown).
   *
   * @param how `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
   */
  async shutdown(how: number): Promise<void> {
    this.#checkOpen();
    const t = this.#tls;
    if (t && (how === SHUT_WR || how === SHUT_RDWR) && !t.writableEnded) {
      await this.#sendCloseNotify(t);
    }
    await this.#sock.shutdown(how);
  }

  /** Whether `unwrap()` handed the inner socket back. */
  #unwrapped = false;

  /**
   * Like Python's `unwrap()`, but returns a promise: the TLS shutdown. Sends
   * close_notify (after what was sent), waits for the peer's close_notify
   * (under the socket's mode and timeout), and returns the inner socket, with
   * the timeout, for plaintext. Bytes the peer sends after its close_notify
   * are left in that socket. Decrypted bytes not yet read are dropped, as
   * Python's. Afterwards this `SSLSocket` only closes (closing it closes the
   * returned socket too: in Python they are one socket object); its other
   * calls raise `OSError` (`EBADF`).
   *
   * @returns The inner socket.
   * @throws {SSLWantReadError} Non-blocking, the peer's close_notify is not
   *   there yet (call again).
   * @throws {TimeoutError} `The read operation timed out`.
   * @throws {SSLEOFError} The peer closed the connection without its
   *   close_notify (`UNEXPECTED_EOF_WHILE_READING`).
   * @throws {SSLError} When the TLS stream failed.
   */
  async unwrap(): Promise<Socket> {
    this.#checkOpen();
    if (!this.#handshaken) await this.do_handshake();
    const t = this.#tls!;
    const duplex = this.#duplex!;
    if (this.#failure) throw this.#failure;
    // From here on, TLS gets one record at a time: it stops at the peer's close_notify.
    duplex.recordWise = true;
    if (!t.writableEnded && !t.destroyed) t.end(() => this.#wake());
    await this.#until(
      () =>
        (this.#eof && (t.writableFinished || t.destroyed)) || this.#failure !== null ||
        this.#closed,
      "read",
      "The read operation timed out",
    );
    this.#checkOpen();
    if (this.#failure) throw this.#failure;
    if (duplex.raggedEnd) {
      // As Python's: the peer closed without its close_notify.
      throw sslError(
        SSLEOFError,
        SSL_ERROR_EOF,
        "UNEXPECTED_EOF_WHILE_READING",
        "EOF occurred in violation of protocol",
      );
    }
    // The close_notify reaches the transport in a microtask after end(): let
    // it, and let its write complete.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await duplex.flushed();
    this.#checkOpen();
    // The bytes after the peer's close_notify stay in the inner socket.
    duplex.detach();
    this.#unwrapped = true;
    this.#wake();
    t.destroy();
    this.#sock.settimeout(this.#timeout);
    return this.#sock;
  }

  /**
   * Like Python's `close()`, but returns a promise: sends close_notify
   * (waiting at most the timeout, 5 s without one; Python's `close()` sends
   * none, `unwrap()` does), then closes the inner socket.
   * Idempotent. A socket with an open `makefile()` object stays open until
   * that object is closed too.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#wake();
      if (this.#fileRefs === 0) this.#closing = this.#release();
    }
    return this.#closing ?? Promise.resolve();
  }

  /** Closes the socket: `await using tls = await ctx.wrap_socket(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ------------------------------------------------------------------ internals

  #checkOpen(): void {
    if (this.#closed || this.#unwrapped) throw new OSError(EBADF, strerror(EBADF));
  }

  #checkFlags(flags: number, fn: string): void {
    if (flags !== 0) {
      throw new RangeError(`non-zero flags not allowed in calls to ${fn}() on SSLSocket`);
    }
  }

  #startHandshake(): Promise<void> {
    const duplex = new SocketDuplex(this.#sock);
    this.#duplex = duplex;
    const ctx = this.#context;
    const s = ctx.settings();
    const [minVersion, maxVersion] = ctx.versions();
    const verify = ctx.verify_mode;
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#abortHandshake = (e) => {
      if (this.#handshakeSettled) return;
      this.#failure ??= e;
      this.#handshakeSettled = true;
      reject(e);
    };
    const fail = (e: unknown) => {
      if (this.#handshakeSettled) return;
      const error = fromTlsError(duplex.failure ?? e, this.#hostname);
      this.#failure ??= error;
      this.#handshakeSettled = true;
      reject(error);
      this.#wake();
    };
    const creds = s.cert ? { cert: s.cert, key: s.key!, passphrase: s.passphrase } : {};
    if (this.#serverSide) {
      const server = new tls.Server({
        ...creds,
        ca: s.ca,
        minVersion,
        maxVersion,
        requestCert: verify !== CERT_NONE,
        rejectUnauthorized: verify === CERT_REQUIRED,
        ...(s.alpn ? { ALPNProtocols: s.alpn } : {}),
      });
      server.on("secureConnection", (t: tls.TLSSocket) => {
        this.#attach(t);
        if (verify === CERT_OPTIONAL && !t.authorized && t.getPeerCertificate()?.raw) {
          fail(t.authorizationError);
          return;
        }
        this.#handshaken = true;
        this.#handshakeSettled = true;
        resolve();
        this.#wake();
      });
      server.on("tlsClientError", (e: Error, t: tls.TLSSocket) => {
        this.#attach(t);
        fail(e);
      });
      server.emit("connection", duplex);
    } else {
      const ip = /^[\d.]+$|:/.test(this.#hostname ?? "");
      const t = tls.connect({
        socket: duplex as unknown as import("node:net").Socket,
        ...creds,
        ca: s.ca,
        minVersion,
        maxVersion,
        ...(this.#hostname && !ip ? { servername: this.#hostname } : {}),
        ...(s.alpn ? { ALPNProtocols: s.alpn } : {}),
        rejectUnauthorized: verify !== CERT_NONE,
        checkServerIdentity: (_host, cert) =>
          ctx.check_hostname && this.#hostname
            ? tls.checkServerIdentity(this.#hostname, cert)
            : undefined,
      });
      this.#attach(t);
      t.once("secureConnect", () => {
        this.#handshaken = true;
        this.#handshakeSettled = true;
        resolve();
        this.#wake();
      });
      t.once("error", fail);
    }
    promise.catch(() => {});
    return promise;
  }

  #attach(t: tls.TLSSocket): void {
    if (this.#tls === t) return;
    this.#tls = t;
    t.on("data", (chunk: Uint8Array) => this.#push(chunk));
    t.on("end", () => {
      // Nothing more is TLS's: what follows stays in the inner socket (unwrap()).
      this.#duplex?.stop();
      this.#eof = true;
      this.#closeNotify = true;
      this.#wake();
    });
    t.on("error", (e: Error) => {
      if (this.#handshaken) {
        this.#failure ??= fromTlsError(this.#duplex?.failure ?? e, this.#hostname);
      }
      this.#wake();
    });
    t.on("close", () => {
      this.#eof = true;
      this.#wake();
    });
    t.on("drain", () => this.#wake());
  }

  #push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.#buf.length - this.#end < n) {
      const live = this.#end - this.#start;
      // A fresh array: views handed out of the old one stay intact.
      const grown = new Uint8Array(Math.max(65536, (live + n) * 2));
      grown.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = grown;
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += n;
    // Backpressure at the transport: pausing the TLSSocket itself was seen to
    // lose the end of stream (node:tls in Deno 2.9.6), so the adapter stops reading.
    if (this.#end - this.#start >= RECEIVE_LIMIT && !this.#paused && this.#duplex) {
      this.#paused = true;
      this.#duplex.hold = true;
    }
    this.#wake();
  }

  #consume(n: number): void {
    this.#start += n;
    this.#consumed += n;
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
      // The old array may be in users' hands: start a fresh one next time.
      if (n > 0) this.#buf = new Uint8Array(0);
    }
    if (this.#paused && this.#end - this.#start < RECEIVE_LIMIT) {
      this.#paused = false;
      this.#duplex?.release();
    }
  }

  /** Waits (by mode) until decrypted bytes, end of stream or a failure. */
  async #readable(): Promise<void> {
    this.#checkOpen();
    if (!this.#handshaken) await this.do_handshake();
    await this.#until(
      () => this.#end > this.#start || this.#eof || this.#failure !== null || this.#closed,
      "read",
      "The read operation timed out",
    );
    this.#checkOpen();
    if (this.#end > this.#start) return;
    if (this.#failure) throw this.#failure;
    if (!this.#closeNotify && !this.#suppressRaggedEofs) {
      throw sslError(
        SSLEOFError,
        SSL_ERROR_EOF,
        "UNEXPECTED_EOF_WHILE_READING",
        "EOF occurred in violation of protocol",
      );
    }
  }

  /** Waits (by mode) until TLS takes more bytes; returns it. */
  async #writable(deadline?: number): Promise<tls.TLSSocket> {
    this.#checkOpen();
    if (!this.#handshaken) await this.do_handshake();
    const t = this.#tls!;
    await this.#until(
      () => t.writableLength < SEND_LIMIT || this.#failure !== null || this.#closed || t.destroyed,
      "write",
      "The write operation timed out",
      deadline,
    );
    this.#checkOpen();
    if (this.#failure) throw this.#failure;
    if (t.destroyed || t.writableEnded) throw new OSError(32, strerror(32));
    return t;
  }

  /** Resolves when `ready()`, under the mode; never consumes anything. */
  #until(
    ready: () => boolean,
    want: "read" | "write",
    message: string,
    deadline?: number,
  ): Promise<void> {
    if (ready()) return Promise.resolve();
    const timeout = this.#timeout;
    if (timeout === 0 && deadline === undefined) {
      return Promise.reject(want === "read" ? wantRead() : wantWrite());
    }
    const at = deadline ?? (timeout === null ? Infinity : performance.now() + timeout * 1000);
    if (at <= performance.now()) {
      return Promise.reject(
        timeout === 0 ? (want === "read" ? wantRead() : wantWrite()) : new TimeoutError(message),
      );
    }
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        check: () => {
          if (!ready()) return;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      if (at !== Infinity) {
        timer = setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            timeout === 0
              ? (want === "read" ? wantRead() : wantWrite())
              : new TimeoutError(message),
          );
        }, Math.max(0, Math.ceil(at - performance.now())));
      }
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w.check();
    this.#watchers.notify();
  }

  #notify(): void {
    this.#watchers.notify();
  }

  #inner(): Pollable | null {
    const inner = (this.#sock as unknown as Partial<Selectable>)[readiness];
    return inner ?? null;
  }

  #pollMask(): number {
    if (this.#closed && this.#fileRefs === 0) return POLLNVAL;
    const innerMask = this.#inner()?.pollMask() ?? POLLOUT;
    let mask = innerMask & (POLLERR | POLLHUP);
    if (this.#end > this.#start || this.#failure) mask |= POLLIN;
    if (this.#eof) mask |= POLLIN | POLLRDHUP;
    const t = this.#tls;
    if (innerMask & POLLOUT && (!t || (this.#handshaken && t.writableLength < SEND_LIMIT))) {
      mask |= POLLOUT;
    }
    return mask;
  }

  #watch(onChange: () => void): () => void {
    const stopInner = this.#inner()?.watch(onChange);
    const stop = this.#watchers.add(onChange);
    return () => {
      stop();
      stopInner?.();
    };
  }

  #backend(): FileBackend {
    // deno-lint-ignore no-this-alias
    const ssock = this;
    let released = false;
    return {
      buffered: () => ssock.#buf.subarray(ssock.#start, ssock.#end),
      consume: (n) => ssock.#consume(n),
      get consumed() {
        return ssock.#consumed;
      },
      fill: async () => {
        const have = ssock.#end - ssock.#start;
        if (have >= RECEIVE_LIMIT) return true;
        if (!ssock.#handshaken) await ssock.do_handshake();
        await ssock.#until(
          () =>
            ssock.#end - ssock.#start > have || ssock.#eof || ssock.#failure !== null ||
            ssock.#closed && ssock.#fileRefs === 0,
          "read",
          "The read operation timed out",
        );
        if (ssock.#end - ssock.#start > have) return true;
        if (ssock.#failure) throw ssock.#failure;
        return false;
      },
      get capacity() {
        return RECEIVE_LIMIT;
      },
      sendall: async (data) => {
        const t = await ssock.#writable();
        t.write(data.slice());
      },
      // Timeout and non-blocking modes: Python's BufferedWriter over send().
      send: (data) => ssock.send(data),
      get timeout() {
        return ssock.gettimeout();
      },
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        ssock.#fileRefs--;
        if (ssock.#fileRefs === 0 && ssock.#closed && ssock.#closing === null) {
          ssock.#closing = ssock.#release();
        }
        return ssock.#closing ?? Promise.resolve();
      },
      fileno: () => ssock.fileno(),
    };
  }

  /**
   * Sends close_notify after everything written so far (`end()`: Deno's
   * `node:tls` writes it to the transport on shutdown). No empty write
   * before it: in Deno 2.9.6 an empty write to the TLS socket fails with
   * `EPERM` and the close_notify is then never sent.
   */
  async #sendCloseNotify(t: tls.TLSSocket): Promise<void> {
    if (t.destroyed || t.writableEnded) return;
    await new Promise<void>((resolve) => {
      t.once("error", () => resolve());
      t.end(() => resolve());
    });
  }

  /** Sends close_notify, then lets go of the TLS stream and the inner socket. */
  async #release(): Promise<void> {
    if (!this.#handshakeSettled && this.#abortHandshake) {
      // Closed in mid-handshake: end it, and the TLS stream with its transport.
      const closed = new OSError(EBADF, strerror(EBADF));
      this.#abortHandshake(closed);
      this.#duplex?.stop();
      this.#duplex?.destroy();
    }
    this.#wake();
    const t = this.#tls;
    if (t && !t.destroyed) {
      if (this.#handshaken && !t.writableEnded && this.#failure === null) {
        // Bounded: a peer that does not read must not hang close().
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          this.#sendCloseNotify(t),
          new Promise((resolve) => timer = setTimeout(resolve, (this.#timeout ?? 5) * 1000)),
        ]);
        clearTimeout(timer);
      }
      t.destroy();
    }
    this.#duplex?.stop();
    if (this.#handshake) await this.#handshake.catch(() => {});
    await this.#sock.close();
    await this.#duplex?.idle();
    this.#duplex?.destroy();
  }
}

/**
 * Like Python's `ssl.get_server_certificate()`, but returns a promise:
 * the server's certificate in PEM, without verifying it (unless `ca_certs`
 * is given).
 *
 * @param addr `[host, port]`.
 * @param options `ca_certs` (a CA file to verify against), `timeout` (seconds).
 * @returns The PEM text.
 */
// deno-lint-ignore camelcase
export async function get_server_certificate(
  addr: [string, number],
  options: { ca_certs?: string | null; timeout?: number | null } = {},
): Promise<string> {
  const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  ctx.check_hostname = false;
  if (options.ca_certs) ctx.load_verify_locations(options.ca_certs);
  else ctx.verify_mode = CERT_NONE;
  const sock = new Socket();
  sock.settimeout(options.timeout ?? null);
  try {
    await sock.connect(addr);
    const ssock = await ctx.wrap_socket(sock, { server_hostname: addr[0] });
    try {
      return derToPem(ssock.getpeercert(true)!);
    } finally {
      await ssock.close();
    }
  } finally {
    await sock.close();
  }
}
