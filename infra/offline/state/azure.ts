/**
 * Stand-ins for azure-native (and the random suffix of Key Vault names): ARM ids built from each
 * resource's inputs exactly as Azure builds them, identities and URLs derived from names, a kubeconfig
 * for the exec (kubelogin) format. The subscription and tenant are throwaway ids derived from the stack.
 */
import { recordSubnet } from "./addresses";
import { throwawayBytes } from "./throwaway";
import type { ComputedState, MockContext, ProviderMocks } from "./types";

/** A UUID-shaped throwaway id for a label. */
export function throwawayUuid(label: string): string {
  const hex = throwawayBytes(`uuid:${label}`, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const mockSubscriptionId = (stack: string): string => throwawayUuid(`subscription:${stack}`);
export const mockTenantId = (stack: string): string => throwawayUuid(`tenant:${stack}`);

const text = (inputs: Record<string, unknown>, key: string): string => {
  const value = inputs[key];
  if (typeof value !== "string" || value === "") throw new Error(`mock: input ${key} is not set`);
  return value;
};

const group = (stack: string, inputs: Record<string, unknown>) =>
  `/subscriptions/${mockSubscriptionId(stack)}/resourceGroups/${text(inputs, "resourceGroupName")}`;

/** `id` plus the `name` Azure reports, for a resource under a resource group. */
function armResource(path: (inputs: Record<string, unknown>) => string, nameKey: string): ComputedState {
  return ({ stack, inputs }) => ({
    id: `${group(stack, inputs)}/providers/${path(inputs)}`,
    name: text(inputs, nameKey),
  });
}

/**
 * The version AKS reports running for a requested one: a major.minor request runs that minor's latest patch
 * (ManagedCluster currentKubernetesVersion, AgentPool currentOrchestratorVersion: "If orchestratorVersion is
 * <major.minor>, this field will contain the full <major.minor.patch> version being used"). Patch 0 stands in.
 */
const runningVersion = (requested: unknown) =>
  typeof requested === "string" && /^\d+\.\d+$/.test(requested) ? `${requested}.0` : requested;

const vaultUri = (vault: string) => `https://${vault}.vault.azure.net/`;

function kubeconfig({ stack, inputs }: { stack: string; inputs: Record<string, unknown> }): string {
  const cluster = text(inputs, "resourceName");
  const server = `https://${cluster}-${throwawayBytes(`fqdn:${stack}:${cluster}`, 4).toString("hex")}.hcp.westeurope.azmk8s.io:443`;
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters:\n- name: ${cluster}\n  cluster:\n    server: ${server}`,
    `contexts:\n- name: ${cluster}\n  context:\n    cluster: ${cluster}\n    user: clusterUser_${cluster}`,
    `current-context: ${cluster}`,
    `users:\n- name: clusterUser_${cluster}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]`,
    "",
  ].join("\n");
}

const identity: ComputedState = (context: MockContext) => {
  const { stack, name } = context;
  return {
    ...armResource(
      (i) => `Microsoft.ManagedIdentity/userAssignedIdentities/${text(i, "resourceName")}`,
      "resourceName",
    )(context),
    principalId: throwawayUuid(`principal:${stack}:${name}`),
    clientId: throwawayUuid(`client:${stack}:${name}`),
    tenantId: mockTenantId(stack),
  };
};

export const azureMocks: ProviderMocks = {
  resources: {
    "azure-native:resources:ResourceGroup": ({ stack, inputs }) => ({
      id: group(stack, inputs),
      name: text(inputs, "resourceGroupName"),
    }),
    "azure-native:network:VirtualNetwork": armResource(
      (i) => `Microsoft.Network/virtualNetworks/${text(i, "virtualNetworkName")}`,
      "virtualNetworkName",
    ),
    "azure-native:network:Subnet": (context) => {
      const state = armResource(
        (i) =>
          `Microsoft.Network/virtualNetworks/${text(i, "virtualNetworkName")}/subnets/${text(i, "subnetName")}`,
        "subnetName",
      )(context);
      recordSubnet(String(state.id), context.inputs.addressPrefix);
      return state;
    },
    "azure-native:network:NetworkSecurityGroup": armResource(
      (i) => `Microsoft.Network/networkSecurityGroups/${text(i, "networkSecurityGroupName")}`,
      "networkSecurityGroupName",
    ),
    "azure-native:network:VirtualNetworkPeering": (context) => ({
      ...armResource(
        (i) =>
          `Microsoft.Network/virtualNetworks/${text(i, "virtualNetworkName")}/virtualNetworkPeerings/${text(i, "virtualNetworkPeeringName")}`,
        "virtualNetworkPeeringName",
      )(context),
      peeringState: "Connected",
    }),
    "azure-native:managedidentity:UserAssignedIdentity": identity,
    "azure-native:keyvault:Vault": (context) => {
      const vault = text(context.inputs, "vaultName");
      const properties = context.inputs.properties as Record<string, unknown>;
      return {
        ...armResource(() => `Microsoft.KeyVault/vaults/${vault}`, "vaultName")(context),
        properties: { ...properties, vaultUri: vaultUri(vault) },
      };
    },
    "azure-native:keyvault:Key": (context) => {
      const { stack, name, inputs } = context;
      const vault = text(inputs, "vaultName");
      const key = text(inputs, "keyName");
      const keyUri = `${vaultUri(vault)}keys/${key}`;
      return {
        ...armResource(() => `Microsoft.KeyVault/vaults/${vault}/keys/${key}`, "keyName")(context),
        keyUri,
        keyUriWithVersion: `${keyUri}/${throwawayBytes(`key-version:${stack}:${name}`, 16).toString("hex")}`,
      };
    },
    "azure-native:authorization:RoleAssignment": ({ stack, name, inputs }) => {
      const assignment = throwawayUuid(`role-assignment:${stack}:${name}`);
      return {
        id: `${text(inputs, "scope")}/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
        name: assignment,
      };
    },
    "azure-native:containerservice:ManagedCluster": (context) => {
      const { stack, name, inputs } = context;
      const cluster = text(inputs, "resourceName");
      const location = text(inputs, "location");
      return {
        ...armResource(
          () => `Microsoft.ContainerService/managedClusters/${cluster}`,
          "resourceName",
        )(context),
        fqdn: `${cluster}-${throwawayBytes(`fqdn:${stack}:${cluster}`, 4).toString("hex")}.hcp.${location}.azmk8s.io`,
        oidcIssuerProfile: {
          enabled: true,
          issuerURL: `https://${location}.oic.prod-aks.azure.com/${mockTenantId(stack)}/${throwawayUuid(`issuer:${stack}:${name}`)}/`,
        },
        nodeResourceGroup: `MC_${text(inputs, "resourceGroupName")}_${cluster}_${location}`,
        currentKubernetesVersion: runningVersion(inputs.kubernetesVersion),
        agentPoolProfiles: ((inputs.agentPoolProfiles ?? []) as Record<string, unknown>[]).map((p) => ({
          ...p,
          currentOrchestratorVersion: runningVersion(p.orchestratorVersion),
        })),
      };
    },
    "azure-native:containerservice:AgentPool": (context) => ({
      ...armResource(
        (i) =>
          `Microsoft.ContainerService/managedClusters/${text(i, "resourceName")}/agentPools/${text(i, "agentPoolName")}`,
        "agentPoolName",
      )(context),
      currentOrchestratorVersion: runningVersion(context.inputs.orchestratorVersion),
    }),
    "random:index/randomString:RandomString": ({ stack, name, inputs }) => {
      const length = Number(inputs.length ?? 16);
      const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
      const bytes = throwawayBytes(`random-string:${stack}:${name}`, length);
      return { result: [...bytes].map((b) => alphabet[b % alphabet.length]).join("") };
    },
  },
  invokes: {
    "azure-native:authorization:getClientConfig": (_inputs, stack) => ({
      subscriptionId: mockSubscriptionId(stack),
      tenantId: mockTenantId(stack),
      objectId: throwawayUuid(`deployer-object:${stack}`),
      clientId: throwawayUuid(`deployer-client:${stack}`),
    }),
    "azure-native:containerservice:listManagedClusterUserCredentials": (inputs, stack) => ({
      kubeconfigs: [
        { name: "clusterUser", value: Buffer.from(kubeconfig({ stack, inputs })).toString("base64") },
      ],
    }),
  },
};
