// Copyright 2025 the pysocket authors. MIT license.

/**
 * The system databases that the C library's resolver functions read:
 * `/etc/services`, `/etc/protocols`, `/etc/hosts`, and the interface index
 * table (`/sys/class/net/<name>/ifindex`).
 *
 * Each file is read once, on first use, and only when read permission for it
 * is already granted (so a look-up never brings up a permission prompt).
 * Where a file cannot be read (no permission, no such file, Windows), the
 * services and protocols databases fall back to a small built-in table of
 * the common entries (below), and the hosts database is empty.
 *
 * @module
 */

import { packInet4, parseInet6, parseInetAton } from "./_inet.ts";

// The built-in tables: the common entries of Debian's netbase files, in their
// format, for systems where the files cannot be read.
const BUILTIN_SERVICES = `
tcpmux 1/tcp
echo 7/tcp
echo 7/udp
discard 9/tcp sink null
discard 9/udp sink null
daytime 13/tcp
daytime 13/udp
ftp-data 20/tcp
ftp 21/tcp
ssh 22/tcp
telnet 23/tcp
smtp 25/tcp mail
time 37/tcp timserver
time 37/udp timserver
whois 43/tcp nicname
domain 53/tcp
domain 53/udp
bootps 67/udp
bootpc 68/udp
tftp 69/udp
gopher 70/tcp
finger 79/tcp
http 80/tcp www
kerberos 88/tcp kerberos5 krb5 kerberos-sec
kerberos 88/udp kerberos5 krb5 kerberos-sec
pop3 110/tcp pop-3
sunrpc 111/tcp portmapper
sunrpc 111/udp portmapper
auth 113/tcp authentication tap ident
nntp 119/tcp readnews untp
ntp 123/udp
netbios-ns 137/udp
netbios-dgm 138/udp
netbios-ssn 139/tcp
imap2 143/tcp imap
snmp 161/tcp
snmp 161/udp
snmp-trap 162/tcp snmptrap
snmp-trap 162/udp snmptrap
bgp 179/tcp
irc 194/tcp
ldap 389/tcp
ldap 389/udp
https 443/tcp
https 443/udp
microsoft-ds 445/tcp
submissions 465/tcp ssmtp smtps urd
syslog 514/udp
printer 515/tcp spooler
submission 587/tcp
ldaps 636/tcp
ldaps 636/udp
rsync 873/tcp
ftps 990/tcp
imaps 993/tcp
pop3s 995/tcp
socks 1080/tcp
openvpn 1194/tcp
openvpn 1194/udp
ms-sql-s 1433/tcp
mysql 3306/tcp
rdp 3389/tcp ms-wbt-server
postgresql 5432/tcp postgres
amqp 5672/tcp
amqp 5672/sctp
x11 6000/tcp x11-0
http-alt 8080/tcp webcache
`;

const BUILTIN_PROTOCOLS = `
ip 0 IP
hopopt 0 HOPOPT
icmp 1 ICMP
igmp 2 IGMP
ipencap 4 IP-ENCAP
tcp 6 TCP
udp 17 UDP
ipv6 41 IPv6
ipv6-route 43 IPv6-Route
ipv6-frag 44 IPv6-Frag
gre 47 GRE
esp 50 IPSEC-ESP
ah 51 IPSEC-AH
ipv6-icmp 58 IPv6-ICMP
ipv6-nonxt 59 IPv6-NoNxt
ipv6-opts 60 IPv6-Opts
pim 103 PIM
vrrp 112 VRRP
l2tp 115 L2TP
sctp 132 SCTP
udplite 136 UDPLite
`;

/** One line of the services database. */
export interface ServiceEntry {
  name: string;
  port: number;
  proto: string;
  aliases: string[];
}

/** One line of the protocols database. */
export interface ProtocolEntry {
  name: string;
  number: number;
  aliases: string[];
}

/** One line of the hosts database. */
export interface HostEntry {
  family: 4 | 6;
  address: Uint8Array;
  names: string[];
}

// The text of a system file, or null when it cannot be read without asking.
function readSystemFile(path: string): string | null {
  try {
    const status = Deno.permissions.querySync({ name: "read", path });
    if (status.state !== "granted") return null;
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

// The fields of each line, without comments and blank lines.
function fields(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split("\n")) {
    const hash = line.indexOf("#");
    const row = (hash === -1 ? line : line.slice(0, hash)).trim().split(/\s+/);
    if (row[0] !== "") rows.push(row);
  }
  return rows;
}

let services: ServiceEntry[] | undefined;
let protocols: ProtocolEntry[] | undefined;
let hosts: HostEntry[] | undefined;

/** The services database: `/etc/services`, else the built-in table. */
export function serviceEntries(): ServiceEntry[] {
  if (services === undefined) {
    const text = readSystemFile("/etc/services") ?? BUILTIN_SERVICES;
    services = [];
    for (const [name, portProto, ...aliases] of fields(text)) {
      const match = /^(\d+)\/(\S+)$/.exec(portProto ?? "");
      if (match === null) continue;
      const port = Number(match[1]);
      if (port > 0xffff) continue;
      services.push({ name, port, proto: match[2], aliases });
    }
  }
  return services;
}

/** The protocols database: `/etc/protocols`, else the built-in table. */
export function protocolEntries(): ProtocolEntry[] {
  if (protocols === undefined) {
    const text = readSystemFile("/etc/protocols") ?? BUILTIN_PROTOCOLS;
    protocols = [];
    for (const [name, number, ...aliases] of fields(text)) {
      if (!/^\d+$/.test(number ?? "")) continue;
      protocols.push({ name, number: Number(number), aliases });
    }
  }
  return protocols;
}

/** The hosts database: `/etc/hosts`, else empty. */
export function hostEntries(): HostEntry[] {
  if (hosts === undefined) {
    hosts = [];
    for (
      const [address, ...names] of fields(readSystemFile("/etc/hosts") ?? "")
    ) {
      if (names.length === 0) continue;
      // glibc's files backend: inet_pton(AF_INET6) first, then the exact
      // inet_aton forms.
      const v6 = parseInet6(address);
      if (v6 !== null) {
        hosts.push({ family: 6, address: v6, names });
        continue;
      }
      const v4 = parseInetAton(address, true);
      if (v4 !== null) hosts.push({ family: 4, address: packInet4(v4), names });
    }
  }
  return hosts;
}

/**
 * `getservbyname(name, proto)`: the first entry named `name` (or with that
 * alias) for `proto` (any protocol when null). Case-sensitive, as glibc.
 */
export function findService(
  name: string,
  proto: string | null,
): ServiceEntry | undefined {
  return serviceEntries().find((s) =>
    (s.name === name || s.aliases.includes(name)) &&
    (proto === null || s.proto === proto)
  );
}

/** `getservbyport(port, proto)`: the first entry for `port` and `proto` (any when null). */
export function findServiceByPort(
  port: number,
  proto: string | null,
): ServiceEntry | undefined {
  return serviceEntries().find((s) => s.port === port && (proto === null || s.proto === proto));
}

/** `getprotobyname(name)`: the first entry named `name` (or with that alias). */
export function findProtocol(name: string): ProtocolEntry | undefined {
  return protocolEntries().find((p) => p.name === name || p.aliases.includes(name));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The hosts-file lines that name `name` (case-insensitively), for `family`
 * (4, 6, or 0 for both), in file order.
 */
export function hostsByName(name: string, family: 0 | 4 | 6): HostEntry[] {
  const wanted = name.toLowerCase();
  return hostEntries().filter((h) =>
    (family === 0 || h.family === family) &&
    h.names.some((n) => n.toLowerCase() === wanted)
  );
}

/** The first hosts-file line for `address` (4 or 16 bytes). */
export function hostByAddress(address: Uint8Array): HostEntry | undefined {
  return hostEntries().find((h) => sameBytes(h.address, address));
}

// Interface indexes the kernel reports without /sys: the scope id of each
// interface's link-local IPv6 address, and Linux's loopback, which is always
// index 1 (the kernel's LOOPBACK_IFINDEX).
function knownInterfaces(): Map<string, number> {
  const known = new Map<string, number>();
  if (Deno.build.os === "linux") known.set("lo", 1);
  try {
    const status = Deno.permissions.querySync({
      name: "sys",
      kind: "networkInterfaces",
    });
    if (status.state !== "granted") return known;
    for (const i of Deno.networkInterfaces()) {
      if (i.family === "IPv6" && i.scopeid) known.set(i.name, i.scopeid);
    }
  } catch {
    // No interface list: only what is known above.
  }
  return known;
}

/**
 * `if_nametoindex(name)`: the interface's index, or 0. Read from
 * `/sys/class/net/<name>/ifindex` (Deno allows that with `--allow-all`
 * only); else from the interface list (`--allow-sys`), which knows the
 * loopback interface and those with a link-local IPv6 address.
 */
export function interfaceIndex(name: string): number {
  if (name === "" || name.includes("/") || name === "." || name === "..") {
    return 0;
  }
  const text = readSystemFile(`/sys/class/net/${name}/ifindex`);
  const index = text === null ? NaN : Number(text.trim());
  if (Number.isInteger(index) && index > 0) return index;
  return knownInterfaces().get(name) ?? 0;
}

/**
 * `if_nameindex()`: every interface as `[index, name]`, by index. From
 * `/sys/class/net` (with `--allow-all`), else from the interface list.
 */
export function interfaceList(): [number, string][] {
  const found = new Map<string, number>();
  try {
    const path = "/sys/class/net";
    if (Deno.permissions.querySync({ name: "read", path }).state === "granted") {
      for (const entry of Deno.readDirSync(path)) {
        const index = interfaceIndex(entry.name);
        if (index > 0) found.set(entry.name, index);
      }
    }
  } catch {
    // No /sys: the interface list below.
  }
  for (const [name, index] of knownInterfaces()) if (!found.has(name)) found.set(name, index);
  return [...found].map(([name, index]): [number, string] => [index, name])
    .sort((a, b) => a[0] - b[0]);
}

/** `if_indextoname(index)`: the interface's name, or null. */
export function interfaceName(index: number): string | null {
  try {
    const path = "/sys/class/net";
    if (
      Deno.permissions.querySync({ name: "read", path }).state !== "granted"
    ) {
      throw new Deno.errors.NotCapable(path);
    }
    for (const entry of Deno.readDirSync(path)) {
      if (interfaceIndex(entry.name) === index) return entry.name;
    }
  } catch {
    // No /sys (not Linux, or not --allow-all): the interface list.
  }
  for (const [name, i] of knownInterfaces()) if (i === index) return name;
  return null;
}
