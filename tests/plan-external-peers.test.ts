import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseEnode } from "../infra/config/enode";
import type { StackConfigInput } from "../infra/config/schema";
import { planNetwork } from "../infra/plan";
import { suggestSpread } from "../infra/plan/faultTolerance";
import { awsCluster, azureCluster, localCluster, stackConfig } from "./helpers/config";

type Peers = NonNullable<NonNullable<StackConfigInput["network"]["connectivity"]>["externalPeers"]>;

const ID = "a1".repeat(64);
const id = (n: number) => n.toString(16).padStart(2, "0").repeat(64);
const validator = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(20)}`;
const peer = (n: number, extra: Partial<Peers[number]> = {}): Peers[number] => ({
  name: `party-${n}`,
  enode: `enode://${id(n)}@192.168.${n}.10:30303`,
  range: `192.168.${n}.0/24`,
  ...extra,
});

describe("enode URLs of external peers", () => {
  it("parse into id, host and port, with IPv4, [IPv6] or DNS hosts and an optional query", () => {
    assert.deepEqual(parseEnode(`enode://${ID.toUpperCase()}@203.0.113.5:30303?discport=0`), {
      ok: true,
      enode: { id: ID, host: "203.0.113.5", port: 30303 },
    });
    assert.deepEqual(parseEnode(`enode://${ID}@[fd00::1]:30304`), {
      ok: true,
      enode: { id: ID, host: "fd00::1", port: 30304 },
    });
    assert.deepEqual(parseEnode(`enode://${ID}@node1.bank.example:30303`), {
      ok: true,
      enode: { id: ID, host: "node1.bank.example", port: 30303 },
    });
  });

  it("are refused with a short id, a bad host or a bad port, saying which", () => {
    const reason = (text: string) => {
      const parsed = parseEnode(text);
      return parsed.ok ? "ok" : parsed.reason;
    };
    assert.match(reason(`enode://${ID.slice(2)}@203.0.113.5:30303`), /128 hex characters .* not 126/);
    assert.match(reason(`enode://${ID}@bad_host:30303`), /not an IPv4 address, \[IPv6\] address or DNS name/);
    assert.match(reason(`enode://${ID}@203.0.113.5:70000`), /port "70000" is not a TCP port/);
    assert.match(reason(`enode://${ID}@203.0.113.5`), /is not an enode URL/);
    assert.match(reason(`http://${ID}@203.0.113.5:30303`), /is not an enode URL/);
  });

  it("round-trip for every id and port", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{128}$/), fc.integer({ min: 1, max: 65535 }), (hex, port) => {
        assert.deepEqual(parseEnode(`enode://${hex}@10.0.0.1:${port}`), {
          ok: true,
          enode: { id: hex, host: "10.0.0.1", port },
        });
      }),
    );
  });

  it("are checked by the schema with the key path", () => {
    assert.throws(
      () =>
        stackConfig([localCluster("kind")], {
          connectivity: { externalPeers: [peer(1, { enode: "enode://x@h:1" })] },
        }),
      /externalPeers.*enode|128 hex/s,
    );
  });
});

describe("external peers in the plan", () => {
  const clusters = [
    awsCluster("aws", { cidr: "10.1.0.0/16", nodes: { validators: 2 } }),
    azureCluster("az", { cidr: "10.2.0.0/16", nodes: { validators: 2 } }),
  ];

  it("carry their enode parts, range and validator address; routes through a site are listed", () => {
    const { plan } = planNetwork(
      stackConfig(clusters, {
        connectivity: {
          externalPeers: [
            peer(1, {
              validatorAddress: validator(1).toUpperCase().replace("0X", "0x"),
              tesseraUrl: "https://192.168.1.11:9000",
            }),
          ],
          sites: [
            {
              name: "dc",
              publicIp: "203.0.113.9",
              asn: 65300,
              ranges: ["192.168.0.0/16"],
              terminatesIn: "azure",
              bgpPeerAddress: "192.168.0.1",
            },
          ],
        },
      }),
    );
    assert.deepEqual(plan?.externalPeers, [
      {
        name: "party-1",
        enodeId: id(1),
        host: "192.168.1.10",
        port: 30303,
        tesseraUrl: "https://192.168.1.11:9000",
        range: "192.168.1.0/24",
        validatorAddress: validator(1),
        client: "goquorum",
        routedFrom: ["az"],
      },
    ]);
    const issues = planNetwork(
      stackConfig(clusters, { connectivity: { externalPeers: [peer(1)], sites: [] } }),
    ).issues;
    assert.ok(
      !issues.some((i) => i.path.startsWith("network.connectivity")),
      "a peer routed outside the stack is fine",
    );
  });

  it("warn when a site routes the peer to some clusters only, or its host is outside its range", () => {
    const { issues } = planNetwork(
      stackConfig(clusters, {
        connectivity: {
          externalPeers: [peer(1, { enode: `enode://${id(1)}@192.168.9.10:30303` })],
          sites: [
            {
              name: "dc",
              publicIp: "203.0.113.9",
              asn: 65300,
              ranges: ["192.168.0.0/16"],
              terminatesIn: "aws",
            },
          ],
        },
      }),
    );
    const warnings = issues.filter((i) => i.severity === "warning").map((i) => `${i.path}: ${i.message}`);
    assert.ok(
      warnings.some((w) =>
        /externalPeers\[0\]\.range: 192\.168\.1\.0\/24 is routed to aws through a site, not to az/.test(w),
      ),
    );
    assert.ok(
      warnings.some((w) => /externalPeers\[0\]\.enode: host 192\.168\.9\.10 is outside range/.test(w)),
    );
  });

  it("are refused with a taken name, a repeated id or validator, a bad range or one that meets a cluster", () => {
    const errors = planNetwork(
      stackConfig(clusters, {
        connectivity: {
          externalPeers: [
            peer(1, { validatorAddress: validator(1) }),
            peer(2, {
              name: "party-1",
              enode: `enode://${id(1)}@192.168.2.10:30303`,
              validatorAddress: validator(1),
            }),
            peer(3, { name: "aws-validator-0" }),
            peer(4, { range: "10.1.4.0/24" }),
          ],
        },
      }),
    ).issues.filter((i) => i.severity === "error");
    const text = errors.map((e) => `${e.path}: ${e.message}`).join("\n");
    assert.match(text, /externalPeers\[1\]\.name: "party-1" is already used by externalPeers\[0\]/);
    assert.match(text, /externalPeers\[1\]\.enode: its node id is already the id of externalPeers\[0\]/);
    assert.match(
      text,
      /externalPeers\[1\]\.validatorAddress: .* already the validator of externalPeers\[0\]/,
    );
    assert.match(text, /externalPeers\[2\]\.name: "aws-validator-0" is the name of one of our nodes/);
    assert.match(text, /externalPeers\[3\]\.range: 10\.1\.4\.0\/24 overlaps clusters\[0\]\.cidr/);
  });
});

describe("external validators", () => {
  const three = [0, 1, 2].map((i) =>
    awsCluster(`c${i}`, {
      cidr: `10.${i + 1}.0.0/16`,
      region: ["eu-west-1", "us-east-1", "eu-central-1"][i],
      nodes: { validators: 2 },
    }),
  );

  it("count in the genesis by default, after ours, and may be pinned by name", () => {
    const peers = [peer(1, { validatorAddress: validator(1) }), peer(2)];
    const { plan } = planNetwork(stackConfig(three, { connectivity: { externalPeers: peers } }));
    assert.deepEqual(plan?.network.genesisValidators, [
      "c0-validator-0",
      "c0-validator-1",
      "c1-validator-0",
      "c1-validator-1",
      "c2-validator-0",
      "c2-validator-1",
      "party-1",
    ]);
    const pinned = planNetwork(
      stackConfig(three, {
        genesisValidators: ["c0-validator-0", "party-1"],
        connectivity: { externalPeers: peers },
      }),
    );
    assert.deepEqual(pinned.plan?.network.genesisValidators, ["c0-validator-0", "party-1"]);
    const notValidator = planNetwork(
      stackConfig(three, {
        genesisValidators: ["c0-validator-0", "party-2"],
        connectivity: { externalPeers: peers },
      }),
    );
    assert.ok(
      notValidator.issues.some(
        (i) =>
          i.path === "network.genesisValidators[1]" &&
          /external peer "party-2" has no validatorAddress/.test(i.message),
      ),
    );
  });

  it("are each a failure domain of their own in the verdicts", () => {
    const peers = [1, 2, 3].map((n) => peer(n, { validatorAddress: validator(n) }));
    const { plan } = planNetwork(stackConfig(three, { connectivity: { externalPeers: peers } }));
    const ft = plan?.faultTolerance;
    assert.equal(ft?.validators, 9);
    assert.equal(ft?.quorum, 6);
    assert.deepEqual(ft?.externalLoss, [
      { party: "party-1", validators: 1, survives: true, margin: 2 },
      { party: "party-2", validators: 1, survives: true, margin: 2 },
      { party: "party-3", validators: 1, survives: true, margin: 2 },
    ]);
    assert.equal(ft?.survivesLossOfAnyExternalParty, true);
    assert.equal(ft?.survivesLossOfAnyCluster, true);
    // Three clusters of 2 and three parties: a cluster's loss leaves 7, one above quorum 6.
    assert.equal(ft?.marginAfterClusterLoss, 1);
  });

  it("make a stack that must survive any cluster's loss also survive any external party's", () => {
    const single = [awsCluster("solo", { cidr: "10.1.0.0/16", nodes: { validators: 1 } })];
    const { issues, plan } = planNetwork(
      stackConfig(single, {
        faultTolerance: { requireSurviveClusterLoss: true },
        connectivity: { externalPeers: [peer(1, { validatorAddress: validator(1) })] },
      }),
    );
    const error = issues.find((i) => i.path === "network.faultTolerance.requireSurviveClusterLoss");
    assert.equal(plan, undefined);
    assert.match(error?.message ?? "", /quorum is 2 of 2/);
    assert.match(
      error?.message ?? "",
      /cluster "solo" \(1 of 2 validators\) or external party "party-1" \(1 of 2 validators\)/,
    );
  });

  it("change the suggested spread: fixed at one each, the clusters take the rest", () => {
    const two = [
      { name: "a", validators: 4 },
      { name: "b", validators: 0 },
    ];
    assert.deepEqual(suggestSpread(two, 6, 2)?.validatorsPerCluster, { a: 2, b: 2 });
    // Two clusters and one external validator: no total lets every domain hold at most a third.
    assert.equal(suggestSpread(two, 5, 1), undefined);
    const three = [{ name: "a", validators: 5 }, ...["b", "c"].map((name) => ({ name, validators: 0 }))];
    assert.deepEqual(suggestSpread(three, 6, 1)?.validatorsPerCluster, { a: 2, b: 2, c: 1 });
    assert.equal(suggestSpread([{ name: "a", validators: 3 }], 3, 0), undefined);
  });
});
