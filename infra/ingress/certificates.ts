/**
 * TLS of the routes: a cert-manager ClusterIssuer (ACME DNS-01 or the stack's CA) and one Certificate per
 * route hostname, or the certificates the user supplies, as kubernetes.io/tls Secrets the listeners read.
 */
import type { AcmeConfig } from "../config/ingress";
import type { PublishedRoute } from "../plan/ingressTypes";
import { labels } from "./gateway";
import type { IngressInput } from "./input";
import {
  CERT_MANAGER,
  CERT_MANAGER_GROUP,
  caSecretName,
  certificateSecretName,
  clusterIssuerName,
} from "./names";
import type { CustomObject } from "./objects";

/** What the cluster target gives cert-manager to answer DNS-01 challenges in Azure DNS. */
export interface AzureDnsSolverIdentity<T> {
  /** Client id of the user-assigned managed identity federated with cert-manager's ServiceAccount. */
  readonly clientId: T;
}

function acmeSolver<T>(acme: AcmeConfig, azure?: AzureDnsSolverIdentity<T>): Record<string, unknown> {
  if (acme.route53) {
    // Ambient credentials: the IRSA role on cert-manager's ServiceAccount.
    return { dns01: { route53: { region: acme.route53.region, hostedZoneID: acme.route53.hostedZoneId } } };
  }
  if (acme.azureDns && azure) {
    return {
      dns01: {
        azureDNS: {
          subscriptionID: acme.azureDns.subscriptionId,
          resourceGroupName: acme.azureDns.resourceGroup,
          hostedZoneName: acme.azureDns.zoneName,
          environment: "AzurePublicCloud",
          managedIdentity: { clientID: azure.clientId },
        },
      },
    };
  }
  throw new Error("ACME needs route53, or azureDns with the cluster's DNS identity");
}

/**
 * The ClusterIssuer of `tls.source` acme or ca; undefined for supplied certificates. `azure` is the DNS
 * identity of an Azure cluster's target (ACME through Azure DNS only).
 */
export function clusterIssuer<T = string>(
  input: IngressInput,
  azure?: AzureDnsSolverIdentity<T>,
): CustomObject | undefined {
  const { tls } = input.ingress;
  const name = clusterIssuerName(input.networkName);
  const metadata = { name, labels: labels(input) };
  if (tls.source === "ca") {
    return {
      apiVersion: `${CERT_MANAGER_GROUP}/v1`,
      kind: "ClusterIssuer",
      metadata,
      spec: { ca: { secretName: caSecretName(input.networkName) } },
    };
  }
  if (tls.source === "acme" && tls.acme) {
    return {
      apiVersion: `${CERT_MANAGER_GROUP}/v1`,
      kind: "ClusterIssuer",
      metadata,
      spec: {
        acme: {
          email: tls.acme.email,
          server: tls.acme.server,
          privateKeySecretRef: { name: `${name}-acme-account` },
          solvers: [acmeSolver(tls.acme, azure)],
        },
      },
    };
  }
  return undefined;
}

/** One certificate per route hostname, renewed a month before it expires; the private key rotates with it. */
export function certificate(input: IngressInput, route: PublishedRoute): CustomObject {
  return {
    apiVersion: `${CERT_MANAGER_GROUP}/v1`,
    kind: "Certificate",
    metadata: {
      name: certificateSecretName(route),
      namespace: input.ingress.namespace,
      labels: labels(input),
    },
    spec: {
      secretName: certificateSecretName(route),
      dnsNames: [route.hostname],
      issuerRef: {
        group: CERT_MANAGER_GROUP,
        kind: "ClusterIssuer",
        name: clusterIssuerName(input.networkName),
      },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      duration: "2160h",
      renewBefore: "720h",
    },
  };
}

/** A kubernetes.io/tls Secret; `T` is a Pulumi secret Output in the component, a string in tests. */
function tlsSecret<T>(
  name: string,
  namespace: string,
  input: IngressInput,
  pem: { certificate: T; privateKey: T },
) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, labels: labels(input) },
    type: "kubernetes.io/tls",
    stringData: { "tls.crt": pem.certificate, "tls.key": pem.privateKey },
  } as const;
}

/** A certificate the user supplies for a route (`tls.source: secret`), where its listener reads it. */
export const suppliedCertificateSecret = <T>(
  input: IngressInput,
  route: PublishedRoute,
  pem: { certificate: T; privateKey: T },
) => tlsSecret(certificateSecretName(route), input.ingress.namespace, input, pem);

/** The stack's CA (`tls.source: ca`), in cert-manager's namespace, where its ClusterIssuer reads it. */
export const caSecret = <T>(input: IngressInput, pem: { certificate: T; privateKey: T }) =>
  tlsSecret(caSecretName(input.networkName), CERT_MANAGER.namespace, input, pem);
