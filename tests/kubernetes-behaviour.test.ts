import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointPort, SIDECAR_NAMED_PORTS_FROM_MINOR } from "../infra/kubernetes/behaviour";

describe("Kubernetes endpoint ports", () => {
  const pod = {
    containers: [{ ports: [{ name: "p2p", containerPort: 30303 }] }],
    initContainers: [
      { restartPolicy: "Always", ports: [{ name: "tessera-p2p", containerPort: 9000 }] },
      { ports: [{ name: "init-only", containerPort: 1234 }] },
    ],
  };

  it("resolve a name only a native sidecar declares from 1.32 on, never before (kubernetes#127976)", () => {
    assert.equal(SIDECAR_NAMED_PORTS_FROM_MINOR, 32);
    assert.equal(endpointPort({ targetPort: "tessera-p2p" }, pod, 31), undefined);
    assert.equal(endpointPort({ targetPort: "tessera-p2p" }, pod, 32), 9000);
  });

  it("resolve names of regular containers on every version, of plain init containers on none", () => {
    for (const minor of [30, 31, 32, 33]) {
      assert.equal(endpointPort({ targetPort: "p2p" }, pod, minor), 30303);
      assert.equal(endpointPort({ targetPort: "init-only" }, pod, minor), undefined);
    }
  });

  it("take a number as it is, and match a name only with the same protocol", () => {
    assert.equal(endpointPort({ targetPort: 9000 }, pod, 30), 9000);
    assert.equal(endpointPort({ targetPort: "p2p", protocol: "UDP" }, pod, 33), undefined);
  });
});
