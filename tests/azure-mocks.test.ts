/** The mock runtime's Azure stand-ins derive what Azure would return from the inputs, never constants. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { azureMocks, mockSubscriptionId } from "../infra/offline/state/azure";

const resource = (type: string, name: string, inputs: Record<string, unknown>, stack = "s") => {
  const computed = azureMocks.resources[type];
  assert.ok(computed, type);
  return computed({ stack, name, inputs });
};
const invoke = (token: string, inputs: Record<string, unknown>, stack = "s") => {
  const result = azureMocks.invokes?.[token];
  assert.ok(result, token);
  return result(inputs, stack, {});
};

describe("Azure mocks", () => {
  it("build ARM ids from the inputs, under the stack's subscription", () => {
    const subnet = resource("azure-native:network:Subnet", "x", {
      resourceGroupName: "a-rg",
      virtualNetworkName: "a-vnet",
      subnetName: "nodes",
    });
    assert.equal(
      subnet.id,
      `/subscriptions/${mockSubscriptionId("s")}/resourceGroups/a-rg/providers/Microsoft.Network/virtualNetworks/a-vnet/subnets/nodes`,
    );
    assert.notEqual(mockSubscriptionId("s"), mockSubscriptionId("t"));
  });

  it("give keys a versioned URI in their vault and clusters an issuer URL in their region", () => {
    const key = resource("azure-native:keyvault:Key", "k", {
      resourceGroupName: "a-rg",
      vaultName: "v1",
      keyName: "etcd",
    });
    assert.match(
      String(key.keyUriWithVersion),
      /^https:\/\/v1\.vault\.azure\.net\/keys\/etcd\/[0-9a-f]{32}$/,
    );
    const aks = resource("azure-native:containerservice:ManagedCluster", "c", {
      resourceGroupName: "a-rg",
      resourceName: "a",
      location: "northeurope",
    }) as { oidcIssuerProfile: { issuerURL: string } };
    assert.match(aks.oidcIssuerProfile.issuerURL, /^https:\/\/northeurope\.oic\.prod-aks\.azure\.com\//);
  });

  it("return a base64 exec kubeconfig for the cluster asked for", () => {
    const { kubeconfigs } = invoke("azure-native:containerservice:listManagedClusterUserCredentials", {
      resourceGroupName: "a-rg",
      resourceName: "weu",
      format: "exec",
    }) as { kubeconfigs: { value: string }[] };
    const config = parse(Buffer.from(kubeconfigs[0]?.value ?? "", "base64").toString()) as {
      clusters: { name: string }[];
      users: { user: { exec: { command: string } } }[];
    };
    assert.equal(config.clusters[0]?.name, "weu");
    assert.equal(config.users[0]?.user.exec.command, "kubelogin");
  });

  it("refuse to invent a name the inputs do not give", () => {
    assert.throws(
      () => resource("azure-native:network:VirtualNetwork", "v", { resourceGroupName: "a-rg" }),
      /virtualNetworkName/,
    );
  });
});
