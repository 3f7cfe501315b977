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

/** A PEM block whose body, once decoded, only says which throwaway stand-in it is: never key material. */
export function throwawayPem(label: string, stack: string, name: string): string {
  const body = Buffer.from(`throwaway ${label.toLowerCase()} for ${stack}/${name}`).toString("base64");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
