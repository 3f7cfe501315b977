/**
 * Parsing the enode URLs of external peers: `enode://<128 hex>@<host>:<port>`, optionally with a query
 * (`?discport=0`). The host is an IPv4 address, a bracketed IPv6 address or a DNS name.
 */
import { isIP } from "node:net";

export interface Enode {
  /** The node's public key, 128 lowercase hex characters. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

export type EnodeParse =
  | { readonly ok: true; readonly enode: Enode }
  | { readonly ok: false; readonly reason: string };

const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const SHAPE = /^enode:\/\/([^@]*)@(\[[^\]]*\]|[^:/?]*):([^?/]*)(\?[^#]*)?$/;

export function parseEnode(text: string): EnodeParse {
  const match = SHAPE.exec(text);
  if (!match)
    return { ok: false, reason: `"${text}" is not an enode URL: expected enode://<128 hex>@<host>:<port>` };
  const [, id, rawHost, portText] = match;
  if (!/^[0-9a-fA-F]{128}$/.test(id)) {
    return { ok: false, reason: `the node id must be 128 hex characters (the public key), not ${id.length}` };
  }
  const bracketed = rawHost.startsWith("[");
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  const validHost = bracketed
    ? isIP(host) === 6
    : isIP(host) === 4 || (isIP(host) === 0 && DNS_NAME.test(host));
  if (!validHost)
    return { ok: false, reason: `"${rawHost}" is not an IPv4 address, [IPv6] address or DNS name` };
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port < 1 || port > 65535) {
    return { ok: false, reason: `port "${portText}" is not a TCP port (1-65535)` };
  }
  return { ok: true, enode: { id: id.toLowerCase(), host, port } };
}
