/** A minimal client of the test's API server: JSON over HTTPS with the admin's client certificate. */
import { request } from "node:https";

export interface KubeCredentials {
  readonly server: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

export class Kube {
  constructor(private readonly creds: KubeCredentials) {}

  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.creds.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.creds.ca,
          cert: this.creds.cert,
          key: this.creds.key,
          headers: {
            accept: "application/json",
            ...(payload ? { "content-type": "application/json" } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            const json = (res.headers["content-type"] ?? "").includes("json");
            if (status >= 200 && status < 300) resolve((json && text ? JSON.parse(text) : text) as T);
            else reject(new KubeError(status, text, `${method} ${path}`));
          });
        },
      );
      req.on("error", reject);
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  /** GET that answers undefined for 404. */
  async find<T = unknown>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined;
      throw e;
    }
  }

  create<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  async list<T = unknown>(path: string): Promise<T[]> {
    return (await this.get<{ items: T[] }>(path)).items;
  }
}

/** The REST path of a kind's collection, in a namespace or cluster-wide. */
export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${namespace}` : "";
  return `${base}${ns}/${pluralOf(kind)}`;
}

/** The REST path of an object from its apiVersion, kind, namespace and name. */
export function objectPath(apiVersion: string, kind: string, name: string, namespace?: string): string {
  return `${collectionPath(apiVersion, kind, namespace)}/${name}`;
}

/**
 * The REST resource name of a kind: lowercase, plural by the English rule that the kinds the program creates
 * and the CRDs it relies on follow (networkpolicies, gatewayclasses, envoyproxies, httproutes).
 */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}
