/**
 * Whether the Envoy Gateway the program pins at every published cluster's edge is still supported on the
 * plan's day. The pin moves with the program, not the config, so only the day can make it stale: the program
 * and `npm run plan` plan on today, every other caller on ENVOY_GATEWAY_CALENDAR_READ.
 */
import type { ConfigIssue } from "../config/issue";
import type { StackConfig } from "../config/schema";
import { ENVOY_GATEWAY_LINES, ENVOY_GATEWAY_VERSION, envoyGatewayLine, lineOf } from "../ingress/behaviour";
import { warning } from "./issues";

/** Whether `version`'s line had reached its end of life on `day` (ISO dates compare as strings). */
export const envoyGatewayEnded = (version: string, day: string): boolean => lineOf(version).endOfLife <= day;

/** The newest line still supported on `day`, if the calendar lists one. */
function supportedLine(day: string): string | undefined {
  return Object.entries(ENVOY_GATEWAY_LINES)
    .filter(([, line]) => line.endOfLife > day)
    .map(([name]) => name)
    .sort((a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]))[0];
}

/** One warning per cluster that publishes routes while the pinned release is past its end of life. */
export function envoyGatewaySupportIssues(
  config: StackConfig,
  day: string,
  version: string = ENVOY_GATEWAY_VERSION,
): ConfigIssue[] {
  if (!envoyGatewayEnded(version, day)) return [];
  const line = envoyGatewayLine(version);
  const next = supportedLine(day);
  const fix = next
    ? `update this program to a release that pins Envoy Gateway ${next} (supported until ${ENVOY_GATEWAY_LINES[next].endOfLife}) and follow docs/operations/upgrade.md, "Envoy Gateway"`
    : `no Envoy Gateway line the program knows is supported on ${day}: move ENVOY_GATEWAY_VERSION (infra/ingress/behaviour.ts) to a supported release from the compatibility matrix, with its CRD fixtures, and follow docs/operations/upgrade.md, "Envoy Gateway"`;
  return config.clusters.flatMap((cluster, i) =>
    cluster.ingress.routes.length > 0
      ? [
          warning(
            `clusters[${i}].ingress.routes`,
            `the gateway of these routes runs Envoy Gateway ${version}, whose line ${line} reached end of life on ${lineOf(version).endOfLife} (Envoy Gateway compatibility matrix) and gets no security fixes: ${fix}.`,
          ),
        ]
      : [],
  );
}
