// Copyright 2025 the pysocket authors. MIT license.
/**
 * Python's `ssl` exceptions, and the translation of `node:tls` failures
 * (Deno's TLS is rustls under a Node-compatible surface) into the error
 * Python (OpenSSL) gives for the same case.
 *
 * @module
 */

import { OSError } from "./errors.ts";

/** `SSLError.errno` values, as Python's `ssl.SSL_ERROR_*`. */
export const SSL_ERROR_SSL = 1;
/** The operation needs more bytes from the peer. */
export const SSL_ERROR_WANT_READ = 2;
/** The operation needs room to write. */
export const SSL_ERROR_WANT_WRITE = 3;
/** Python's `ssl.SSL_ERROR_WANT_X509_LOOKUP`. */
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
/** A system call failed under TLS. */
export const SSL_ERROR_SYSCALL = 5;
/** The peer closed the TLS session (close_notify). */
export const SSL_ERROR_ZERO_RETURN = 6;
/** Python's `ssl.SSL_ERROR_WANT_CONNECT`. */
export const SSL_ERROR_WANT_CONNECT = 7;
/** The connection ended in violation of the protocol. */
export const SSL_ERROR_EOF = 8;
/** Python's `ssl.SSL_ERROR_INVALID_ERROR_CODE`. */
export const SSL_ERROR_INVALID_ERROR_CODE = 10;

/**
 * Like Python's `ssl.SSLError`: a TLS failure, a subclass of `OSError`.
 * `errno` is an `SSL_ERROR_*` code, `library` and `reason` name OpenSSL's
 * error (`"SSL"`, `"CERTIFICATE_VERIFY_FAILED"`), and the message has
 * Python's shape `[SSL: REASON] text` (without Python's `(_ssl.c:NNN)`
 * source location).
 *
 * @example
 * ```ts
 * import { SSLError } from "./ssl.ts";
 * import { OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
 * assert.ok(err instanceof OSError);
 * assert.equal(err.message, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
 * ```
 */
export class SSLError extends OSError {
  static {
    this.prototype.name = "SSLError";
  }
  /** OpenSSL's library name (`"SSL"`), or `null`. */
  library: string | null = null;
  /** OpenSSL's reason code (`"CERTIFICATE_VERIFY_FAILED"`), or `null`. */
  reason: string | null = null;

  /**
   * As Python's `SSLError(errno, strerror)`; the message is `strerror`
   * alone, as Python's `str()` of an SSL error.
   *
   * @param errno An `SSL_ERROR_*` code; or, alone, the message.
   * @param strerror The message.
   * @param options `cause`.
   */
  constructor(errno?: number | string | null, strerror?: string, options?: ErrorOptions) {
    super(errno, strerror, options);
    if (strerror !== undefined) this.message = strerror;
    const m = /^\[([A-Z0-9_]+)(?:: ([A-Z0-9_]+))?\]/.exec(this.message);
    if (m) {
      this.library = m[1];
      this.reason = m[2] ?? null;
    }
  }
}

/** Like Python's `ssl.SSLZeroReturnError`: the peer closed the TLS session. */
export class SSLZeroReturnError extends SSLError {
  static {
    this.prototype.name = "SSLZeroReturnError";
  }
}

/**
 * Like Python's `ssl.SSLWantReadError`: a non-blocking call needs bytes
 * from the peer first. Nothing was lost: call again later.
 */
export class SSLWantReadError extends SSLError {
  static {
    this.prototype.name = "SSLWantReadError";
  }
}

/**
 * Like Python's `ssl.SSLWantWriteError`: a non-blocking call needs room in
 * the send buffer first. Nothing was sent: call again later.
 */
export class SSLWantWriteError extends SSLError {
  static {
    this.prototype.name = "SSLWantWriteError";
  }
}

/** Like Python's `ssl.SSLSyscallError`: the transport failed under TLS. */
export class SSLSyscallError extends SSLError {
  static {
    this.prototype.name = "SSLSyscallError";
  }
}

/** Like Python's `ssl.SSLEOFError`: the connection ended in violation of the protocol. */
export class SSLEOFError extends SSLError {
  static {
    this.prototype.name = "SSLEOFError";
  }
}

/**
 * Like Python's `ssl.SSLCertVerificationError` (alias `CertificateError`):
 * the peer's certificate failed verification. `verify_code` and
 * `verify_message` are OpenSSL's (`20`, `"unable to get local issuer
 * certificate"`; `62`, `"Hostname mismatch, …"`).
 */
export class SSLCertVerificationError extends SSLError {
  static {
    this.prototype.name = "SSLCertVerificationError";
  }
  /** OpenSSL's `X509_V_ERR_*` number. */
  verify_code: number | null = null;
  /** OpenSSL's text for it. */
  verify_message: string | null = null;
}

/** Builds `[SSL: REASON] text` as Python does. */
export function sslError<T extends SSLError>(
  Class: new (errno: number, strerror: string, options?: ErrorOptions) => T,
  errno: number,
  reason: string | null,
  text: string,
  cause?: unknown,
): T {
  const message = reason === null ? text : `[SSL: ${reason}] ${text}`;
  return new Class(errno, message, cause === undefined ? undefined : { cause });
}

/** A certificate verification failure, as Python's message. */
export function verifyError(code: number, text: string, cause?: unknown): SSLCertVerificationError {
  const e = sslError(
    SSLCertVerificationError,
    SSL_ERROR_SSL,
    "CERTIFICATE_VERIFY_FAILED",
    `certificate verify failed: ${text}`,
    cause,
  );
  e.verify_code = code;
  e.verify_message = text;
  return e;
}

// OpenSSL's X509_V_ERR_* numbers and texts, keyed on Node's error codes.
const VERIFY: Record<string, [number, string]> = {
  UNABLE_TO_GET_ISSUER_CERT: [2, "unable to get issuer certificate"],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [20, "unable to get local issuer certificate"],
  // rustls reports every unknown issuer so; OpenSSL's usual word for it (a leaf sent
  // without its chain, or a chain to an unknown root) is 20.
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [20, "unable to get local issuer certificate"],
  SELF_SIGNED_CERT_IN_CHAIN: [19, "self-signed certificate in certificate chain"],
  DEPTH_ZERO_SELF_SIGNED_CERT: [18, "self-signed certificate"],
  CERT_HAS_EXPIRED: [10, "certificate has expired"],
  CERT_NOT_YET_VALID: [9, "certificate is not yet valid"],
  CERT_REVOKED: [23, "certificate revoked"],
  CERT_SIGNATURE_FAILURE: [7, "certificate signature failure"],
  INVALID_CA: [24, "invalid CA certificate"],
  INVALID_PURPOSE: [26, "unsupported certificate purpose"],
  CERT_UNTRUSTED: [27, "certificate not trusted"],
  CERT_REJECTED: [28, "certificate rejected"],
};

// Alerts as OpenSSL names what the other side reported (reason, text).
const ALERTS: Record<string, [string, string]> = {
  UnknownCA: ["TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca"],
  BadCertificate: ["SSLV3_ALERT_BAD_CERTIFICATE", "sslv3 alert bad certificate"],
  CertificateExpired: ["SSLV3_ALERT_CERTIFICATE_EXPIRED", "sslv3 alert certificate expired"],
  CertificateRevoked: ["SSLV3_ALERT_CERTIFICATE_REVOKED", "sslv3 alert certificate revoked"],
  CertificateUnknown: ["SSLV3_ALERT_CERTIFICATE_UNKNOWN", "sslv3 alert certificate unknown"],
  UnsupportedCertificate: [
    "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
    "sslv3 alert unsupported certificate",
  ],
  ProtocolVersion: ["TLSV1_ALERT_PROTOCOL_VERSION", "tlsv1 alert protocol version"],
  HandshakeFailure: ["SSLV3_ALERT_HANDSHAKE_FAILURE", "sslv3 alert handshake failure"],
  DecryptError: ["TLSV1_ALERT_DECRYPT_ERROR", "tlsv1 alert decrypt error"],
  DecodeError: ["TLSV1_ALERT_DECODE_ERROR", "tlsv1 alert decode error"],
  InternalError: ["TLSV1_ALERT_INTERNAL_ERROR", "tlsv1 alert internal error"],
  AccessDenied: ["TLSV1_ALERT_ACCESS_DENIED", "tlsv1 alert access denied"],
  IllegalParameter: ["SSLV3_ALERT_ILLEGAL_PARAMETER", "sslv3 alert illegal parameter"],
  NoApplicationProtocol: [
    "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
    "tlsv1 alert no application protocol",
  ],
  CertificateRequired: ["TLSV13_ALERT_CERTIFICATE_REQUIRED", "tlsv13 alert certificate required"],
  UnrecognisedName: ["TLSV1_UNRECOGNIZED_NAME", "tlsv1 unrecognized name"],
};

/**
 * The Python error for a `node:tls` failure. `hostname` is the name the
 * client checked (for the hostname-mismatch text).
 */
export function fromTlsError(e: unknown, hostname: string | null): Error {
  if (e instanceof OSError) return e;
  const err = e as { code?: string; message?: string; reason?: string };
  const code = err?.code ?? "";
  const message = String(err?.message ?? e);
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return verifyError(62, `Hostname mismatch, certificate is not valid for '${hostname}'.`, e);
  }
  if (code in VERIFY) return verifyError(VERIFY[code][0], VERIFY[code][1], e);
  // rustls messages, as Deno reports them: first an alert the peer sent.
  const alert = /(?:received|peer sent).*?alert:? ?([A-Za-z]+)/i.exec(message) ??
    /AlertReceived\(([A-Za-z]+)\)/.exec(message);
  if (alert && alert[1] in ALERTS) {
    const [reason, text] = ALERTS[alert[1]];
    return sslError(SSLError, SSL_ERROR_SSL, reason, text, e);
  }
  if (/UnknownIssuer/.test(message)) {
    return verifyError(20, VERIFY.UNABLE_TO_GET_ISSUER_CERT_LOCALLY[1], e);
  }
  if (/Expired/.test(message) && /certificate/i.test(message)) {
    return verifyError(10, "certificate has expired", e);
  }
  if (/NotValidYet/.test(message)) return verifyError(9, "certificate is not yet valid", e);
  if (/NotValidForName/.test(message)) {
    return verifyError(62, `Hostname mismatch, certificate is not valid for '${hostname}'.`, e);
  }
  if (
    /InvalidContentType|CorruptMessage|InvalidMessage|wrong version|packet length too long|MessageTooLarge|received corrupt message/i
      .test(message)
  ) {
    return sslError(SSLError, SSL_ERROR_SSL, "WRONG_VERSION_NUMBER", "wrong version number", e);
  }
  if (
    /PeerIncompatible|ProtocolVersion|unsupported ?protocol|no ?supported ?versions|SupportedVersionsExtensionRequired/i
      .test(message)
  ) {
    return sslError(SSLError, SSL_ERROR_SSL, "UNSUPPORTED_PROTOCOL", "unsupported protocol", e);
  }
  if (
    /NoCertificatesPresented|peer did not return a certificate|peer sent no certificates/i.test(
      message,
    )
  ) {
    return sslError(
      SSLError,
      SSL_ERROR_SSL,
      "PEER_DID_NOT_RETURN_A_CERTIFICATE",
      "peer did not return a certificate",
      e,
    );
  }
  if (
    code === "ECONNRESET" ||
    /socket hang up|disconnected before secure|UnexpectedEof|unexpected eof|EOF/i.test(message)
  ) {
    return sslError(
      SSLEOFError,
      SSL_ERROR_EOF,
      "UNEXPECTED_EOF_WHILE_READING",
      "EOF occurred in violation of protocol",
      e,
    );
  }
  return sslError(SSLError, SSL_ERROR_SSL, null, `[SSL] ${message}`, e);
}
