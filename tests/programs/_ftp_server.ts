// Copyright 2025 the pysocket authors. MIT license.
/**
 * A real FTP server for tests/programs/ftp_test.ts: Debian's vsftpd, run in
 * the foreground on 127.0.0.1 and a free port, with a config file and an
 * anonymous root in a temporary directory (anonymous login, uploads into
 * `up/`, passive and active modes). vsftpd needs root; the tests are
 * ignored when it is not installed or we are not root.
 *
 * @module
 */

import * as socket from "../../mod.ts";
import { spawnDaemon } from "./_servers.ts";

/** Where vsftpd is installed by `apt-get install vsftpd`. */
export const VSFTPD = "/usr/sbin/vsftpd";

/** Whether vsftpd can be run here (installed, and we are root). */
export function canRunVsftpd(): boolean {
  try {
    Deno.statSync(VSFTPD);
  } catch {
    return false;
  }
  return Deno.uid() === 0;
}

/** A running vsftpd; dispose kills it, awaits it and removes its directory. */
export interface FtpServer extends AsyncDisposable {
  /** Its control port. */
  port: number;
  /** Its host: 127.0.0.1 or ::1. */
  host: string;
  /** The anonymous root (files under `pub/`, uploads land in `up/`). */
  root: string;
}

async function freePort(ipv6: boolean): Promise<number> {
  await using probe = socket.socket(ipv6 ? socket.AF_INET6 : socket.AF_INET, socket.SOCK_STREAM);
  probe.bind([ipv6 ? "::1" : "127.0.0.1", 0]);
  return (probe.getsockname() as [string, number])[1];
}

/**
 * Starts vsftpd serving `files` (name → content) under `pub/`, on
 * 127.0.0.1 or (`ipv6`) on ::1; `tls` enables AUTH TLS (FTPS, explicit),
 * optional for anonymous logins, without requiring TLS session reuse on
 * data connections (neither ftplib nor pysocket reuses sessions).
 */
export async function startVsftpd(
  files: Record<string, Uint8Array>,
  ipv6 = false,
  tls?: { cert: string; key: string },
): Promise<FtpServer> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_ftp_" });
  const root = `${dir}/root`;
  await Deno.mkdir(`${root}/pub`, { recursive: true });
  await Deno.mkdir(`${root}/up`);
  await Deno.mkdir(`${dir}/empty`);
  for (const [name, data] of Object.entries(files)) {
    await Deno.writeFile(`${root}/pub/${name}`, data);
  }
  // vsftpd refuses a writable anonymous root; uploads go to up/, owned by "ftp".
  await Deno.chmod(root, 0o555);
  await new Deno.Command("chown", { args: ["ftp", `${root}/up`] }).output();
  const port = await freePort(ipv6);
  const host = ipv6 ? "::1" : "127.0.0.1";
  await Deno.writeTextFile(
    `${dir}/vsftpd.conf`,
    [
      ...(ipv6
        ? ["listen=NO", "listen_ipv6=YES", "listen_address6=::1"]
        : ["listen=YES", "listen_address=127.0.0.1"]),
      `listen_port=${port}`,
      "background=NO",
      "anonymous_enable=YES",
      "local_enable=NO",
      `anon_root=${root}`,
      "no_anon_password=YES",
      "write_enable=YES",
      "anon_upload_enable=YES",
      "anon_umask=022",
      "pasv_enable=YES",
      ...(ipv6 ? [] : ["pasv_address=127.0.0.1"]),
      "port_enable=YES",
      "connect_from_port_20=NO",
      "seccomp_sandbox=NO",
      `secure_chroot_dir=${dir}/empty`,
      "xferlog_enable=NO",
      ...(tls
        ? [
          "ssl_enable=YES",
          "allow_anon_ssl=YES",
          "force_anon_data_ssl=NO",
          "force_anon_logins_ssl=NO",
          "require_ssl_reuse=NO",
          `rsa_cert_file=${tls.cert}`,
          `rsa_private_key_file=${tls.key}`,
        ]
        : []),
      "",
    ].join("\n"),
  );
  const daemon = spawnDaemon(VSFTPD, [`${dir}/vsftpd.conf`], dir, "SIGKILL");
  const stop = daemon.stop;
  const stderr = daemon.stderr;
  // Ready when it accepts a connection and greets (at most 5 s).
  const until = performance.now() + 5000;
  while (true) {
    if (daemon.exited()) {
      await stop();
      throw new Error(`vsftpd exited: ${await stderr}`);
    }
    await using probe = socket.socket(ipv6 ? socket.AF_INET6 : socket.AF_INET, socket.SOCK_STREAM);
    probe.settimeout(1);
    if ((await probe.connect_ex([host, port])) === 0) {
      const greeting = await probe.recv(100).catch(() => new Uint8Array(0));
      if (new TextDecoder().decode(greeting).startsWith("220")) break;
    }
    if (performance.now() > until) {
      await stop();
      throw new Error("vsftpd did not start listening within 5 s");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, host, root, [Symbol.asyncDispose]: stop };
}
