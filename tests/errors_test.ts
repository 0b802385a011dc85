// Copyright 2025 the pysocket authors. MIT license.
import assert from "node:assert/strict";
import dns from "node:dns";
import * as errors from "../errors.ts";
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionError,
  ConnectionRefusedError,
  error,
  FileNotFoundError,
  gaierror,
  herror,
  OSError,
  PermissionError,
  timeout,
  TimeoutError,
} from "../errors.ts";
import {
  EACCES,
  EADDRINUSE,
  EAGAIN,
  EAI_AGAIN,
  EAI_NONAME,
  EBADF,
  ECONNREFUSED,
  EINPROGRESS,
  ENOENT,
  EPERM,
  EPIPE,
  ETIMEDOUT,
} from "../constants.ts";
import { fromDenoError, gaiError, gaiStrerror, oserror, strerror, timedOut } from "../_errno.ts";
import { pythonJSON } from "./_utils.ts";

// Python is the oracle. One python3 run answers everything this file asks.
const ORACLE = `
import builtins, json, os, socket
classes = ${
  JSON.stringify(
    Object.keys(errors).filter((name) => /^[A-Z]\w*Error$/.test(name)),
  )
}
out = {
  "errnos": [[n, str(OSError(n, os.strerror(n))), type(OSError(n, "x")).__name__, os.strerror(n)]
             for n in range(-3, 200)],
  "mro": {c: [k.__name__ for k in getattr(builtins, c).__mro__ if issubclass(k, OSError)]
          for c in classes},
  "oneArg": [str(OSError("timed out")), OSError("timed out").errno, OSError("timed out").strerror],
  "noneErrno": str(OSError(None, "x")),
  "noArgs": str(OSError()),
  "notRemapped": [type(c(111, "x")).__name__ for c in
                   (ConnectionError, TimeoutError, socket.gaierror, socket.herror)],
  "gaierror": str(socket.gaierror(-2, "Name or service not known")),
  "gaiInvalid": None,
}
try:
    socket.getaddrinfo("pysocket-test.invalid", 80)
except socket.gaierror as e:
    out["gaiInvalid"] = [e.errno, e.strerror]
print(json.dumps(out))
`;

interface Oracle {
  errnos: [number, string, string, string][];
  mro: Record<string, string[]>;
  oneArg: [string, null, null];
  noneErrno: string;
  noArgs: string;
  notRemapped: string[];
  gaierror: string;
  gaiInvalid: [number, string] | null;
}

let oracle: Promise<Oracle> | undefined;
function python(): Promise<Oracle> {
  oracle ??= (async () => {
    const { code, stdout, stderr } = await new Deno.Command("python3", {
      args: ["-c", ORACLE],
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    return JSON.parse(new TextDecoder().decode(stdout));
  })();
  return oracle;
}

const CLASSES = Object.entries(errors).filter((
  entry,
): entry is [string, typeof OSError] =>
  typeof entry[1] === "function" && /^[A-Z]\w*Error$/.test(entry[0])
);

// What `fn` threw or rejected with, mapped by fromDenoError().
async function mapped(fn: () => unknown): Promise<OSError> {
  try {
    await fn();
  } catch (err) {
    return fromDenoError(err);
  }
  throw new Error("expected the call to fail");
}

Deno.test("OSError() formats the message and picks the subclass as Python does for every errno", async () => {
  const { errnos } = await python();
  for (const [n, message, className, text] of errnos) {
    const err = new OSError(n, strerror(n));
    assert.equal(err.message, message, `errno ${n}`);
    assert.equal(err.constructor.name, className, `errno ${n}`);
    assert.equal(err.name, className, `errno ${n}`);
    assert.equal(err.errno, n);
    assert.equal(err.strerror, text);
  }
});

Deno.test("OSError() returns the subclass instance for ECONNREFUSED", () => {
  const err = new OSError(111, "Connection refused");
  assert.ok(err instanceof ConnectionRefusedError);
  assert.ok(err instanceof ConnectionError);
  assert.ok(err instanceof OSError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, "ConnectionRefusedError");
  assert.equal(
    String(err),
    "ConnectionRefusedError: [Errno 111] Connection refused",
  );
  assert.match(err.stack ?? "", /^ConnectionRefusedError: \[Errno 111\]/);
});

Deno.test("OSError() with one argument takes it as the message, as Python", async () => {
  const { oneArg, noArgs, noneErrno } = await python();
  const err = new OSError("timed out");
  assert.deepEqual([err.message, err.errno, err.strerror], oneArg);
  assert.equal(err.constructor, OSError);
  assert.equal(new OSError().message, noArgs);
  assert.equal(new OSError(null, "x").message, noneErrno);
  assert.equal(new OSError(null, "x").errno, null);
  assert.equal(new OSError(null, "x").strerror, "x");
  // One argument, even a number, is a message: no subclass, no errno.
  const single = new OSError(ECONNREFUSED);
  assert.equal(single.constructor, OSError);
  assert.equal(single.errno, null);
  assert.equal(single.message, String(ECONNREFUSED));
});

Deno.test("OSError() subclasses keep their own class whatever the errno", async () => {
  const { notRemapped } = await python();
  const got = [ConnectionError, TimeoutError, gaierror, herror].map((C) =>
    new C(111, "x").constructor.name
  );
  assert.deepEqual(got, notRemapped);
});

Deno.test("OSError subclasses have Python's hierarchy and names", async () => {
  const { mro } = await python();
  assert.equal(CLASSES.length, Object.keys(mro).length);
  for (const [name, C] of CLASSES) {
    const err = new C("x");
    assert.equal(err.name, name);
    assert.equal(C.name, name);
    assert.ok(!Object.hasOwn(err, "name"), `${name}.name is on the prototype`);
    for (const [other, D] of CLASSES) {
      assert.equal(
        err instanceof D,
        mro[name].includes(other),
        `${name} instanceof ${other}`,
      );
    }
  }
  for (const C of [gaierror, herror]) {
    const err = new C(-2, "x");
    assert.equal(err.name, C.name);
    assert.equal(Object.getPrototypeOf(C), OSError);
  }
});

Deno.test("error and timeout are Python's aliases of OSError and TimeoutError", () => {
  assert.equal(error, OSError);
  assert.equal(timeout, TimeoutError);
  const e: error = new error(EPIPE, "Broken pipe");
  assert.ok(e instanceof BrokenPipeError);
  const t: timeout = new timeout("timed out");
  assert.ok(t instanceof TimeoutError);
});

Deno.test("gaierror() and herror() format the message as Python", async () => {
  const { gaierror: expected } = await python();
  const err = new gaierror(-2, "Name or service not known");
  assert.equal(err.message, expected);
  assert.equal(err.errno, -2);
  assert.equal(err.strerror, "Name or service not known");
  assert.equal(new herror(1, "Unknown host").message, "[Errno 1] Unknown host");
});

Deno.test("BlockingIOError has characters_written", () => {
  const err = new OSError(EAGAIN, strerror(EAGAIN));
  assert.ok(err instanceof BlockingIOError);
  assert.equal(err.characters_written, 0);
  const partial = new BlockingIOError(EAGAIN, "x", { characters_written: 5 });
  assert.equal(partial.characters_written, 5);
});

Deno.test("OSError() keeps the cause", () => {
  const cause = new Error("inner");
  const err = new OSError(EPIPE, "Broken pipe", { cause });
  assert.ok(err instanceof BrokenPipeError);
  assert.equal(err.cause, cause);
  assert.equal(new OSError("x", undefined, { cause }).cause, cause);
});

Deno.test("oserror() builds the subclass with the platform's strerror", () => {
  const err = oserror(EINPROGRESS);
  assert.ok(err instanceof BlockingIOError);
  assert.equal(err.errno, EINPROGRESS);
  assert.equal(err.strerror, strerror(EINPROGRESS));
  assert.equal(oserror(ETIMEDOUT).constructor, TimeoutError);
  assert.match(strerror(123456), /^Unknown error:? 123456$/);
});

Deno.test("timedOut() is Python's socket timeout", () => {
  const err = timedOut();
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.message, "timed out");
  assert.equal(err.errno, null);
  assert.equal(err.strerror, null);
});

Deno.test("gaiError() gives Python's gaierror", () => {
  const err = gaiError(EAI_NONAME);
  assert.ok(err instanceof gaierror);
  assert.equal(err.errno, EAI_NONAME);
  assert.equal(err.strerror, gaiStrerror(EAI_NONAME));
  if (Deno.build.os === "linux") {
    assert.equal(err.message, "[Errno -2] Name or service not known");
    assert.equal(
      gaiError(EAI_AGAIN).message,
      "[Errno -3] Temporary failure in name resolution",
    );
  }
});

Deno.test("fromDenoError() maps a refused connection to ConnectionRefusedError", async () => {
  const err = await mapped(() => Deno.connect({ hostname: "127.0.0.1", port: 1 }));
  assert.ok(err instanceof ConnectionRefusedError);
  assert.equal(err.errno, ECONNREFUSED);
  assert.equal(
    err.message,
    `[Errno ${ECONNREFUSED}] ${strerror(ECONNREFUSED)}`,
  );
  assert.ok(err.cause instanceof Deno.errors.ConnectionRefused);
});

Deno.test("fromDenoError() maps a port in use to EADDRINUSE", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const err = await mapped(() => Deno.listen({ hostname: "127.0.0.1", port: listener.addr.port }));
  assert.equal(err.constructor, OSError);
  assert.equal(err.errno, EADDRINUSE);
  assert.equal(err.message, `[Errno ${EADDRINUSE}] ${strerror(EADDRINUSE)}`);
  assert.ok(err.cause instanceof Deno.errors.AddrInUse);
});

Deno.test("fromDenoError() maps a closed resource to EBADF", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  for (const fn of [() => listener.close(), () => listener.accept()]) {
    const err = await mapped(fn);
    assert.equal(err.constructor, OSError);
    assert.equal(err.errno, EBADF);
    assert.equal(err.message, `[Errno ${EBADF}] ${strerror(EBADF)}`);
    assert.ok(err.cause instanceof Deno.errors.BadResource);
  }
});

Deno.test("fromDenoError() maps a missing AF_UNIX path to FileNotFoundError", async () => {
  const path = `${Deno.makeTempDirSync()}/missing.sock`;
  try {
    const err = await mapped(() => Deno.connect({ transport: "unix", path }));
    assert.ok(err instanceof FileNotFoundError);
    assert.equal(err.errno, ENOENT);
    assert.equal(err.message, `[Errno ${ENOENT}] ${strerror(ENOENT)}`);
  } finally {
    Deno.removeSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  }
});

Deno.test("fromDenoError() maps an unresolvable name to the gaierror Python raises", async () => {
  const { gaiInvalid } = await python();
  assert.ok(gaiInvalid !== null);
  const err = await mapped(() => Deno.connect({ hostname: "pysocket-test.invalid", port: 80 }));
  assert.ok(err instanceof gaierror);
  assert.deepEqual([err.errno, err.strerror], gaiInvalid);
  assert.equal(err.message, `[Errno ${gaiInvalid[0]}] ${gaiInvalid[1]}`);
});

Deno.test("fromDenoError() maps node:dns lookup failures to gaierror", async () => {
  const err = await mapped(() => dns.promises.lookup("pysocket-test.invalid"));
  assert.ok(err instanceof gaierror);
  assert.ok(
    err.errno === EAI_NONAME || err.errno === EAI_AGAIN,
    String(err.errno),
  );
});

Deno.test("fromDenoError() maps an invalid host name to gaierror EAI_NONAME", async () => {
  const err = await mapped(() => Deno.connect({ hostname: "a..b", port: 80 }));
  assert.ok(err instanceof gaierror);
  assert.equal(err.errno, EAI_NONAME);
});

Deno.test("fromDenoError() keeps Deno's permission message, naming the flag", async () => {
  const code = `
    import { fromDenoError } from ${JSON.stringify(new URL("../_errno.ts", import.meta.url).href)};
    try {
      await Deno.connect({ hostname: "127.0.0.1", port: 1 });
    } catch (err) {
      const e = fromDenoError(err);
      console.log(JSON.stringify([e.name, e.errno, e.message, (e.cause as Error).name]));
    }`;
  // `deno eval` grants every permission: run the code from stdin instead.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const { stdout, stderr } = await child.output();
  const [name, errno, message, causeName] = JSON.parse(
    new TextDecoder().decode(stdout),
  );
  assert.equal(new TextDecoder().decode(stderr), "");
  assert.equal(name, "PermissionError");
  assert.equal(errno, EPERM);
  assert.equal(causeName, "NotCapable");
  assert.match(message, /^\[Errno \d+\] Requires net access .*--allow-net/);
});

Deno.test("fromDenoError() maps Deno error classes without an OS code", async () => {
  const { errnos } = await python();
  const pythonClass = new Map(errnos.map(([n, , className]) => [n, className]));
  const table: [keyof typeof Deno.errors, string][] = [
    ["ConnectionRefused", "ECONNREFUSED"],
    ["ConnectionReset", "ECONNRESET"],
    ["ConnectionAborted", "ECONNABORTED"],
    ["NotConnected", "ENOTCONN"],
    ["AddrInUse", "EADDRINUSE"],
    ["AddrNotAvailable", "EADDRNOTAVAIL"],
    ["BrokenPipe", "EPIPE"],
    ["TimedOut", "ETIMEDOUT"],
    ["Interrupted", "EINTR"],
    ["BadResource", "EBADF"],
    ["NotFound", "ENOENT"],
    ["AlreadyExists", "EEXIST"],
    ["InvalidData", "EINVAL"],
    ["WouldBlock", "EAGAIN"],
    ["NotSupported", "EOPNOTSUPP"],
    ["IsADirectory", "EISDIR"],
    ["NotADirectory", "ENOTDIR"],
    ["NetworkUnreachable", "ENETUNREACH"],
  ];
  const constants = await import("../constants.ts") as unknown as Record<
    string,
    number
  >;
  for (const [denoName, errnoName] of table) {
    const n = constants[errnoName];
    const err = fromDenoError(new Deno.errors[denoName]("deno text"));
    assert.equal(err.errno, n, denoName);
    assert.equal(err.strerror, strerror(n), denoName);
    assert.equal(err.name, pythonClass.get(n), denoName);
  }
  const denied = fromDenoError(
    new Deno.errors.PermissionDenied('Requires read access to "/x"'),
  );
  assert.ok(denied instanceof PermissionError);
  assert.equal(denied.errno, EACCES);
  assert.equal(denied.strerror, 'Requires read access to "/x"');
});

Deno.test("fromDenoError() prefers the OS code and number over the class", () => {
  const coded = Object.assign(new Deno.errors.NotFound("x"), {
    code: "ECONNREFUSED",
  });
  assert.equal(fromDenoError(coded).errno, ECONNREFUSED);
  const numbered = new Error("Broken pipe (os error 32)");
  assert.equal(fromDenoError(numbered).errno, 32);
  assert.ok(fromDenoError(numbered) instanceof BrokenPipeError);
});

Deno.test("fromDenoError() passes OSError through and wraps other values", () => {
  const original = new OSError(EPIPE, "Broken pipe");
  assert.equal(fromDenoError(original), original);
  const fromString = fromDenoError("boom");
  assert.equal(fromString.constructor, OSError);
  assert.equal(fromString.message, "boom");
  assert.equal(fromString.errno, null);
  assert.equal(fromString.cause, "boom");
  const plain = new Error("something odd");
  const fromPlain = fromDenoError(plain);
  assert.equal(fromPlain.constructor, OSError);
  assert.equal(fromPlain.message, "something odd");
  assert.equal(fromPlain.cause, plain);
});

Deno.test("fromDenoError() maps a DOMException TimeoutError to TimeoutError", () => {
  const err = fromDenoError(
    new DOMException("Signal timed out.", "TimeoutError"),
  );
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.message, "timed out");
  assert.equal(err.errno, null);
});

Deno.test("OSError, its subclasses, gaierror, herror and timeout have Python's args", async () => {
  const expected = await pythonJSON<unknown[][]>(`
import json, socket
print(json.dumps([list(e.args) for e in (
    OSError(111, "Connection refused"), OSError("one"), OSError(),
    OSError(2, "No such file or directory"), socket.gaierror(-2, "Name or service not known"),
    socket.herror(1, "Unknown host"), socket.timeout("timed out"), BlockingIOError(11, "x"),
    OSError(None, "x"))]))
`);
  const ours = [
    new OSError(ECONNREFUSED, "Connection refused"),
    new OSError("one"),
    new OSError(),
    new OSError(ENOENT, "No such file or directory"),
    new gaierror(-2, "Name or service not known"),
    new herror(1, "Unknown host"),
    new timeout("timed out"),
    new BlockingIOError(EAGAIN, "x"),
    new OSError(null, "x"),
  ];
  assert.deepEqual(ours.map((e) => e.args), expected);
  // What the library raises has them too: code that reads e.args[0] ports.
  assert.deepEqual(oserror(ECONNREFUSED).args, [ECONNREFUSED, strerror(ECONNREFUSED)]);
  assert.deepEqual(timedOut().args, ["timed out"]);
  assert.deepEqual(gaiError(EAI_NONAME).args, [EAI_NONAME, gaiStrerror(EAI_NONAME)]);
});
