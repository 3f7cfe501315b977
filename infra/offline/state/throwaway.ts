/** Throwaway values for renders and tests: reproducible, and never a real stack's key material. */
import { createHash } from "node:crypto";

/** Throwaway bytes for a render, from a label naming what they stand in for; the one derivation of them. */
export function throwawayBytes(label: string, length = 32): Buffer {
  // Past one digest, further blocks are chained from the label, so the first 32 bytes never change.
  const blocks = [createHash("sha256").update(`throwaway:${label}`).digest()];
  for (let i = 1; i * 32 < length; i++) {
    blocks.push(createHash("sha256").update(`throwaway:${label}:${i}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/**
 * A PEM block whose body, once decoded, only says which throwaway stand-in it is (and, for certificates and
 * requests, what they would state: `detail`): never key material.
 */
export function throwawayPem(label: string, stack: string, name: string, detail?: string): string {
  const text = `throwaway ${label.toLowerCase()} for ${stack}/${name}${detail ? `: ${detail}` : ""}`;
  return `-----BEGIN ${label}-----\n${Buffer.from(text).toString("base64")}\n-----END ${label}-----\n`;
}

/** A PEM block's label and body, or undefined when `pem` is not one PEM block. */
export function pemBlock(pem: string): { label: string; body: Buffer } | undefined {
  const match = /^-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\s*$/.exec(
    pem.trim(),
  );
  return match ? { label: match[1] ?? "", body: Buffer.from(match[2] ?? "", "base64") } : undefined;
}

/** What a throwaway PEM states (`detail` of `throwawayPem`), or undefined when it is no throwaway. */
export function throwawayDetail(pem: string): string | undefined {
  const block = pemBlock(pem);
  const text = block?.body.toString("utf8") ?? "";
  if (!text.startsWith("throwaway ")) return undefined;
  const colon = text.indexOf(": ");
  return colon < 0 ? "" : text.slice(colon + 2);
}
