// Copyright 2025 the pysocket authors. MIT license.
/**
 * Certificates for `ssl.ts`: a small DER reader that turns an X.509
 * certificate into the dict Python's `SSLSocket.getpeercert()` returns
 * (`_ssl._decode_certificate` in CPython), and PEM ⇄ DER conversion.
 *
 * @module
 */

/** A certificate name as Python gives it: a tuple of RDNs, each a tuple of `[name, value]`. */
export type CertName = [string, string][][];

/** Python's `getpeercert()` dict. */
export interface PeerCert {
  /** The subject's name. */
  subject: CertName;
  /** The issuer's name. */
  issuer: CertName;
  /** The X.509 version (3). */
  version: number;
  /** The serial number, in upper-case hex. */
  serialNumber: string;
  /** Start of validity, as `Jan  5 09:34:43 2018 GMT`. */
  notBefore: string;
  /** End of validity. */
  notAfter: string;
  /** `[["DNS", "localhost"], ["IP Address", "127.0.0.1"]]`. */
  subjectAltName?: [string, string][];
  /** OCSP responder URIs. */
  OCSP?: string[];
  /** CA issuer URIs. */
  caIssuers?: string[];
  /** CRL distribution point URIs. */
  crlDistributionPoints?: string[];
}

interface Node {
  tag: number;
  start: number; // content start
  end: number; // content end
  next: number; // offset after this node
}

function readNode(der: Uint8Array, at: number): Node {
  const tag = der[at];
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  if (tag === undefined || start + len > der.length) throw new RangeError("truncated DER");
  return { tag, start, end: start + len, next: start + len };
}

function children(der: Uint8Array, node: Node): Node[] {
  const out: Node[] = [];
  for (let at = node.start; at < node.end;) {
    const child = readNode(der, at);
    out.push(child);
    at = child.next;
  }
  return out;
}

function oid(der: Uint8Array, node: Node): string {
  const parts: number[] = [];
  let value = 0;
  for (let i = node.start; i < node.end; i++) {
    value = value * 128 + (der[i] & 0x7f);
    if ((der[i] & 0x80) === 0) {
      if (parts.length === 0) {
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

// OpenSSL's long names (OBJ_nid2ln), which Python puts in the dict.
const NAMES: Record<string, string> = {
  "2.5.4.3": "commonName",
  "2.5.4.4": "surname",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "countryName",
  "2.5.4.7": "localityName",
  "2.5.4.8": "stateOrProvinceName",
  "2.5.4.9": "streetAddress",
  "2.5.4.10": "organizationName",
  "2.5.4.11": "organizationalUnitName",
  "2.5.4.12": "title",
  "2.5.4.13": "description",
  "2.5.4.17": "postalCode",
  "2.5.4.41": "name",
  "2.5.4.42": "givenName",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.1": "userId",
  "0.9.2342.19200300.100.1.25": "domainComponent",
  "1.2.840.113549.1.9.1": "emailAddress",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionCountryName",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionStateOrProvinceName",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionLocalityName",
  "2.5.4.15": "businessCategory",
};

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

function text(der: Uint8Array, node: Node): string {
  const bytes = der.subarray(node.start, node.end);
  if (node.tag === 0x1e) { // BMPString: UTF-16BE
    let s = "";
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      s += String.fromCharCode(bytes[i] << 8 | bytes[i + 1]);
    }
    return s;
  }
  if (node.tag === 0x0c) return utf8.decode(bytes);
  return latin1.decode(bytes);
}

function name(der: Uint8Array, node: Node): CertName {
  return children(der, node).map((set) =>
    children(der, set).map((pair) => {
      const [type, value] = children(der, pair);
      const id = oid(der, type);
      return [NAMES[id] ?? id, text(der, value)] as [string, string];
    })
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ASN1_TIME_print's form, as Python shows it: `Jan  5 09:34:43 2018 GMT`. */
function time(der: Uint8Array, node: Node): string {
  let s = latin1.decode(der.subarray(node.start, node.end));
  if (node.tag === 0x17) s = (Number(s.slice(0, 2)) >= 50 ? "19" : "20") + s;
  const [y, mo, d, h, mi, sec] = [
    s.slice(0, 4),
    s.slice(4, 6),
    s.slice(6, 8),
    s.slice(8, 10),
    s.slice(10, 12),
    s.slice(12, 14),
  ];
  return `${MONTHS[Number(mo) - 1]} ${
    String(Number(d)).padStart(2, " ")
  } ${h}:${mi}:${sec} ${y} GMT`;
}

function hex(der: Uint8Array, node: Node): string {
  let s = "";
  let i = node.start;
  // i2a_ASN1_INTEGER drops no leading zero byte but the sign byte of a positive number.
  if (node.end - i > 1 && der[i] === 0) i++;
  for (; i < node.end; i++) s += der[i].toString(16).toUpperCase().padStart(2, "0");
  return s;
}

function ipAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((bytes[i] << 8 | bytes[i + 1]).toString(16).toUpperCase());
    }
    return groups.join(":");
  }
  return "<invalid>";
}

function generalNames(der: Uint8Array, node: Node): [string, string][] {
  const out: [string, string][] = [];
  for (const gn of children(der, node)) {
    const raw = der.subarray(gn.start, gn.end);
    switch (gn.tag & 0x1f) {
      case 1:
        out.push(["email", latin1.decode(raw)]);
        break;
      case 2:
        out.push(["DNS", latin1.decode(raw)]);
        break;
      case 4:
        out.push(["DirName", JSON.stringify(name(der, children(der, gn)[0]))]);
        break;
      case 6:
        out.push(["URI", latin1.decode(raw)]);
        break;
      case 7:
        out.push(["IP Address", ipAddress(raw)]);
        break;
      case 8:
        out.push(["Registered ID", oid(der, gn)]);
        break;
      default:
        out.push(["othername", "<unsupported>"]);
    }
  }
  return out;
}

/** Decodes a DER certificate into Python's `getpeercert()` dict. */
export function decodeCertificate(der: Uint8Array): PeerCert {
  const cert = readNode(der, 0);
  const tbs = children(der, children(der, cert)[0].tag === 0x30 ? cert : cert)[0];
  const fields = children(der, tbs);
  let i = 0;
  let version = 1;
  if (fields[0].tag === 0xa0) {
    const v = children(der, fields[0])[0];
    version = der[v.end - 1] + 1;
    i++;
  }
  const serial = fields[i++];
  i++; // signature algorithm
  const issuer = fields[i++];
  const validity = children(der, fields[i++]);
  const subject = fields[i++];
  i++; // subjectPublicKeyInfo
  const result: PeerCert = {
    subject: name(der, subject),
    issuer: name(der, issuer),
    version,
    serialNumber: hex(der, serial),
    notBefore: time(der, validity[0]),
    notAfter: time(der, validity[1]),
  };
  const extensions = fields.slice(i).find((f) => f.tag === 0xa3);
  if (!extensions) return result;
  for (const ext of children(der, children(der, extensions)[0])) {
    const parts = children(der, ext);
    const id = oid(der, parts[0]);
    const value = readNode(der, parts[parts.length - 1].start);
    if (id === "2.5.29.17") result.subjectAltName = generalNames(der, value);
    else if (id === "1.3.6.1.5.5.7.1.1") { // authorityInfoAccess
      for (const ad of children(der, value)) {
        const [method, location] = children(der, ad);
        if ((location.tag & 0x1f) !== 6) continue;
        const uri = latin1.decode(der.subarray(location.start, location.end));
        const m = oid(der, method);
        if (m === "1.3.6.1.5.5.7.48.1") (result.OCSP ??= []).push(uri);
        if (m === "1.3.6.1.5.5.7.48.2") (result.caIssuers ??= []).push(uri);
      }
    } else if (id === "2.5.29.31") { // cRLDistributionPoints: the URIs of fullName
      for (const dp of children(der, value)) {
        for (const part of children(der, dp)) {
          if (part.tag !== 0xa0) continue;
          for (const full of children(der, part)) {
            if (full.tag !== 0xa0) continue;
            for (const gn of children(der, full)) {
              if ((gn.tag & 0x1f) === 6) {
                (result.crlDistributionPoints ??= []).push(
                  latin1.decode(der.subarray(gn.start, gn.end)),
                );
              }
            }
          }
        }
      }
    }
  }
  // Python returns these as tuples: keep arrays, in the order Python sorts the keys in.
  return result;
}

const PEM_HEADER = "-----BEGIN CERTIFICATE-----";
const PEM_FOOTER = "-----END CERTIFICATE-----";

/** Python's `DER_cert_to_PEM_cert`: base64 in lines of 64, between the markers. */
export function derToPem(der: Uint8Array): string {
  let b64 = "";
  const chunk = 0x8000;
  for (let i = 0; i < der.length; i += chunk) {
    b64 += String.fromCharCode(...der.subarray(i, i + chunk));
  }
  b64 = btoa(b64);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `${PEM_HEADER}\n${lines.join("\n")}\n${PEM_FOOTER}\n`;
}

/** Python's `PEM_cert_to_DER_cert`; `null` when the markers are missing. */
export function pemToDer(pem: string): Uint8Array | null {
  const start = pem.indexOf(PEM_HEADER);
  const end = pem.indexOf(PEM_FOOTER);
  if (start < 0 || end < 0) return null;
  const b64 = pem.slice(start + PEM_HEADER.length, end).replace(/\s+/g, "");
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Every PEM certificate block in `text`. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
