import assert from "node:assert/strict";
import { Socket } from "../mod.ts";

const GROUPS = [
  "Same, except that it returns a promise",
  "Same",
  "Different, and how",
  "Not supported, and why",
];

/** The method names listed under each "Differences from Python" heading of mod.ts. */
async function differences(): Promise<Map<string, string[]>> {
  const text = await Deno.readTextFile(new URL("../mod.ts", import.meta.url));
  const start = text.indexOf("## Differences from Python");
  const end = text.indexOf(" * ## ", start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const groups = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of section.split("\n")) {
    const heading = line.match(/^ \* ### (.+)$/);
    if (heading) {
      current = [];
      groups.set(heading[1], current);
      continue;
    }
    const item = line.match(/^ \* - `([a-z_]+)`/);
    if (item && current) current.push(item[1]);
  }
  return groups;
}

async function pythonMethods(): Promise<string[]> {
  const out = await new Deno.Command("python3", {
    args: [
      "-c",
      "import socket,json; print(json.dumps([n for n in dir(socket.socket) if not n.startswith('_')]))",
    ],
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("mod.ts lists every Python socket method in exactly one group", async () => {
  const groups = await differences();
  assert.deepEqual([...groups.keys()], GROUPS);
  const listed = [...groups.values()].flat();
  const seen = new Set<string>();
  for (const name of listed) {
    assert.ok(!seen.has(name), `${name} is listed twice`);
    seen.add(name);
  }
  for (const name of await pythonMethods()) {
    assert.ok(seen.has(name), `Python's socket.${name} is missing from "Differences from Python"`);
  }
});

Deno.test("mod.ts lists as supported exactly what Socket implements", async () => {
  const groups = await differences();
  const members = new Set(Object.getOwnPropertyNames(Socket.prototype));
  for (const [group, names] of groups) {
    for (const name of names) {
      if (name === "__enter__" || name === "__exit__") {
        assert.ok(Symbol.asyncDispose in Socket.prototype && Symbol.dispose in Socket.prototype);
        continue;
      }
      const supported = group !== "Not supported, and why";
      assert.equal(members.has(name), supported, `Socket.${name}: listed under "${group}"`);
    }
  }
});
