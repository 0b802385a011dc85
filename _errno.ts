// Copyright 2025 the pysocket authors. MIT license.

/**
 * The one mapping from Deno's errors to Python's `OSError` family, and the
 * platform's `strerror()` / `gai_strerror()` texts. Private to pysocket.
 *
 * @module
 */

import * as constants from "./constants.ts";
import {
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_FAIL,
  EAI_FAMILY,
  EAI_MEMORY,
  EAI_NODATA,
  EAI_NONAME,
  EAI_OVERFLOW,
  EAI_SERVICE,
  EAI_SOCKTYPE,
  EAI_SYSTEM,
  EBADF,
  EBUSY,
  ECONNABORTED,
  ECONNREFUSED,
  ECONNRESET,
  EEXIST,
  EINTR,
  EINVAL,
  EISDIR,
  ELOOP,
  ENETUNREACH,
  ENOENT,
  ENOTCONN,
  ENOTDIR,
  EOPNOTSUPP,
  EPERM,
  EPIPE,
  ETIMEDOUT,
} from "./constants.ts";
import { gaierror, OSError, TimeoutError } from "./errors.ts";

const os: string | undefined = (globalThis as {
  Deno?: { build?: { os?: string } };
}).Deno?.build?.os;
const darwin = os === "darwin";

// strerror() texts. Linux: glibc's, as python3's os.strerror() prints them
// (generated on Linux). macOS: libc's sys_errlist (xnu errno numbers).
const LINUX_STRERROR: Readonly<Record<number, string>> = {
  0: "Success",
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  4: "Interrupted system call",
  5: "Input/output error",
  6: "No such device or address",
  7: "Argument list too long",
  8: "Exec format error",
  9: "Bad file descriptor",
  10: "No child processes",
  11: "Resource temporarily unavailable",
  12: "Cannot allocate memory",
  13: "Permission denied",
  14: "Bad address",
  15: "Block device required",
  16: "Device or resource busy",
  17: "File exists",
  18: "Invalid cross-device link",
  19: "No such device",
  20: "Not a directory",
  21: "Is a directory",
  22: "Invalid argument",
  23: "Too many open files in system",
  24: "Too many open files",
  25: "Inappropriate ioctl for device",
  26: "Text file busy",
  27: "File too large",
  28: "No space left on device",
  29: "Illegal seek",
  30: "Read-only file system",
  31: "Too many links",
  32: "Broken pipe",
  33: "Numerical argument out of domain",
  34: "Numerical result out of range",
  35: "Resource deadlock avoided",
  36: "File name too long",
  37: "No locks available",
  38: "Function not implemented",
  39: "Directory not empty",
  40: "Too many levels of symbolic links",
  42: "No message of desired type",
  43: "Identifier removed",
  44: "Channel number out of range",
  45: "Level 2 not synchronized",
  46: "Level 3 halted",
  47: "Level 3 reset",
  48: "Link number out of range",
  49: "Protocol driver not attached",
  50: "No CSI structure available",
  51: "Level 2 halted",
  52: "Invalid exchange",
  53: "Invalid request descriptor",
  54: "Exchange full",
  55: "No anode",
  56: "Invalid request code",
  57: "Invalid slot",
  59: "Bad font file format",
  60: "Device not a stream",
  61: "No data available",
  62: "Timer expired",
  63: "Out of streams resources",
  64: "Machine is not on the network",
  65: "Package not installed",
  66: "Object is remote",
  67: "Link has been severed",
  68: "Advertise error",
  69: "Srmount error",
  70: "Communication error on send",
  71: "Protocol error",
  72: "Multihop attempted",
  73: "RFS specific error",
  74: "Bad message",
  75: "Value too large for defined data type",
  76: "Name not unique on network",
  77: "File descriptor in bad state",
  78: "Remote address changed",
  79: "Can not access a needed shared library",
  80: "Accessing a corrupted shared library",
  81: ".lib section in a.out corrupted",
  82: "Attempting to link in too many shared libraries",
  83: "Cannot exec a shared library directly",
  84: "Invalid or incomplete multibyte or wide character",
  85: "Interrupted system call should be restarted",
  86: "Streams pipe error",
  87: "Too many users",
  88: "Socket operation on non-socket",
  89: "Destination address required",
  90: "Message too long",
  91: "Protocol wrong type for socket",
  92: "Protocol not available",
  93: "Protocol not supported",
  94: "Socket type not supported",
  95: "Operation not supported",
  96: "Protocol family not supported",
  97: "Address family not supported by protocol",
  98: "Address already in use",
  99: "Cannot assign requested address",
  100: "Network is down",
  101: "Network is unreachable",
  102: "Network dropped connection on reset",
  103: "Software caused connection abort",
  104: "Connection reset by peer",
  105: "No buffer space available",
  106: "Transport endpoint is already connected",
  107: "Transport endpoint is not connected",
  108: "Cannot send after transport endpoint shutdown",
  109: "Too many references: cannot splice",
  110: "Connection timed out",
  111: "Connection refused",
  112: "Host is down",
  113: "No route to host",
  114: "Operation already in progress",
  115: "Operation now in progress",
  116: "Stale file handle",
  117: "Structure needs cleaning",
  118: "Not a XENIX named type file",
  119: "No XENIX semaphores available",
  120: "Is a named type file",
  121: "Remote I/O error",
  122: "Disk quota exceeded",
  123: "No medium found",
  124: "Wrong medium type",
  125: "Operation canceled",
  126: "Required key not available",
  127: "Key has expired",
  128: "Key has been revoked",
  129: "Key was rejected by service",
  130: "Owner died",
  131: "State not recoverable",
  132: "Operation not possible due to RF-kill",
  133: "Memory page has hardware error",
};
const DARWIN_STRERROR: Readonly<Record<number, string>> = {
  0: "Undefined error: 0",
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  4: "Interrupted system call",
  5: "Input/output error",
  6: "Device not configured",
  7: "Argument list too long",
  8: "Exec format error",
  9: "Bad file descriptor",
  10: "No child processes",
  11: "Resource deadlock avoided",
  12: "Cannot allocate memory",
  13: "Permission denied",
  14: "Bad address",
  15: "Block device required",
  16: "Resource busy",
  17: "File exists",
  18: "Cross-device link",
  19: "Operation not supported by device",
  20: "Not a directory",
  21: "Is a directory",
  22: "Invalid argument",
  23: "Too many open files in system",
  24: "Too many open files",
  25: "Inappropriate ioctl for device",
  26: "Text file busy",
  27: "File too large",
  28: "No space left on device",
  29: "Illegal seek",
  30: "Read-only file system",
  31: "Too many links",
  32: "Broken pipe",
  33: "Numerical argument out of domain",
  34: "Result too large",
  35: "Resource temporarily unavailable",
  36: "Operation now in progress",
  37: "Operation already in progress",
  38: "Socket operation on non-socket",
  39: "Destination address required",
  40: "Message too long",
  41: "Protocol wrong type for socket",
  42: "Protocol not available",
  43: "Protocol not supported",
  44: "Socket type not supported",
  45: "Operation not supported",
  46: "Protocol family not supported",
  47: "Address family not supported by protocol family",
  48: "Address already in use",
  49: "Can't assign requested address",
  50: "Network is down",
  51: "Network is unreachable",
  52: "Network dropped connection on reset",
  53: "Software caused connection abort",
  54: "Connection reset by peer",
  55: "No buffer space available",
  56: "Socket is already connected",
  57: "Socket is not connected",
  58: "Can't send after socket shutdown",
  59: "Too many references: can't splice",
  60: "Operation timed out",
  61: "Connection refused",
  62: "Too many levels of symbolic links",
  63: "File name too long",
  64: "Host is down",
  65: "No route to host",
  66: "Directory not empty",
  67: "Too many processes",
  68: "Too many users",
  69: "Disc quota exceeded",
  70: "Stale NFS file handle",
  71: "Too many levels of remote in path",
  72: "RPC struct is bad",
  73: "RPC version wrong",
  74: "RPC prog. not avail",
  75: "Program version wrong",
  76: "Bad procedure for program",
  77: "No locks available",
  78: "Function not implemented",
  79: "Inappropriate file type or format",
  80: "Authentication error",
  81: "Need authenticator",
  82: "Device power is off",
  83: "Device error",
  84: "Value too large to be stored in data type",
  85: "Bad executable (or shared library)",
  86: "Bad CPU type in executable",
  87: "Shared library version mismatch",
  88: "Malformed Mach-o file",
  89: "Operation canceled",
  90: "Identifier removed",
  91: "No message of desired type",
  92: "Illegal byte sequence",
  93: "Attribute not found",
  94: "Bad message",
  95: "EMULTIHOP (Reserved)",
  96: "No message available on STREAM",
  97: "ENOLINK (Reserved)",
  98: "No STREAM resources",
  99: "Not a STREAM",
  100: "Protocol error",
  101: "STREAM ioctl timeout",
  102: "Operation not supported on socket",
  103: "Policy not found",
  104: "State not recoverable",
  105: "Previous owner died",
  106: "Interface output queue is full",
};

// gai_strerror() texts. Linux: glibc's (it has no text for EAI_OVERFLOW).
// macOS: libinfo's, with positive codes.
const LINUX_GAI_STRERROR: Readonly<Record<number, string>> = {
  [-1]: "Bad value for ai_flags",
  [-2]: "Name or service not known",
  [-3]: "Temporary failure in name resolution",
  [-4]: "Non-recoverable failure in name resolution",
  [-5]: "No address associated with hostname",
  [-6]: "ai_family not supported",
  [-7]: "ai_socktype not supported",
  [-8]: "Servname not supported for ai_socktype",
  [-9]: "Address family for hostname not supported",
  [-10]: "Memory allocation failure",
  [-11]: "System error",
  [-12]: "Unknown error",
};
const DARWIN_GAI_STRERROR: Readonly<Record<number, string>> = {
  1: "Address family for hostname not supported",
  2: "Temporary failure in name resolution",
  3: "Invalid value for ai_flags",
  4: "Non-recoverable failure in name resolution",
  5: "ai_family not supported",
  6: "Memory allocation failure",
  7: "No address associated with hostname",
  8: "nodename nor servname provided, or not known",
  9: "servname not supported for ai_socktype",
  10: "ai_socktype not supported",
  11: "System error returned in errno",
  12: "Invalid value for hints",
  13: "Resolved protocol is unknown",
  14: "Argument buffer overflow",
};

const STRERROR = darwin ? DARWIN_STRERROR : LINUX_STRERROR;
const GAI_STRERROR = darwin ? DARWIN_GAI_STRERROR : LINUX_GAI_STRERROR;

/**
 * The platform's `strerror(errno)` text, as Python's `os.strerror()`.
 *
 * @param errno An errno number.
 * @returns The text, e.g. `"Connection refused"`.
 */
export function strerror(errno: number): string {
  return STRERROR[errno] ??
    (darwin ? `Unknown error: ${errno}` : `Unknown error ${errno}`);
}

/**
 * The platform's `gai_strerror(code)` text, as Python puts in a `gaierror`.
 *
 * @param code An `EAI_*` code.
 * @returns The text, e.g. `"Name or service not known"`.
 */
export function gaiStrerror(code: number): string {
  return GAI_STRERROR[code] ?? "Unknown error";
}

/**
 * The `OSError` Python would raise for `errno`: the PEP 3151 subclass
 * (`ConnectionRefusedError`, …) with the platform's strerror text.
 *
 * @param errno An errno number.
 * @param options Standard error options (`cause`).
 * @returns The error, e.g. `ConnectionRefusedError: [Errno 111] Connection refused`.
 */
export function oserror(errno: number, options?: ErrorOptions): OSError {
  return new OSError(errno, strerror(errno), options);
}

/**
 * The `gaierror` Python would raise for a resolver code.
 *
 * @param code An `EAI_*` code.
 * @param options Standard error options (`cause`).
 * @returns The error, e.g. `gaierror: [Errno -2] Name or service not known`.
 */
export function gaiError(code: number, options?: ErrorOptions): gaierror {
  return new gaierror(code, gaiStrerror(code), options);
}

/**
 * The error a socket in timeout mode raises: `TimeoutError("timed out")`,
 * `errno` null, as Python's socket module.
 *
 * @param options Standard error options (`cause`).
 * @returns The error.
 */
export function timedOut(options?: ErrorOptions): TimeoutError {
  return new TimeoutError("timed out", undefined, options);
}

// Deno error class → errno, for errors that carry no `code` and no
// "(os error N)" (Deno's own errors: BadResource, NotCapable, …).
const BY_CLASS: Readonly<Record<string, number>> = {
  ConnectionRefused: ECONNREFUSED,
  ConnectionReset: ECONNRESET,
  ConnectionAborted: ECONNABORTED,
  NotConnected: ENOTCONN,
  AddrInUse: EADDRINUSE,
  AddrNotAvailable: EADDRNOTAVAIL,
  BrokenPipe: EPIPE,
  TimedOut: ETIMEDOUT,
  Interrupted: EINTR,
  BadResource: EBADF,
  NotFound: ENOENT,
  AlreadyExists: EEXIST,
  PermissionDenied: EACCES,
  NotCapable: EPERM,
  InvalidData: EINVAL,
  WouldBlock: EAGAIN,
  NotSupported: EOPNOTSUPP,
  Busy: EBUSY,
  IsADirectory: EISDIR,
  NotADirectory: ENOTDIR,
  NetworkUnreachable: ENETUNREACH,
  FilesystemLoop: ELOOP,
};

// Codes of node:dns errors (Deno's Node compatibility layer) → EAI_* codes.
const GAI_BY_NODE_CODE: Readonly<Record<string, number>> = {
  ENOTFOUND: EAI_NONAME,
  EAI_NONAME: EAI_NONAME,
  EAI_AGAIN: EAI_AGAIN,
  EAI_FAIL: EAI_FAIL,
  EAI_NODATA: EAI_NODATA,
  ENODATA: EAI_NODATA,
  EAI_FAMILY: EAI_FAMILY,
  EAI_ADDRFAMILY: EAI_ADDRFAMILY,
  EAI_SERVICE: EAI_SERVICE,
  EAI_SOCKTYPE: EAI_SOCKTYPE,
  EAI_BADFLAGS: EAI_BADFLAGS,
  EAI_MEMORY: EAI_MEMORY,
  EAI_OVERFLOW: EAI_OVERFLOW,
  EAI_SYSTEM: EAI_SYSTEM,
};

const GAI_PREFIX = "failed to lookup address information: ";

// The errno number of an errno name ("ECONNREFUSED"), from constants.ts.
function errnoByName(name: string): number | undefined {
  if (!/^E[A-Z0-9]+$/.test(name)) return undefined;
  const value = (constants as Record<string, unknown>)[name];
  return typeof value === "number" ? value : undefined;
}

// The EAI_* code for a gai_strerror() text, or EAI_NONAME for an unknown one.
function gaiCodeByText(text: string): number {
  for (const [code, known] of Object.entries(GAI_STRERROR)) {
    if (known === text) return Number(code);
  }
  return /temporary/i.test(text) ? EAI_AGAIN : EAI_NONAME;
}

/**
 * Converts an error thrown by a Deno API into the exception Python would
 * raise: THE one mapping from Deno's errors to the `OSError` family.
 *
 * In order:
 * - an `OSError` is returned as is;
 * - a name resolution failure (Deno's `failed to lookup address
 *   information: …`, a `node:dns` `ENOTFOUND` / `EAI_*` error, a DNS query
 *   with no records, an invalid host name) becomes a `gaierror` with
 *   Python's EAI code and text;
 * - an error whose `code` is an errno name (`"ECONNREFUSED"`) or whose
 *   message ends in `(os error N)` becomes the subclass for that errno, with
 *   the platform's strerror text (not Deno's message);
 * - a DOMException `TimeoutError` (`AbortSignal.timeout()`) becomes
 *   `TimeoutError("timed out")`;
 * - a Deno error class without an OS code becomes the subclass for the
 *   matching errno (`BadResource` → EBADF, …). A missing Deno permission
 *   (`NotCapable`, or `PermissionDenied` without an OS code) becomes a
 *   `PermissionError` (EPERM / EACCES) that keeps Deno's message, which
 *   names the missing `--allow-*` flag;
 * - anything else becomes a one-argument `OSError` with the error's message.
 *
 * The original is kept as `cause`.
 *
 * @param err What a Deno API threw or rejected with.
 * @returns The matching `OSError`.
 */
export function fromDenoError(err: unknown): OSError {
  if (err instanceof OSError) return err;
  const options = { cause: err };
  if (!(err instanceof Error)) {
    return new OSError(String(err), undefined, options);
  }
  const message = err.message;
  const { code, syscall } = err as Error & {
    code?: unknown;
    syscall?: unknown;
  };

  // Name resolution.
  if (message.startsWith(GAI_PREFIX)) {
    return gaiError(gaiCodeByText(message.slice(GAI_PREFIX.length)), options);
  }
  if (
    typeof code === "string" && Object.hasOwn(GAI_BY_NODE_CODE, code) &&
    (code.startsWith("EAI_") || code === "ENOTFOUND" ||
      syscall === "getaddrinfo" || syscall === "getnameinfo")
  ) {
    return gaiError(GAI_BY_NODE_CODE[code], options);
  }
  if (err.name === "NotFound" && /no records found/.test(message)) {
    return gaiError(EAI_NONAME, options); // Deno.resolveDns()
  }
  if (err instanceof URIError && /^invalid (empty )?host\b/.test(message)) {
    return gaiError(EAI_NONAME, options); // Deno.connect({ hostname: "a..b" })
  }

  // The OS errno: Deno's `code`, else the "(os error N)" in the message
  // (Windows numbers there are not errnos).
  let errno = typeof code === "string" ? errnoByName(code) : undefined;
  if (errno === undefined && os !== "windows") {
    const match = /\(os error (-?\d+)\)/.exec(message);
    if (match) errno = Number(match[1]);
  }
  if (errno !== undefined) return oserror(errno, options);

  if (err.name === "TimeoutError") return timedOut(options); // DOMException

  const byClass = Object.hasOwn(BY_CLASS, err.name) ? BY_CLASS[err.name] : undefined;
  if (byClass !== undefined) {
    // Deno's permission errors name the --allow-* flag: keep that text.
    const text = byClass === EPERM || byClass === EACCES ? message : strerror(byClass);
    return new OSError(byClass, text, options);
  }
  return new OSError(message, undefined, options);
}
