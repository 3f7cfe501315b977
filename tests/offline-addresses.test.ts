/**
 * The addresses the mock clouds assign: public ones from the documentation ranges, never the network or
 * broadcast address, never one address to two resources of a stack; private ones inside their subnet.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addressInSubnet,
  MOCK_PUBLIC_RANGES,
  publicAddress,
  recordSubnet,
} from "../infra/offline/state/addresses";

describe("mock public addresses", () => {
  it("gives every resource of a stack its own host of the range, until the range runs out", () => {
    const labels = Array.from({ length: 254 }, (_, k) => `pip:gateway-${k}`);
    const addresses = labels.map((label) => publicAddress("azurePublicIps", "full", label));
    assert.equal(new Set(addresses).size, 254);
    for (const address of addresses) assert.match(address, /^198\.51\.100\.(\d+)$/);
    const hosts = addresses.map((a) => Number(a.split(".")[3])).sort((a, b) => a - b);
    assert.deepEqual([hosts[0], hosts[253]], [1, 254]);
    assert.throws(
      () => publicAddress("azurePublicIps", "full", "pip:one-too-many"),
      new RegExp(`${MOCK_PUBLIC_RANGES.azurePublicIps.replace(/\./g, "\\.")} has no address left`),
    );
  });

  it("gives a resource the same address again, and another stack its own", () => {
    const first = publicAddress("awsVpnTunnels", "a", "vpn:x:1");
    assert.match(first, /^203\.0\.113\.\d+$/);
    assert.equal(publicAddress("awsVpnTunnels", "a", "vpn:x:1"), first);
    const others = Array.from({ length: 40 }, (_, k) => publicAddress("awsVpnTunnels", "a", `vpn:y${k}:1`));
    assert.ok(!others.includes(first));
    // Each stack is its own deployment: another one has the whole range, whatever stack a holds.
    const b = Array.from({ length: 254 }, (_, k) => publicAddress("awsVpnTunnels", "b", `vpn:z${k}:1`));
    assert.equal(new Set(b).size, 254);
  });
});

describe("mock addresses inside a subnet", () => {
  it("counts from the subnet's registered prefix and refuses a subnet never registered", () => {
    recordSubnet("/subscriptions/s/rg/vnet/subnets/GatewaySubnet", "10.66.129.0/24");
    assert.equal(addressInSubnet("/subscriptions/s/rg/vnet/subnets/GatewaySubnet", 4), "10.66.129.4");
    assert.equal(addressInSubnet("/subscriptions/s/rg/vnet/subnets/GatewaySubnet", 5), "10.66.129.5");
    assert.throws(() => addressInSubnet("/subscriptions/s/rg/vnet/subnets/other", 4), /no subnet .*other/);
  });
});
