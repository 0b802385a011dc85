// Copyright 2025 the pysocket authors. MIT license.
import assert from "node:assert/strict";
import * as constants from "../constants.ts";
import { errorcode, has_ipv6 } from "../constants.ts";
import { pythonJSON } from "./_utils.ts";

const NUMBERS: [string, number][] = Object.entries(constants).filter((
  entry,
): entry is [string, number] => typeof entry[1] === "number");

const ERRNO_NAMES = NUMBERS.map(([name]) => name).filter((name) => /^E[A-Z0-9]+$/.test(name));

// Python on this machine is the oracle: the value of each exported name in
// its `socket` or `errno` module (null when Python lacks the name), and
// `errno.errorcode` for our numbers.
interface Oracle {
  values: Record<string, number | null>;
  errorcode: Record<string, string | null>;
  hasIpv6: boolean;
}
let oracle: Promise<Oracle> | undefined;
function python(): Promise<Oracle> {
  oracle ??= runPython();
  return oracle;
}
async function runPython(): Promise<Oracle> {
  const code = `
import errno, json, socket
names = ${JSON.stringify(NUMBERS.map(([name]) => name))}
errnos = ${JSON.stringify(ERRNO_NAMES.map((name) => constants[name as keyof typeof constants]))}
def value(name):
    v = getattr(socket, name, None)
    if v is None and name.startswith("E") and not name.startswith("EAI_"):
        v = getattr(errno, name, None)
    return None if v is None else int(v)
print(json.dumps({
    "values": {n: value(n) for n in names},
    "errorcode": {str(n): errno.errorcode.get(n) for n in errnos},
    "hasIpv6": socket.has_ipv6,
}))
`;
  const { code: status, stdout, stderr } = await new Deno.Command("python3", {
    args: ["-c", code],
  }).output();
  assert.equal(status, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

Deno.test("constants equal python3's socket and errno values on this machine", async () => {
  const { values } = await python();
  assert.ok(NUMBERS.length > 200, `only ${NUMBERS.length} constants`);
  const missing: string[] = [];
  for (const [name, value] of NUMBERS) {
    const expected = values[name];
    if (expected === null) missing.push(name);
    else assert.equal(value, expected, name);
  }
  // Every name exported here exists in Linux's Python (macOS's Python lacks
  // a few: EDEADLOCK, TCP_KEEPIDLE…).
  if (Deno.build.os === "linux") assert.deepEqual(missing, []);
});

Deno.test("errorcode names each errno as python3's errno.errorcode does", async () => {
  const { errorcode: expected } = await python();
  const numbers = new Set(
    ERRNO_NAMES.map((name) => constants[name as keyof typeof constants] as number),
  );
  assert.deepEqual(
    Object.keys(errorcode).map(Number).sort((a, b) => a - b),
    [...numbers].sort((a, b) => a - b),
  );
  for (const n of numbers) {
    assert.equal(errorcode[n], expected[String(n)], `errorcode[${n}]`);
  }
  assert.ok(Object.isFrozen(errorcode));
});

Deno.test("has_ipv6 is true, as python3 reports", async () => {
  assert.equal(has_ipv6, true);
  assert.equal((await python()).hasIpv6, true);
});

Deno.test("constants export every name the socket code relies on", () => {
  const names = [
    ...["AF_UNSPEC", "AF_INET", "AF_INET6", "AF_UNIX"],
    ...["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOL_SOCKET", "SOL_IP"],
    ...["SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "SO_RCVBUF"],
    ...["SO_SNDBUF", "SO_TYPE", "SO_ERROR", "SO_BROADCAST", "SO_LINGER"],
    ...["IPPROTO_IP", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6"],
    ...["TCP_NODELAY", "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP"],
    ...["IP_MULTICAST_TTL", "IP_MULTICAST_LOOP", "IPV6_V6ONLY"],
    ...["MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL", "MSG_OOB"],
    ...["SHUT_RD", "SHUT_WR", "SHUT_RDWR", "SOMAXCONN", "INADDR_ANY"],
    ...["INADDR_BROADCAST", "INADDR_LOOPBACK", "AI_PASSIVE", "AI_CANONNAME"],
    ...["AI_NUMERICHOST", "AI_NUMERICSERV", "NI_NUMERICHOST", "NI_NAMEREQD"],
    ...["EAI_NONAME", "EAI_AGAIN", "EAI_NODATA", "EAI_FAMILY", "EAI_SERVICE"],
    ...["ECONNREFUSED", "EAGAIN", "EWOULDBLOCK", "EINPROGRESS", "EALREADY"],
    ...["EISCONN", "ENOTCONN", "EBADF", "EINVAL", "EPIPE", "ECONNRESET"],
    ...["ECONNABORTED", "ETIMEDOUT", "EADDRINUSE", "EADDRNOTAVAIL"],
    ...["EAFNOSUPPORT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP"],
    ...["ENOPROTOOPT", "EMSGSIZE", "ENOTSOCK", "EDESTADDRREQ", "EHOSTUNREACH"],
    ...["ENETUNREACH", "ENOENT", "EEXIST", "EACCES", "EPERM", "EINTR"],
    ...["ESHUTDOWN", "ENOBUFS", "EFAULT", "ENOTSUP", "ENETDOWN", "EHOSTDOWN"],
  ];
  const exported = new Set(NUMBERS.map(([name]) => name));
  assert.deepEqual(names.filter((name) => !exported.has(name)), []);
});

// Loads copies of constants.ts, errors.ts and _errno.ts that believe they run
// on macOS, to check the xnu column and the switch between the two.
async function loadAsDarwin() {
  const dir = await Deno.makeTempDir();
  try {
    for (const file of ["constants.ts", "errors.ts", "_errno.ts"]) {
      const source = await Deno.readTextFile(
        new URL(`../${file}`, import.meta.url),
      );
      const patched = source.replaceAll("(globalThis as", "(FAKE_GLOBAL as");
      if (file !== "errors.ts") {
        assert.notEqual(patched, source, `${file} reads Deno.build.os`);
      }
      await Deno.writeTextFile(
        `${dir}/${file}`,
        `const FAKE_GLOBAL = { Deno: { build: { os: "darwin" } } };\n${patched}`,
      );
    }
    return {
      constants: await import(`file://${dir}/constants.ts`) as typeof constants,
      errors: await import(
        `file://${dir}/errors.ts`
      ) as typeof import("../errors.ts"),
      errno: await import(
        `file://${dir}/_errno.ts`
      ) as typeof import("../_errno.ts"),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("constants take the xnu values on macOS", async () => {
  const { constants: mac, errors, errno } = await loadAsDarwin();
  // Spot checks against <sys/socket.h>, <netinet/in.h>, <sys/errno.h>.
  assert.equal(mac.AF_INET6, 30);
  assert.equal(mac.SOL_SOCKET, 0xffff);
  assert.equal(mac.SO_REUSEADDR, 4);
  assert.equal(mac.SO_ERROR, 0x1007);
  assert.equal(mac.IPPROTO_IPV6, 41);
  assert.equal(mac.IPV6_V6ONLY, 27);
  assert.equal(mac.MSG_DONTWAIT, 0x80);
  assert.equal(mac.EAI_NONAME, 8);
  assert.equal(mac.SOMAXCONN, 128);
  assert.equal(mac.ECONNREFUSED, 61);
  assert.equal(mac.EAGAIN, 35);
  assert.equal(mac.EWOULDBLOCK, 35);
  assert.equal(mac.EINPROGRESS, 36);
  assert.equal(mac.EALREADY, 37);
  assert.equal(mac.ENOTSUP, 45);
  assert.equal(mac.EOPNOTSUPP, 102);
  assert.equal(mac.ENOPROTOOPT, 42);
  // Only the known aliases share a number.
  const byNumber = new Map<number, string[]>();
  for (const name of ERRNO_NAMES) {
    const n = mac[name as keyof typeof mac] as number;
    byNumber.set(n, [...byNumber.get(n) ?? [], name]);
  }
  const shared = [...byNumber.values()].filter((names) => names.length > 1);
  assert.deepEqual(shared.map((names) => names.sort()).sort(), [
    ["EAGAIN", "EWOULDBLOCK"],
    ["EDEADLK", "EDEADLOCK"],
  ]);
  assert.equal(mac.errorcode[35], "EAGAIN");
  assert.equal(mac.errorcode[11], "EDEADLK");
  assert.equal(mac.errorcode[102], "EOPNOTSUPP");
  // Every errno has a macOS text, and the classes follow the numbers.
  for (const n of byNumber.keys()) {
    assert.doesNotMatch(errno.strerror(n), /^Unknown error/, `errno ${n}`);
  }
  assert.equal(errno.strerror(61), "Connection refused");
  assert.equal(errno.strerror(999), "Unknown error: 999");
  const refused = errno.oserror(61);
  assert.ok(refused instanceof errors.ConnectionRefusedError);
  assert.equal(refused.message, "[Errno 61] Connection refused");
  assert.equal(errno.oserror(35).name, "BlockingIOError");
  assert.equal(errno.oserror(60).name, "TimeoutError");
  const fromCode = errno.fromDenoError(
    Object.assign(new Error("Connection refused (os error 61)"), {
      code: "ECONNREFUSED",
    }),
  );
  assert.equal(fromCode.errno, 61);
  const gai = errno.fromDenoError(
    new Error(
      "failed to lookup address information: nodename nor servname provided, or not known",
    ),
  );
  assert.ok(gai instanceof errors.gaierror);
  assert.equal(
    gai.message,
    "[Errno 8] nodename nor servname provided, or not known",
  );
});

Deno.test("AddressFamily, SocketKind, MsgFlag and AddressInfo have Python's members and reprs", async () => {
  const enums = {
    AddressFamily: constants.AddressFamily,
    SocketKind: constants.SocketKind,
    MsgFlag: constants.MsgFlag,
    AddressInfo: constants.AddressInfo,
  };
  // Each member's value, and the repr of each value and of some combinations.
  const probes = [0, 3, 66, 1048579, 1 << 20, 1610612736, 99];
  const expected = await pythonJSON<
    Record<string, { members: [string, number][]; reprs: Record<string, string> }>
  >(`
import json, socket
probes = ${JSON.stringify(probes)}
out = {}
for name in ${JSON.stringify(Object.keys(enums))}:
    E = getattr(socket, name)
    reprs = {}
    for v in [int(m) for m in E] + probes:
        try:
            reprs[str(v)] = repr(E(v))
        except ValueError:
            reprs[str(v)] = str(v)
    out[name] = {"members": [[k, int(m)] for k, m in E.__members__.items()], "reprs": reprs}
print(json.dumps(out))
`);
  for (const [name, e] of Object.entries(enums)) {
    assert.deepEqual(Object.entries(e), expected[name].members, name);
    for (const [value, repr] of Object.entries(expected[name].reprs)) {
      assert.equal(e.repr(Number(value)), repr, `${name}.repr(${value})`);
    }
    assert.ok(Object.isFrozen(e));
  }
  assert.equal(constants.AddressFamily.nameOf(constants.AF_INET6), "AF_INET6");
  assert.equal(constants.AddressFamily.nameOf(12345), null);
});

// Python's names that pysocket does not have, and why (README's "Differences from Python").
const ABSENT: Record<string, string> = {
  CAPI: "the C API capsule: no C extensions in Deno",
  dup: "Deno exposes no OS descriptors to duplicate",
  fromfd: "Deno exposes no OS descriptors to wrap",
  "recv_fds": "needs recvmsg() and SCM_RIGHTS, which Deno lacks",
  "send_fds": "needs sendmsg() and SCM_RIGHTS, which Deno lacks",
  sethostname: "needs CAP_SYS_ADMIN and a system call Deno does not offer",
};

Deno.test("every name of python3's socket.__all__ is exported, but the documented few", async () => {
  const all = await pythonJSON<string[]>(
    "import json, socket; print(json.dumps(socket.__all__))",
  );
  const exported = new Set(Object.keys(await import("../mod.ts")));
  const missing = all.filter((name) => !exported.has(name)).sort();
  assert.deepEqual(missing, Object.keys(ABSENT).sort());
});
