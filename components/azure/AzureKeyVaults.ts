import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { KMS_KEY, VAULT_PROTECTION, vaultNetwork } from "../../infra/azure/keyVault";
import { type KeyVaultPurpose, keyVaultName } from "../../infra/azure/names";
import { keyVaultSubnets } from "../../infra/azure/roles";
import type { AzureClusterConfig } from "../../infra/config/schema";
import type { ClusterPlan } from "../../infra/plan/types";
import type { AzureNetwork } from "./AzureNetwork";

export interface AzureKeyVaultsArgs {
  readonly config: AzureClusterConfig;
  readonly cluster: ClusterPlan;
  readonly network: AzureNetwork;
  readonly tenantId: pulumi.Input<string>;
  /** `network.protectKeys`: vaults and the KMS key survive `pulumi destroy` until unprotected. */
  readonly protect: boolean;
}

/** Length of the random suffix that keeps Key Vault names globally unique across re-creations. */
const VAULT_SUFFIX_LENGTH = 5;

/**
 * A cluster's two Key Vaults (see `infra/azure/keyVault.ts` for why two): `kms`, holding only the etcd
 * key-encryption key, and `keys`, holding the nodes' secrets behind a firewall.
 */
export class AzureKeyVaults extends pulumi.ComponentResource {
  readonly kmsVault: azure.keyvault.Vault;
  readonly kmsKey: azure.keyvault.Key;
  readonly keysVault: azure.keyvault.Vault;

  constructor(name: string, args: AzureKeyVaultsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:azure:KeyVaults", name, {}, opts);
    const { config, cluster, network, protect } = args;
    const resourceGroupName = network.resourceGroup.name;
    const suffix = new random.RandomString(
      `${name}-vault-suffix`,
      { length: VAULT_SUFFIX_LENGTH, upper: false, special: false },
      { parent: this },
    );
    const vault = (purpose: KeyVaultPurpose) => {
      const net = vaultNetwork(purpose, config, keyVaultSubnets(cluster));
      return new azure.keyvault.Vault(
        `${name}-${purpose}-vault`,
        {
          resourceGroupName,
          location: cluster.region,
          vaultName: suffix.result.apply((s) => keyVaultName(cluster.name, purpose, s)),
          properties: {
            tenantId: args.tenantId,
            sku: { family: "A", name: "standard" },
            ...VAULT_PROTECTION,
            publicNetworkAccess: net.publicNetworkAccess,
            networkAcls: {
              defaultAction: net.networkAcls.defaultAction,
              bypass: net.networkAcls.bypass,
              ipRules: [...net.networkAcls.ipRules],
              virtualNetworkRules: net.networkAcls.subnets.map((s) => ({ id: network.subnet(s).id })),
            },
          },
        },
        { parent: this, protect },
      );
    };
    this.kmsVault = vault("kms");
    this.keysVault = vault("keys");
    this.kmsKey = new azure.keyvault.Key(
      `${name}-kms-key`,
      {
        resourceGroupName,
        vaultName: this.kmsVault.name,
        keyName: "etcd-kms",
        properties: { kty: KMS_KEY.kty, keySize: KMS_KEY.keySize, keyOps: [...KMS_KEY.keyOps] },
      },
      { parent: this, protect },
    );
    this.registerOutputs({ keysVaultId: this.keysVault.id, kmsKeyId: this.kmsKey.keyUriWithVersion });
  }
}
