/**
 * Documentation generated from the schema: the JSON schema of a stack file (editor completion through
 * yaml-language-server) and the README's configuration reference. Nothing here is written by hand.
 */
import { z } from "zod";
import { INGRESS_SECRETS_CONFIG_KEY } from "./ingress";
import { ADOPTED_KEYS_CONFIG_KEY, ALERTING_SECRETS_CONFIG_KEY, Cluster, Network, PROJECT } from "./schema";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  additionalProperties?: unknown;
  propertyNames?: JsonSchema;
};

const toJson = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

/**
 * A cluster's schema as editors should check it: `provider` first, then the fields of that provider only
 * (if/then per provider). The discriminated union's plain `oneOf` makes a validator report every other
 * provider's failures too, so an AWS cluster is told it lacks `vmSize`.
 */
function clusterByProvider(variants: readonly JsonSchema[]): JsonSchema {
  const providers = variants.map((v) => v.properties?.provider?.const);
  return {
    type: "object",
    properties: {
      provider: { enum: providers, description: "Where the cluster runs; selects the other fields." },
    },
    required: ["provider"],
    allOf: variants.map((variant) => ({
      if: {
        properties: { provider: { const: variant.properties?.provider?.const } },
        required: ["provider"],
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; the object is never awaited.
      then: variant,
    })),
  };
}

/** JSON schema for a whole `stacks/Pulumi.<stack>.yaml` file. */
export function stackFileJsonSchema(): object {
  const { $schema: _, ...network } = toJson(Network) as JsonSchema & { $schema?: string };
  const clusters = toJson(z.array(Cluster).min(1)) as JsonSchema & { $schema?: string };
  delete clusters.$schema;
  clusters.items = clusterByProvider(clusters.items?.oneOf ?? []);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "GoQuorum Pulumi stack configuration",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: {
          [`${PROJECT}:network`]: network,
          [`${PROJECT}:clusters`]: {
            ...clusters,
            description: "The clusters of the network, in any mix of providers.",
          },
          [`${PROJECT}:${ADOPTED_KEYS_CONFIG_KEY}`]: {
            description:
              "Secret object of keys you bring, by node name: { nodeKey, tesseraKey }. Set with `pulumi config set --secret --path`.",
          },
          [`${PROJECT}:${ALERTING_SECRETS_CONFIG_KEY}`]: {
            description:
              "Secret object of alert receiver credentials, by receiver name (webhook URL, Slack webhook URL, SMTP password or PagerDuty routing key), and each cluster's heartbeat URL as `heartbeat-<cluster>`.",
          },
          [`${PROJECT}:${INGRESS_SECRETS_CONFIG_KEY}`]: {
            description:
              "Secret object of ingress credentials, by cluster name: { apiKeys, grafanaClientSecret, ca, certificates }. Set with `pulumi config set --secret --path`.",
          },
        },
        required: [`${PROJECT}:network`, `${PROJECT}:clusters`],
      },
      secretsprovider: { type: "string" },
      encryptedkey: { type: "string" },
      encryptionsalt: { type: "string" },
      environment: {},
    },
  };
}

interface Row {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  if (s.type === "object" && s.propertyNames) return "map";
  const range =
    s.minimum !== undefined && s.maximum !== undefined && s.maximum < 2 ** 40
      ? ` ${s.minimum}–${s.maximum}`
      : "";
  return `${Array.isArray(s.type) ? s.type.join("|") : (s.type ?? "any")}${range}`;
}

function defaultOf(s: JsonSchema): string {
  if (s.default === undefined) return "";
  if (typeof s.default === "object" && s.default !== null && Object.keys(s.default).length === 0) return "";
  return `\`${JSON.stringify(s.default)}\``;
}

function rows(schema: JsonSchema, prefix: string, required: boolean): Row[] {
  const out: Row[] = [];
  const description = (schema.description ?? "").replace(/\|/g, "\\|");
  const isObject = schema.type === "object" && schema.properties;
  const isObjectArray = schema.type === "array" && schema.items?.type === "object" && schema.items.properties;
  const req = required && schema.default === undefined ? " (required)" : "";
  out.push({
    key: `\`${prefix}\``,
    type: isObject ? "object" : typeOf(schema),
    default: defaultOf(schema),
    description: description + req,
  });
  const body = isObject ? schema : isObjectArray ? schema.items : undefined;
  if (body?.properties) {
    const path = isObjectArray ? `${prefix}[]` : prefix;
    for (const [key, child] of Object.entries(body.properties)) {
      out.push(...rows(child, `${path}.${key}`, body.required?.includes(key) ?? false));
    }
  }
  return out;
}

function table(rowList: readonly Row[]): string {
  const head = "| key | type | default | description |\n| --- | --- | --- | --- |";
  return [head, ...rowList.map((r) => `| ${r.key} | ${r.type} | ${r.default} | ${r.description} |`)].join(
    "\n",
  );
}

/** The README's configuration reference, as Markdown. */
export function configReferenceMarkdown(): string {
  const network = toJson(Network);
  const clusterVariants = (toJson(Cluster).oneOf ?? []) as JsonSchema[];
  const parts = [
    `### \`${PROJECT}:network\``,
    "",
    table(rows(network, "network", true).slice(1)),
    "",
    `### \`${PROJECT}:clusters\` (a list; \`provider\` selects the fields)`,
  ];
  for (const variant of clusterVariants) {
    const provider = String(variant.properties?.provider?.const);
    parts.push("", `#### \`provider: ${provider}\``, "", table(rows(variant, "clusters[]", true).slice(1)));
  }
  parts.push(
    "",
    `### \`${PROJECT}:${ADOPTED_KEYS_CONFIG_KEY}\` (secret)`,
    "",
    'Keys you bring for the nodes listed in `network.adoptKeysFor`: `{ "<node>": { "nodeKey": "<64 hex>", "tesseraKey": "<base64>" } }`.',
    "",
    `### \`${PROJECT}:${ALERTING_SECRETS_CONFIG_KEY}\` (secret)`,
    "",
    "The credential of each receiver in `network.monitoring.receivers`, by receiver name: the URL (webhook, Slack), the SMTP password (email) or the routing key (PagerDuty). `pulumi config set --secret --path 'alertingSecrets.<receiver>' <value>`. With `network.monitoring.heartbeat`, also each cluster's heartbeat URL: `pulumi config set --secret --path 'alertingSecrets.heartbeat-<cluster>' <URL>`.",
    "",
    `### \`${PROJECT}:${INGRESS_SECRETS_CONFIG_KEY}\` (secret)`,
    "",
    'Credentials of the published routes, by cluster: `{ "<cluster>": { "apiKeys": { "<client>": "<key>" }, "grafanaClientSecret": "...", "ca": { "certificate": "<PEM>", "privateKey": "<PEM>" }, "certificates": { "<hostname>": { "certificate": "<PEM>", "privateKey": "<PEM>" } } } }`. `pulumi up` names every one the routes need and the stack lacks.',
  );
  return parts.join("\n");
}
