/** `npm run plan` lists every published endpoint with its exposure and client ranges, and warns for public ones. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

const STACK = `
config:
  goquorum:network:
    name: pub
    chainId: 4242
    monitoring: { runbookUrl: "https://git.example.org/ops/goquorum/-/blob/main/docs/alerts.md" }
  goquorum:clusters:
    - name: euw1
      provider: aws
      region: eu-west-1
      nodePools: [{ name: p, instanceType: m6i.xlarge, count: 3 }]
      apiAccess: { publicRanges: [81.2.69.160/28] }
      adminRoleArns: [arn:aws:iam::210987654321:role/deploy]
      nodes: { validators: 4, rpc: 2 }
      ingress:
        routes:
          - kind: rpc
            hostname: rpc.pub.example.com
            exposure: public
            allowedCidrs: [203.0.113.0/24]
            auth:
              jwt: { issuer: "https://id.example.com/", jwksUri: "https://id.example.com/keys", audiences: [rpc] }
          - kind: grafana
            hostname: grafana.pub.example.com
        grafana:
          oidc: { clientId: g, authUrl: "https://id.example.com/a", tokenUrl: "https://id.example.com/t", apiUrl: "https://id.example.com/u", allowedGroups: [grafana-users] }
`;

describe("npm run plan with published routes", () => {
  it("lists each endpoint with exposure, ranges and credential, and warns for the public one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
    writeFileSync(path.join(dir, "Pulumi.pub.yaml"), STACK);
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "infra/cli/plan.ts", "--stack", "pub", "--stacks-dir", dir],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /publishes rpc\s+https:\/\/rpc\.pub\.example\.com\/ {2}PUBLIC {2}from 203\.0\.113\.0\/24 {2}auth jwt/,
    );
    assert.match(
      result.stdout,
      /publishes grafana\s+https:\/\/grafana\.pub\.example\.com\/ {2}INTERNAL {2}from private networks \(10\.\d+\.0\.0\/16\) {2}auth grafana oidc/,
    );
    // The public route's, monitoring's (no receiver), the margin's (4 validators over 3 zones: losing a zone
    // of one leaves exactly quorum) and GoQuorum's (unmaintained): the internal Grafana route warns for nothing.
    assert.match(result.stderr, /4 warnings/);
    assert.match(
      result.stderr,
      /network\.faultTolerance: after losing zone eu-west-1b of "euw1" or zone eu-west-1c/,
    );
    assert.match(
      result.stderr,
      /clusters\[0\]\.ingress\.routes\[0\]\.exposure: https:\/\/rpc\.pub\.example\.com \(rpc\) is published on an Internet-facing load balancer to 203\.0\.113\.0\/24/,
    );
  });
});
