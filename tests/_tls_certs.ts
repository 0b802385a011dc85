// Copyright 2025 the pysocket authors. MIT license.
/**
 * Certificates for the TLS tests, made at test time with the `openssl`
 * CLI in a temporary directory: a CA, a server leaf for `localhost` /
 * 127.0.0.1 / ::1, a client leaf, an expired leaf, a leaf whose key has a
 * passphrase, and a second CA nobody trusts.
 *
 * @module
 */

/** Paths of the generated files (all PEM). */
export interface Certs extends AsyncDisposable {
  dir: string;
  /** The CA certificate (trust anchor). */
  ca: string;
  /** Server leaf for localhost, signed by the CA, and its key. */
  cert: string;
  key: string;
  /** Leaf + key in one file. */
  combined: string;
  /** Client leaf (CN=client) and key. */
  clientCert: string;
  clientKey: string;
  /** A leaf whose validity has ended. */
  expired: string;
  expiredKey: string;
  /** The server leaf's key encrypted with passphrase "secret". */
  encryptedKey: string;
  /** A leaf signed by another CA, which no test trusts. */
  strangerCert: string;
  strangerKey: string;
}

/** Whether a program can be run. */
export async function has(program: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(program, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success || out.code !== 127;
  } catch {
    return false;
  }
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function leaf(
  dir: string,
  name: string,
  subject: string,
  ca: string,
  days: string,
  ext: string,
): Promise<void> {
  await openssl(
    dir,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    subject,
  );
  await Deno.writeTextFile(`${dir}/${name}.ext`, ext);
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.pem`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    days,
    "-extfile",
    `${name}.ext`,
  );
}

async function authority(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.pem`,
    "-days",
    "30",
    "-subj",
    `/CN=${cn}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
}

/** Makes the certificates; `await using` removes the directory. */
export async function makeCerts(): Promise<Certs> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_tls_" });
  try {
    const server =
      "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    await authority(dir, "ca", "pysocket test CA");
    await authority(dir, "stranger_ca", "stranger CA");
    await leaf(dir, "server", "/C=US/ST=California/O=pysocket/CN=localhost", "ca", "10", server);
    await leaf(
      dir,
      "client",
      "/O=pysocket/CN=client",
      "ca",
      "10",
      "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    );
    // -days -1: valid from now until yesterday, i.e. expired.
    await leaf(dir, "expired", "/O=pysocket/CN=localhost", "ca", "-1", server);
    await leaf(dir, "stranger", "/O=stranger/CN=localhost", "stranger_ca", "10", server);
    await openssl(
      dir,
      "pkey",
      "-in",
      "server.key",
      "-aes256",
      "-passout",
      "pass:secret",
      "-out",
      "server_enc.key",
    );
    const combined = (await Deno.readTextFile(`${dir}/server.pem`)) +
      (await Deno.readTextFile(`${dir}/server.key`));
    await Deno.writeTextFile(`${dir}/combined.pem`, combined);
  } catch (e) {
    await Deno.remove(dir, { recursive: true });
    throw e;
  }
  return {
    dir,
    ca: `${dir}/ca.pem`,
    cert: `${dir}/server.pem`,
    key: `${dir}/server.key`,
    combined: `${dir}/combined.pem`,
    clientCert: `${dir}/client.pem`,
    clientKey: `${dir}/client.key`,
    expired: `${dir}/expired.pem`,
    expiredKey: `${dir}/expired.key`,
    encryptedKey: `${dir}/server_enc.key`,
    strangerCert: `${dir}/stranger.pem`,
    strangerKey: `${dir}/stranger.key`,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
