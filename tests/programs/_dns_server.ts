// Copyright 2025 the pysocket authors. MIT license.
/**
 * A real DNS server for tests/programs/dns_test.ts: Debian's dnsmasq in the
 * foreground on 127.0.0.1 and a free port, answering from a hosts file and
 * TXT records written in a temporary directory, with no upstream servers.
 *
 * @module
 */

import * as socket from "../../mod.ts";
import { A, makeQuery, udp } from "./_dns_client.ts";
import { spawnDaemon } from "./_servers.ts";

/** Where `apt-get install dnsmasq` puts it. */
export const DNSMASQ = "/usr/sbin/dnsmasq";

/** Whether dnsmasq is installed. */
export function canRunDnsmasq(): boolean {
  try {
    Deno.statSync(DNSMASQ);
    return true;
  } catch {
    return false;
  }
}

/** A running dnsmasq; dispose kills it, awaits it and removes its directory. */
export interface DnsServer extends AsyncDisposable {
  /** Its UDP and TCP port on 127.0.0.1. */
  port: number;
}

async function freePort(): Promise<number> {
  // Free for both UDP and TCP (dnsmasq binds both).
  for (let i = 0; i < 20; i++) {
    await using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    u.bind(["127.0.0.1", 0]);
    const port = (u.getsockname() as [string, number])[1];
    await using t = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    try {
      t.bind(["127.0.0.1", port]);
      return port;
    } catch { /* taken for TCP: try another */ }
  }
  throw new Error("no free port");
}

/** Starts dnsmasq with `hosts` (hosts-file lines) and `txt` (name → strings). */
export async function startDnsmasq(
  hosts: string[],
  txt: Record<string, string[]>,
): Promise<DnsServer> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_dns_" });
  await Deno.writeTextFile(`${dir}/hosts`, hosts.join("\n") + "\n");
  const port = await freePort();
  const args = [
    "--keep-in-foreground",
    "--conf-file=/dev/null",
    `--port=${port}`,
    "--listen-address=127.0.0.1",
    "--bind-interfaces",
    "--no-resolv",
    "--no-hosts",
    `--addn-hosts=${dir}/hosts`,
    "--pid-file=",
    "--user=root",
    "--log-facility=-",
    ...Object.entries(txt).map(([name, strings]) => `--txt-record=${name},${strings.join(",")}`),
  ];
  const daemon = spawnDaemon(DNSMASQ, args, dir, "SIGTERM");
  const stop = daemon.stop;
  const stderr = daemon.stderr;
  // Ready when it answers a query (at most 5 s).
  const until = performance.now() + 5000;
  while (true) {
    if (daemon.exited()) {
      await stop();
      throw new Error(`dnsmasq exited: ${await stderr}`);
    }
    try {
      await udp(makeQuery("ready.invalid", A), ["127.0.0.1", port], 0.1);
      break;
    } catch (e) {
      if (!(e instanceof socket.TimeoutError) && !(e instanceof socket.ConnectionRefusedError)) {
        await stop();
        throw e;
      }
    }
    if (performance.now() > until) {
      await stop();
      throw new Error("dnsmasq did not answer within 5 s");
    }
  }
  return { port, [Symbol.asyncDispose]: stop };
}
