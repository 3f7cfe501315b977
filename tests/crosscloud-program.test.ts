/**
 * External peers and the join document through the real program under the mock runtime: the local
 * stack with external parties, and prod's cross-cloud plan and join output.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { readStackFile, stackFilePath } from "../infra/config/load";
import { type RenderResult, renderProgram, renderStack } from "../infra/offline/render";
import { throwawayDetail } from "../infra/offline/state/throwaway";
import type { NetworkPlan } from "../infra/plan/types";
import { program } from "../infra/program";
import { decodeQbftExtraData } from "../infra/quorum/genesis";
import type { NetworkDocumentNode } from "../infra/quorum/identities";
import type { JoinDocument } from "../infra/quorum/join";

const PARTY_ID = "5e".repeat(64);
const PARTY_VALIDATOR = `0x${"7a".repeat(20)}`;
const TESSERA_KEY = `${"Q".repeat(43)}=`;
const external = [
  {
    name: "bank-b-validator",
    enode: `enode://${PARTY_ID}@192.168.50.10:30303`,
    range: "192.168.50.0/24",
    validatorAddress: PARTY_VALIDATOR,
    tesseraUrl: "https://192.168.50.11:9000",
    tesseraPublicKey: TESSERA_KEY,
    // openssl req -new (RSA 2048, O=Bank B, CN and SAN IP:192.168.50.11); see tests/tessera-trust.test.ts.
    tesseraCsr: readFileSync(path.join(__dirname, "fixtures", "csr", "rsa2048-ip.csr"), "utf8"),
  },
];

const ofKind = (r: RenderResult, type: string) => r.resources.filter((x) => x.type === type);
const named = (r: RenderResult, type: string, name: string) =>
  ofKind(r, type).find((x) => (x.inputs as { metadata: { name: string } }).metadata.name === name)
    ?.inputs as {
    data: Record<string, string>;
    spec: unknown;
  };

describe("external peers on the local stack", () => {
  let result: RenderResult;
  before(async () => {
    const raw = readStackFile(stackFilePath("local"));
    const network = { ...(raw["goquorum:network"] as object), connectivity: { externalPeers: external } };
    result = await renderProgram("local", { ...raw, "goquorum:network": network }, program);
  });

  it("writes the external validator into the genesis next to ours", () => {
    const ours = (result.outputs.nodes as NetworkDocumentNode[])
      .filter((n) => n.role === "validator")
      .map((n) => n.address.toLowerCase());
    const extra = JSON.parse(String(result.outputs.genesisJson)).extraData;
    assert.deepEqual(decodeQbftExtraData(extra), [...ours, PARTY_VALIDATOR].sort());
  });

  it("adds the peer to every node's static peers and every member's Tessera peers", () => {
    const peers = JSON.parse(
      named(result, "kubernetes:core/v1:ConfigMap", "goquorum-static-nodes").data["static-nodes.json"],
    ) as string[];
    assert.equal(peers.at(-1), `enode://${PARTY_ID}@192.168.50.10:30303?discport=0`);
    const tessera = JSON.parse(
      named(result, "kubernetes:core/v1:ConfigMap", "kind-member-0-tessera").data["tessera-config.json"],
    ) as { peer: { url: string }[] };
    assert.ok(tessera.peer.some((p) => p.url === "https://192.168.50.11:9000"));
    const permitted = JSON.parse(
      named(result, "kubernetes:core/v1:ConfigMap", "goquorum-static-nodes").data["permissioned-nodes.json"],
    ) as string[];
    assert.ok(permitted.includes(`enode://${PARTY_ID}`));
    assert.equal(permitted.length, 8);
  });

  it("admits the peer's range on the p2p ports, and only there", () => {
    const policies = ofKind(result, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) =>
      JSON.stringify(p.inputs),
    );
    const admitting = policies.filter((p) => p.includes("192.168.50.0/24"));
    assert.ok(admitting.length > 0);
    for (const policy of admitting) {
      const ports = [...policy.matchAll(/"port":(\d+)/g)].map((m) => Number(m[1]));
      // A rule without ports would admit every port: each admitting policy must name its ports.
      assert.ok(ports.length > 0, policy);
      assert.ok(
        ports.every((p) => p === 30303 || p === 9000),
        `${ports}`,
      );
    }
  });

  it("publishes what the party needs in the join output, without secrets", () => {
    const join = result.outputs.join as JoinDocument;
    assert.equal(join.genesis, result.outputs.genesisJson);
    assert.deepEqual(join.ports, { p2p: 30303, tesseraP2p: 9000 });
    const { tesseraCertificate, ...peer } = join.externalPeers[0] ?? { tesseraCertificate: undefined };
    assert.deepEqual(peer, {
      name: "bank-b-validator",
      enodeUrl: `enode://${PARTY_ID}@192.168.50.10:30303?discport=0`,
      tesseraUrl: "https://192.168.50.11:9000",
    });
    assert.match(tesseraCertificate ?? "", /^-----BEGIN CERTIFICATE-----\n/);
    assert.equal(join.externalPeers.length, 1);
    assert.equal(join.nodes.length, 7);
    assert.doesNotMatch(JSON.stringify(join), /\[secret\]|privateKey|PRIVATE KEY|nodekey/i);
  });

  it("signs the party's certificate request with the network CA and publishes both (strict TLS by default)", () => {
    const join = result.outputs.join as JoinDocument;
    assert.equal(join.tesseraTls, "strict");
    const signed = ofKind(result, "tls:index/locallySignedCert:LocallySignedCert").filter((r) =>
      r.name.endsWith("-external-bank-b-validator"),
    );
    assert.equal(signed.length, 1);
    const inputs = signed[0]?.inputs as {
      certRequestPem: string;
      caCertPem: string;
      allowedUses: string[];
      validityPeriodHours: number;
    };
    // The party's own request, byte for byte, signed by the network's one CA for both ends of mutual TLS.
    assert.equal(inputs.certRequestPem, external[0]?.tesseraCsr);
    assert.equal(ofKind(result, "tls:index/selfSignedCert:SelfSignedCert").length, 1);
    assert.equal(inputs.caCertPem, join.tesseraCaCertificate);
    assert.match(join.tesseraCaCertificate ?? "", /^-----BEGIN CERTIFICATE-----\n/);
    assert.deepEqual([...inputs.allowedUses].sort(), [
      "clientAuth",
      "digitalSignature",
      "keyEncipherment",
      "serverAuth",
    ]);
    assert.equal(inputs.validityPeriodHours, 365 * 24);
    const certificate = join.externalPeers[0]?.tesseraCertificate ?? "";
    assert.equal(
      throwawayDetail(certificate),
      "subject O=Bank B, CN=192.168.50.11; names IP:192.168.50.11; issuer CN=local Tessera P2P CA",
    );
    assert.deepEqual(result.outputs.tesseraCertificates, {
      ca: join.tesseraCaCertificate,
      externalPeers: { "bank-b-validator": certificate },
    });
  });
});

describe("prod across clouds", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderStack("prod", program);
  });

  it("plans the VPN between the AWS VPCs and the Azure VNet in the plan output", () => {
    const plan = result.outputs.plan as NetworkPlan;
    assert.deepEqual(
      plan.connectivity.links.map((l) => [...l.between, l.kind]),
      [
        ["aws-euw1", "aws-use1", "vpc-peering"],
        ["aws-euw1", "az-weu", "vpn"],
        ["aws-use1", "az-weu", "vpn"],
      ],
    );
    assert.equal(plan.connectivity.vpn?.awsConnections.length, 4);
    assert.deepEqual(
      plan.clusters.find((c) => c.name === "az-weu")?.subnets.find((s) => s.name === "GatewaySubnet")?.cidr,
      "10.66.129.0/24",
    );
  });

  it("runs every member's Tessera with strict TLS, remote key validation and a static peer list", () => {
    const plan = result.outputs.plan as NetworkPlan;
    const members = plan.clusters.flatMap((c) => c.nodes).filter((n) => n.role === "member");
    assert.equal(members.length, 2);
    const advertised = new Map(members.map((n) => [n.name, `https://${n.endpointIp}:9000`]));
    for (const member of members) {
      const config = JSON.parse(
        named(result, "kubernetes:core/v1:ConfigMap", `${member.name}-tessera`).data["tessera-config.json"],
      );
      const p2p = config.serverConfigs.find((s: { app: string }) => s.app === "P2P");
      assert.equal(p2p.serverAddress, advertised.get(member.name));
      assert.equal(p2p.sslConfig.tls, "STRICT");
      assert.equal(p2p.sslConfig.serverTrustMode, "CA");
      assert.equal(p2p.sslConfig.clientTrustMode, "CA");
      assert.equal(config.disablePeerDiscovery, true);
      assert.equal(config.features.enableRemoteKeyValidation, true);
      assert.deepEqual(
        config.peer.map((p: { url: string }) => p.url),
        members.filter((m) => m.name !== member.name).map((m) => advertised.get(m.name)),
      );
    }
    assert.equal((result.outputs.join as JoinDocument).tesseraTls, "strict");
  });

  it("admits exactly the network's node ids to p2p on every node (node permissioning)", () => {
    const ids = (result.outputs.nodes as NetworkDocumentNode[])
      .map((n) => `enode://${/^enode:\/\/([0-9a-f]{128})@/.exec(n.enodeUrl)?.[1]}`)
      .sort();
    const plan = result.outputs.plan as NetworkPlan;
    assert.equal(ids.length, plan.clusters.flatMap((c) => c.nodes).length);
    const configMaps = ofKind(result, "kubernetes:core/v1:ConfigMap").filter(
      (r) => (r.inputs as { metadata: { name: string } }).metadata.name === "goquorum-static-nodes",
    );
    assert.equal(configMaps.length, plan.clusters.length);
    for (const configMap of configMaps) {
      const data = (configMap.inputs as { data: Record<string, string> }).data;
      assert.deepEqual(JSON.parse(data["permissioned-nodes.json"] ?? ""), ids);
    }
    const statefulSets = ofKind(result, "kubernetes:apps/v1:StatefulSet");
    assert.equal(statefulSets.length, ids.length);
    for (const sts of statefulSets) {
      const spec = (sts.inputs as IStatefulSet).spec?.template.spec;
      const geth = spec?.containers.find((c) => c.name === "goquorum");
      assert.ok(geth?.args?.includes("--permissioned"), sts.name);
    }
  });

  it("tells a joining party every node at its endpoint address, Tessera URLs and our ranges", () => {
    const join = result.outputs.join as JoinDocument;
    const plan = result.outputs.plan as NetworkPlan;
    const endpoints = new Map(plan.clusters.flatMap((c) => c.nodes).map((n) => [n.name, n.endpointIp]));
    assert.equal(join.nodes.length, endpoints.size);
    for (const node of join.nodes) {
      assert.match(
        node.enodeUrl,
        new RegExp(`^enode://[0-9a-f]{128}@${endpoints.get(node.name)}:30303\\?discport=0$`),
      );
      if (node.role === "member") assert.equal(node.tesseraUrl, `https://${endpoints.get(node.name)}:9000`);
      if (node.role === "validator") assert.match(node.validatorAddress ?? "", /^0x[0-9a-fA-F]{40}$/);
    }
    assert.deepEqual(join.ranges, {
      "aws-euw1": ["10.64.0.0/16"],
      "aws-use1": ["10.65.0.0/16"],
      "az-weu": ["10.66.0.0/16", "100.104.0.0/16"],
    });
  });
});
