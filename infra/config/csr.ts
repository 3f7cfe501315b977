/**
 * Reading a PKCS#10 certificate signing request (RFC 2986) from PEM: its subject, subject alternative names,
 * public key and whether its self-signature verifies. Only the DER subset a CSR uses is read; keys and
 * signatures go through node:crypto. Used to check an external party's `tesseraCsr` before the network CA
 * signs it: @pulumi/tls `LocallySignedCert` copies the request's subject, DNS names, IP addresses and URIs
 * into the certificate and never checks its signature (terraform-provider-tls
 * `internal/provider/resource_locally_signed_cert.go`, `Create`).
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";

export interface CertificateRequest {
  /** Subject attributes in order, short names where known (`CN`, `O` …), else the OID. */
  readonly subject: readonly { readonly type: string; readonly value: string }[];
  readonly commonName?: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Alternative names of any other kind (URI, email, …), as `<kind>:<value>`. */
  readonly otherNames: readonly string[];
  readonly key: PublicKeyInfo;
  /** The signature algorithm's name, e.g. `sha256WithRSAEncryption`, or its OID when unknown. */
  readonly signatureAlgorithm: string;
  /** Whether the signature verifies with the request's own key (undefined: algorithm not supported here). */
  readonly signatureVerifies?: boolean;
}

export type PublicKeyInfo =
  | { readonly type: "rsa"; readonly bits: number }
  | { readonly type: "ec"; readonly curve: string }
  | { readonly type: string };

export type ParsedRequest = { ok: true; request: CertificateRequest } | { ok: false; reason: string };

const PEM = /^-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\s*$/;

export function parseCertificateRequest(pem: string): ParsedRequest {
  const block = PEM.exec(pem.trim());
  if (!block) return { ok: false, reason: "is not a PEM block (-----BEGIN CERTIFICATE REQUEST----- …)" };
  if (block[1] !== "CERTIFICATE REQUEST") {
    return { ok: false, reason: `is a PEM ${block[1]}, not a CERTIFICATE REQUEST` };
  }
  try {
    return { ok: true, request: readRequest(Buffer.from(block[2] ?? "", "base64")) };
  } catch (e) {
    return { ok: false, reason: `does not parse as a PKCS#10 request: ${(e as Error).message}` };
  }
}

/** Signature algorithms by OID: the hash node:crypto verifies with (null: the key's own, Ed25519). */
const SIGNATURES: Readonly<Record<string, { name: string; hash: string | null }>> = {
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", hash: "md5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", hash: "sha1" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "sha512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", hash: "sha1" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "sha512" },
  "1.3.101.112": { name: "Ed25519", hash: null },
};

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
};

const OID = {
  extensionRequest: "1.2.840.113549.1.9.14",
  subjectAltName: "2.5.29.17",
} as const;

/** DER tags this reader meets. */
const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  attributes: 0xa0,
  sanEmail: 0x81,
  sanDns: 0x82,
  sanUri: 0x86,
  sanIp: 0x87,
} as const;

interface Tlv {
  readonly tag: number;
  /** The whole element, header included (what a signature covers). */
  readonly raw: Buffer;
  readonly value: Buffer;
}

function readRequest(der: Buffer): CertificateRequest {
  const outer = only(der, TAG.sequence);
  const [info, algorithm, signature] = expect(children(outer), [
    TAG.sequence,
    TAG.sequence,
    TAG.bitString,
  ] as const);
  const [version, subject, spki, attributes] = children(info);
  if (!version || !subject || !spki) throw new Error("the request info is incomplete");
  check(version, TAG.integer);
  if (version.value.length !== 1 || version.value[0] !== 0) throw new Error("unknown version (want v1, 0)");
  check(subject, TAG.sequence);
  check(spki, TAG.sequence);
  if (attributes) check(attributes, TAG.attributes);

  const names = subjectAttributes(subject);
  const san = alternativeNames(attributes);
  const publicKey = createPublicKey({ key: spki.raw, format: "der", type: "spki" });
  const algorithmOid = readOid(expect(children(algorithm), [TAG.oid] as const)[0]);
  const known = SIGNATURES[algorithmOid];
  if ((signature.value[0] ?? 1) !== 0) throw new Error("the signature has unused bits");
  const signatureBytes = signature.value.subarray(1);
  const commonName = names.find((n) => n.type === "CN")?.value;
  return {
    subject: names,
    ...(commonName !== undefined ? { commonName } : {}),
    ...san,
    key: keyInfo(publicKey),
    signatureAlgorithm: known?.name ?? algorithmOid,
    ...(known ? { signatureVerifies: verifies(known.hash, info.raw, publicKey, signatureBytes) } : {}),
  };
}

function verifies(hash: string | null, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

function keyInfo(key: KeyObject): PublicKeyInfo {
  const type = key.asymmetricKeyType ?? "unknown";
  const details = key.asymmetricKeyDetails ?? {};
  if (type === "rsa") return { type, bits: details.modulusLength ?? 0 };
  if (type === "ec") return { type, curve: details.namedCurve ?? "unknown" };
  return { type };
}

function subjectAttributes(subject: Tlv): { type: string; value: string }[] {
  return children(subject).flatMap((rdn) => {
    check(rdn, TAG.set);
    return children(rdn).map((pair) => {
      const [type, value] = children(pair);
      if (!type || !value) throw new Error("a subject attribute is incomplete");
      const oid = readOid(type);
      return {
        type: ATTRIBUTE_NAMES[oid] ?? oid,
        value: value.value.toString(value.tag === 0x1e ? "utf16le" : "utf8"),
      };
    });
  });
}

function alternativeNames(attributes: Tlv | undefined) {
  const found = { dnsNames: [] as string[], ipAddresses: [] as string[], otherNames: [] as string[] };
  for (const attribute of attributes ? children(attributes) : []) {
    const [type, values] = children(attribute);
    if (!type || !values || readOid(type) !== OID.extensionRequest) continue;
    for (const extensions of children(values)) {
      for (const extension of children(extensions)) {
        const parts = children(extension);
        const id = parts[0];
        const value = parts.at(-1);
        if (!id || !value || readOid(id) !== OID.subjectAltName) continue;
        check(value, TAG.octetString);
        for (const name of children(only(value.value, TAG.sequence))) {
          if (name.tag === TAG.sanDns) found.dnsNames.push(name.value.toString("ascii"));
          else if (name.tag === TAG.sanIp) found.ipAddresses.push(ipText(name.value));
          else if (name.tag === TAG.sanUri) found.otherNames.push(`URI:${name.value.toString("ascii")}`);
          else if (name.tag === TAG.sanEmail) found.otherNames.push(`email:${name.value.toString("ascii")}`);
          else found.otherNames.push(`[${name.tag & 0x1f}]`);
        }
      }
    }
  }
  return found;
}

function ipText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join(".");
  if (bytes.length === 16) {
    return Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(2 * i).toString(16)).join(":");
  }
  throw new Error(`an IP address of ${bytes.length} bytes`);
}

function readOid(tlv: Tlv | undefined): string {
  if (!tlv) throw new Error("a missing object identifier");
  check(tlv, TAG.oid);
  const [first = 0, ...rest] = tlv.value;
  const arcs = [Math.min(Math.floor(first / 40), 2), first - 40 * Math.min(Math.floor(first / 40), 2)];
  let arc = 0;
  for (const byte of rest) {
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
    }
  }
  return arcs.join(".");
}

function readTlv(buffer: Buffer, offset: number): Tlv {
  const tag = buffer[offset];
  const first = buffer[offset + 1];
  if (tag === undefined || first === undefined) throw new Error("truncated");
  if ((tag & 0x1f) === 0x1f) throw new Error("a multi-byte tag");
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error("an indefinite or oversized length");
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (buffer[offset + 2 + i] ?? 0);
    header += bytes;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw new Error("truncated");
  return { tag, raw: buffer.subarray(offset, end), value: buffer.subarray(offset + header, end) };
}

function children(parent: Tlv): Tlv[] {
  const found: Tlv[] = [];
  for (let offset = 0; offset < parent.value.length; ) {
    const child = readTlv(parent.value, offset);
    found.push(child);
    offset += child.raw.length;
  }
  return found;
}

/** The single element `buffer` holds, of tag `tag`, with nothing after it. */
function only(buffer: Buffer, tag: number): Tlv {
  const tlv = readTlv(buffer, 0);
  if (tlv.raw.length !== buffer.length) throw new Error("trailing bytes");
  check(tlv, tag);
  return tlv;
}

/** The first elements of `elements`, one per tag in `tags`, each checked. */
function expect<T extends readonly number[]>(elements: readonly Tlv[], tags: T): { [K in keyof T]: Tlv } {
  if (elements.length < tags.length) throw new Error("missing elements");
  return tags.map((tag, i) => {
    const element = elements[i] as Tlv;
    check(element, tag);
    return element;
  }) as { [K in keyof T]: Tlv };
}

function check(tlv: Tlv, tag: number): void {
  if (tlv.tag !== tag) throw new Error(`tag 0x${tlv.tag.toString(16)} where 0x${tag.toString(16)} belongs`);
}
