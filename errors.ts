// Copyright 2025 the pysocket authors. MIT license.

/**
 * Python's exception family for sockets: `OSError` (alias `error`) and the
 * PEP 3151 subclasses that socket code catches (`ConnectionRefusedError`,
 * `TimeoutError` (alias `timeout`), `BlockingIOError`, …), plus `gaierror`
 * and `herror` for name resolution.
 *
 * The classes are constructed as Python's are: `new OSError(errno, strerror)`
 * gives the message `[Errno 111] Connection refused`, and, as in Python,
 * calling the `OSError` constructor itself with an errno returns the
 * matching subclass.
 *
 * @example Catch a refused connection
 * ```ts
 * import { ConnectionError, ConnectionRefusedError, OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(111, "Connection refused");
 * assert.ok(err instanceof ConnectionRefusedError);
 * assert.ok(err instanceof ConnectionError);
 * assert.equal(err.name, "ConnectionRefusedError");
 * assert.equal(err.message, "[Errno 111] Connection refused");
 * ```
 *
 * @module
 */

import {
  EACCES,
  EAGAIN,
  EALREADY,
  ECHILD,
  ECONNABORTED,
  ECONNREFUSED,
  ECONNRESET,
  EEXIST,
  EINPROGRESS,
  EINTR,
  EISDIR,
  ENOENT,
  ENOTDIR,
  EPERM,
  EPIPE,
  ESHUTDOWN,
  ESRCH,
  ETIMEDOUT,
  EWOULDBLOCK,
} from "./constants.ts";

/**
 * Like Python's `OSError` (and `socket.error`): an operating system failure,
 * with the errno number and its text.
 *
 * As in Python, the constructor has two forms. With an errno and a
 * strerror, `errno` and `strerror` are set and the message is
 * `[Errno <errno>] <strerror>`; when called on `OSError` itself, the
 * constructor returns an instance of the PEP 3151 subclass for that errno
 * (`ConnectionRefusedError` for ECONNREFUSED, …), as Python's does. With a
 * single argument, that argument is the message, and `errno` and `strerror`
 * are `null`.
 *
 * @example Two-argument form
 * ```ts
 * import { ConnectionRefusedError, OSError } from "./errors.ts";
 * import { ECONNREFUSED } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECONNREFUSED, "Connection refused");
 * assert.ok(err instanceof ConnectionRefusedError);
 * assert.equal(err.errno, ECONNREFUSED);
 * assert.equal(err.strerror, "Connection refused");
 * assert.equal(err.message, `[Errno ${ECONNREFUSED}] Connection refused`);
 * assert.deepEqual(err.args, [ECONNREFUSED, "Connection refused"]);
 * ```
 *
 * @example One-argument form
 * ```ts
 * import { OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError("something failed");
 * assert.equal(err.message, "something failed");
 * assert.equal(err.errno, null);
 * assert.equal(err.strerror, null);
 * assert.deepEqual(err.args, ["something failed"]);
 * ```
 */
export class OSError extends Error {
  static {
    this.prototype.name = "OSError";
  }

  /** The errno number (`ECONNREFUSED`, …), or `null` in the one-argument form. */
  errno: number | null = null;
  /** The text of the errno (`"Connection refused"`), or `null` in the one-argument form. */
  strerror: string | null = null;
  /**
   * The arguments, as Python's `e.args`: `[errno, strerror]` in the
   * two-argument form, `[message]` in the one-argument form, `[]` without
   * arguments.
   */
  args: (number | string | null)[] = [];

  /**
   * Constructs an `OSError` as Python's `OSError(errno, strerror)` or
   * `OSError(message)`.
   *
   * @param errno The errno number; or, when `strerror` is not given, the
   * message.
   * @param strerror The text of the errno (`os.strerror(errno)` in Python).
   * @param options Standard error options; `cause` keeps the original error.
   */
  constructor(
    errno?: number | string | null,
    strerror?: string,
    options?: ErrorOptions,
  ) {
    const twoArgs = strerror !== undefined;
    super(
      twoArgs ? `[Errno ${errno ?? "None"}] ${strerror}` : errno == null ? "" : String(errno),
      options,
    );
    // Python's OSError.__new__ picks the subclass from the errno, but only
    // when OSError itself is called with at least two arguments.
    if (new.target === OSError && twoArgs && typeof errno === "number") {
      const Subclass = subclassFor(errno);
      if (Subclass !== undefined) return new Subclass(errno, strerror, options);
    }
    this.args = twoArgs ? [errno ?? null, strerror] : errno === undefined ? [] : [errno];
    if (twoArgs) {
      this.errno = typeof errno === "number" ? errno : null;
      this.strerror = strerror;
    }
  }
}

/**
 * Like Python's `TimeoutError` (and `socket.timeout`): an operation did not
 * complete in time. A socket in timeout mode raises it with the message
 * `timed out` and `errno` `null`, as Python does; `OSError(ETIMEDOUT, …)`
 * also constructs one.
 *
 * This class is not the web platform's `DOMException` named
 * `"TimeoutError"` (from `AbortSignal.timeout()`); import it from here.
 *
 * @example A socket timeout
 * ```ts
 * import { OSError, TimeoutError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new TimeoutError("timed out");
 * assert.ok(err instanceof OSError);
 * assert.equal(err.message, "timed out");
 * assert.equal(err.errno, null);
 * ```
 */
export class TimeoutError extends OSError {
  static {
    this.prototype.name = "TimeoutError";
  }
}

/** Options of the {@linkcode BlockingIOError} constructor. */
export interface BlockingIOErrorOptions extends ErrorOptions {
  /** How many bytes were written before the operation would block. @default {0} */
  // deno-lint-ignore camelcase
  characters_written?: number;
}

/**
 * Like Python's `BlockingIOError`: an operation on a non-blocking socket
 * would block (errno EAGAIN / EWOULDBLOCK, EINPROGRESS or EALREADY).
 *
 * @example Non-blocking receive with nothing to read
 * ```ts
 * import { BlockingIOError, OSError } from "./errors.ts";
 * import { EAGAIN } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(EAGAIN, "Resource temporarily unavailable");
 * assert.ok(err instanceof BlockingIOError);
 * assert.equal(err.characters_written, 0);
 * ```
 */
export class BlockingIOError extends OSError {
  static {
    this.prototype.name = "BlockingIOError";
  }

  /** How many bytes were written before the operation would block. */
  characters_written: number;

  /**
   * Constructs a `BlockingIOError` as Python's
   * `BlockingIOError(errno, strerror, characters_written)`.
   *
   * @param errno The errno number; or, when `strerror` is not given, the
   * message.
   * @param strerror The text of the errno.
   * @param options Standard error options, plus `characters_written`.
   */
  constructor(
    errno?: number | string | null,
    strerror?: string,
    options?: BlockingIOErrorOptions,
  ) {
    super(errno, strerror, options);
    this.characters_written = options?.characters_written ?? 0;
  }
}

/**
 * Like Python's `ConnectionError`: the base class of the connection
 * failures (`BrokenPipeError`, `ConnectionAbortedError`,
 * `ConnectionRefusedError`, `ConnectionResetError`).
 *
 * @example Catch any connection failure
 * ```ts
 * import { ConnectionError, OSError } from "./errors.ts";
 * import { ECONNRESET } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECONNRESET, "Connection reset by peer");
 * assert.ok(err instanceof ConnectionError);
 * ```
 */
export class ConnectionError extends OSError {
  static {
    this.prototype.name = "ConnectionError";
  }
}

/**
 * Like Python's `BrokenPipeError`: writing to a stream whose other end, or
 * whose own sending side, is shut down (EPIPE, ESHUTDOWN).
 *
 * @example
 * ```ts
 * import { BrokenPipeError, OSError } from "./errors.ts";
 * import { EPIPE } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new OSError(EPIPE, "Broken pipe") instanceof BrokenPipeError);
 * ```
 */
export class BrokenPipeError extends ConnectionError {
  static {
    this.prototype.name = "BrokenPipeError";
  }
}

/**
 * Like Python's `ConnectionAbortedError`: the connection was aborted by this
 * side (ECONNABORTED).
 *
 * @example
 * ```ts
 * import { ConnectionAbortedError, OSError } from "./errors.ts";
 * import { ECONNABORTED } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECONNABORTED, "Software caused connection abort");
 * assert.ok(err instanceof ConnectionAbortedError);
 * ```
 */
export class ConnectionAbortedError extends ConnectionError {
  static {
    this.prototype.name = "ConnectionAbortedError";
  }
}

/**
 * Like Python's `ConnectionRefusedError`: nobody listens at the address
 * (ECONNREFUSED).
 *
 * @example
 * ```ts
 * import { ConnectionRefusedError, OSError } from "./errors.ts";
 * import { ECONNREFUSED } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECONNREFUSED, "Connection refused");
 * assert.ok(err instanceof ConnectionRefusedError);
 * ```
 */
export class ConnectionRefusedError extends ConnectionError {
  static {
    this.prototype.name = "ConnectionRefusedError";
  }
}

/**
 * Like Python's `ConnectionResetError`: the peer reset the connection
 * (ECONNRESET).
 *
 * @example
 * ```ts
 * import { ConnectionResetError, OSError } from "./errors.ts";
 * import { ECONNRESET } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECONNRESET, "Connection reset by peer");
 * assert.ok(err instanceof ConnectionResetError);
 * ```
 */
export class ConnectionResetError extends ConnectionError {
  static {
    this.prototype.name = "ConnectionResetError";
  }
}

/**
 * Like Python's `FileNotFoundError`: no such file or directory (ENOENT), as
 * when connecting to an AF_UNIX path that does not exist.
 *
 * @example
 * ```ts
 * import { FileNotFoundError, OSError } from "./errors.ts";
 * import { ENOENT } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ENOENT, "No such file or directory");
 * assert.ok(err instanceof FileNotFoundError);
 * ```
 */
export class FileNotFoundError extends OSError {
  static {
    this.prototype.name = "FileNotFoundError";
  }
}

/**
 * Like Python's `FileExistsError`: the file already exists (EEXIST).
 *
 * @example
 * ```ts
 * import { FileExistsError, OSError } from "./errors.ts";
 * import { EEXIST } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new OSError(EEXIST, "File exists") instanceof FileExistsError);
 * ```
 */
export class FileExistsError extends OSError {
  static {
    this.prototype.name = "FileExistsError";
  }
}

/**
 * Like Python's `PermissionError`: the operation is not allowed (EACCES,
 * EPERM). A missing Deno permission (`--allow-net`, …) raises it too, with
 * Deno's message naming the flag.
 *
 * @example
 * ```ts
 * import { OSError, PermissionError } from "./errors.ts";
 * import { EACCES } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new OSError(EACCES, "Permission denied") instanceof PermissionError);
 * ```
 */
export class PermissionError extends OSError {
  static {
    this.prototype.name = "PermissionError";
  }
}

/**
 * Like Python's `InterruptedError`: a system call was interrupted (EINTR).
 *
 * @example
 * ```ts
 * import { InterruptedError, OSError } from "./errors.ts";
 * import { EINTR } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(EINTR, "Interrupted system call");
 * assert.ok(err instanceof InterruptedError);
 * ```
 */
export class InterruptedError extends OSError {
  static {
    this.prototype.name = "InterruptedError";
  }
}

/**
 * Like Python's `IsADirectoryError`: the path is a directory (EISDIR).
 *
 * @example
 * ```ts
 * import { IsADirectoryError, OSError } from "./errors.ts";
 * import { EISDIR } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new OSError(EISDIR, "Is a directory") instanceof IsADirectoryError);
 * ```
 */
export class IsADirectoryError extends OSError {
  static {
    this.prototype.name = "IsADirectoryError";
  }
}

/**
 * Like Python's `NotADirectoryError`: a path component is not a directory
 * (ENOTDIR).
 *
 * @example
 * ```ts
 * import { NotADirectoryError, OSError } from "./errors.ts";
 * import { ENOTDIR } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ENOTDIR, "Not a directory");
 * assert.ok(err instanceof NotADirectoryError);
 * ```
 */
export class NotADirectoryError extends OSError {
  static {
    this.prototype.name = "NotADirectoryError";
  }
}

/**
 * Like Python's `ChildProcessError`: an operation on a child process failed
 * (ECHILD). Here only so that `OSError(errno, …)` picks the same class as
 * Python for every errno.
 *
 * @example
 * ```ts
 * import { ChildProcessError, OSError } from "./errors.ts";
 * import { ECHILD } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new OSError(ECHILD, "No child processes");
 * assert.ok(err instanceof ChildProcessError);
 * ```
 */
export class ChildProcessError extends OSError {
  static {
    this.prototype.name = "ChildProcessError";
  }
}

/**
 * Like Python's `ProcessLookupError`: no such process (ESRCH). Here only so
 * that `OSError(errno, …)` picks the same class as Python for every errno.
 *
 * @example
 * ```ts
 * import { OSError, ProcessLookupError } from "./errors.ts";
 * import { ESRCH } from "./constants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(new OSError(ESRCH, "No such process") instanceof ProcessLookupError);
 * ```
 */
export class ProcessLookupError extends OSError {
  static {
    this.prototype.name = "ProcessLookupError";
  }
}

/**
 * Like Python's `socket.gaierror`: `getaddrinfo()` / `getnameinfo()` failed.
 * `errno` is the resolver's code (`EAI_NONAME`, …; negative on Linux) and
 * `strerror` its text.
 *
 * @example
 * ```ts
 * import { gaierror, OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new gaierror(-2, "Name or service not known");
 * assert.ok(err instanceof OSError);
 * assert.equal(err.name, "gaierror");
 * assert.equal(err.message, "[Errno -2] Name or service not known");
 * ```
 */
export class gaierror extends OSError {
  static {
    this.prototype.name = "gaierror";
  }
}

/**
 * Like Python's `socket.herror`: an address-related error from
 * `gethostbyaddr()` and friends (`h_errno` codes).
 *
 * @example
 * ```ts
 * import { herror, OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new herror(1, "Unknown host");
 * assert.ok(err instanceof OSError);
 * assert.equal(err.message, "[Errno 1] Unknown host");
 * ```
 */
export class herror extends OSError {
  static {
    this.prototype.name = "herror";
  }
}

/**
 * Python's `socket.error`: the same class as {@linkcode OSError}.
 *
 * @example
 * ```ts
 * import { error, OSError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(error, OSError);
 * ```
 */
export const error: typeof OSError = OSError;
/** Python's `socket.error`: the same class as {@linkcode OSError}. */
export type error = OSError;

/**
 * Python's `socket.timeout`: the same class as {@linkcode TimeoutError}.
 *
 * @example
 * ```ts
 * import { timeout, TimeoutError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(timeout, TimeoutError);
 * ```
 */
export const timeout: typeof TimeoutError = TimeoutError;
/** Python's `socket.timeout`: the same class as {@linkcode TimeoutError}. */
export type timeout = TimeoutError;

type OSErrorClass = new (
  errno?: number | string | null,
  strerror?: string,
  options?: ErrorOptions,
) => OSError;

let subclasses: Map<number, OSErrorClass> | undefined;

// CPython's errno → class table (Objects/exceptions.c, _PyExc_InitState),
// with this platform's numbers. Built on first use: the classes are defined
// after OSError.
function subclassFor(errno: number): OSErrorClass | undefined {
  subclasses ??= new Map<number, OSErrorClass>([
    [EAGAIN, BlockingIOError],
    [EWOULDBLOCK, BlockingIOError],
    [EALREADY, BlockingIOError],
    [EINPROGRESS, BlockingIOError],
    [ECHILD, ChildProcessError],
    [EPIPE, BrokenPipeError],
    [ESHUTDOWN, BrokenPipeError],
    [ECONNABORTED, ConnectionAbortedError],
    [ECONNREFUSED, ConnectionRefusedError],
    [ECONNRESET, ConnectionResetError],
    [EEXIST, FileExistsError],
    [ENOENT, FileNotFoundError],
    [EISDIR, IsADirectoryError],
    [ENOTDIR, NotADirectoryError],
    [EINTR, InterruptedError],
    [EACCES, PermissionError],
    [EPERM, PermissionError],
    [ESRCH, ProcessLookupError],
    [ETIMEDOUT, TimeoutError],
  ]);
  return subclasses.get(errno);
}
