import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { NodePlan } from "../../infra/plan/types";
import {
  type CertificatePlan,
  type KeySpec,
  tesseraCaPlan,
  tesseraCertificatePlan,
  tesseraExternalCertificatePlan,
  tesseraMonitoringClientPlan,
} from "../../infra/quorum/tesseraTls";

export interface TesseraTlsArgs {
  readonly networkName: string;
  /** Every member of the network, with the namespace of its cluster (its Service names depend on it). */
  readonly members: readonly { readonly node: NodePlan; readonly namespace: string }[];
  /**
   * Protect the CA so `pulumi destroy` or a changed subject cannot silently replace the trust root.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * Issue Prometheus' client certificate, for scraping the members' P2P `/metrics`.
   * @default false
   */
  readonly monitoringClient?: boolean;
  /** External parties whose certificate requests (PEM, checked by the plan) the network CA signs. */
  readonly externalParties?: readonly { readonly name: string; readonly certRequestPem: string }[];
}

/** What a member's kubernetes.io/tls Secret holds besides the CA certificate. */
export interface TesseraCertificate {
  /** `tls.key`: PKCS#8 PEM, the only PEM key format Tessera reads (secret). */
  readonly privateKeyPem: pulumi.Output<string>;
  /** `tls.crt`: the member's certificate, signed by the network CA. */
  readonly certificatePem: pulumi.Output<string>;
}

/**
 * Tessera P2P certificates: one network CA, per member a key and a CA-signed certificate for both ends of
 * mutual TLS, Prometheus' client certificate, and the external parties' certificates from their requests. Certificates are re-issued by the `pulumi up` that runs within their early-renewal
 * window; keys and the CA stay. Private keys are secret Outputs (encrypted in state).
 */
export class TesseraTls extends pulumi.ComponentResource {
  /** `ca.crt`: the network CA's certificate, trusted by every member. */
  readonly caCertificatePem: pulumi.Output<string>;
  /** By node name. */
  readonly certificates: ReadonlyMap<string, TesseraCertificate>;
  /** Prometheus' client certificate for the members' P2P `/metrics` (client authentication only), if asked. */
  readonly monitoringClient?: TesseraCertificate;
  /** External parties' certificates (PEM), by peer name: public, for the join document. */
  readonly externalCertificates: ReadonlyMap<string, pulumi.Output<string>>;

  constructor(name: string, args: TesseraTlsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goquorum:keys:TesseraTls", name, {}, opts);
    const protect = args.protect ?? true;
    const caPlan = tesseraCaPlan(args.networkName);
    const caKey = new tls.PrivateKey(`${name}-ca`, keyArgs(caPlan.key), { parent: this, protect });
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        subject: { commonName: caPlan.commonName },
        isCaCertificate: true,
        // Member certificates then name the CA's key id (authority key identifier), which eases chain building.
        setSubjectKeyId: true,
        allowedUses: [...caPlan.allowedUses],
        validityPeriodHours: caPlan.validityPeriodHours,
      },
      { parent: this, protect },
    );
    this.caCertificatePem = ca.certPem;

    const issue = (leafName: string, plan: CertificatePlan): TesseraCertificate => {
      // Not protected: protection would block the replacement that renews the certificate.
      const key = new tls.PrivateKey(leafName, keyArgs(plan.key), { parent: this });
      const request = new tls.CertRequest(
        leafName,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: plan.commonName },
          ...(plan.dnsNames.length > 0 ? { dnsNames: [...plan.dnsNames] } : {}),
          ...(plan.ipAddresses.length > 0 ? { ipAddresses: [...plan.ipAddresses] } : {}),
        },
        { parent: this },
      );
      const certificate = new tls.LocallySignedCert(
        leafName,
        {
          certRequestPem: request.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          allowedUses: [...plan.allowedUses],
          validityPeriodHours: plan.validityPeriodHours,
          earlyRenewalHours: plan.earlyRenewalHours,
        },
        { parent: this },
      );
      return { privateKeyPem: pulumi.secret(key.privateKeyPemPkcs8), certificatePem: certificate.certPem };
    };

    this.certificates = new Map(
      args.members.map(({ node, namespace }): [string, TesseraCertificate] => [
        node.name,
        issue(`${node.name}-tessera-tls`, tesseraCertificatePlan(node, namespace)),
      ]),
    );
    if (args.monitoringClient) {
      this.monitoringClient = issue(
        `${name}-monitoring-client`,
        tesseraMonitoringClientPlan(args.networkName),
      );
    }

    const external = tesseraExternalCertificatePlan();
    this.externalCertificates = new Map(
      (args.externalParties ?? []).map(({ name: party, certRequestPem }): [string, pulumi.Output<string>] => [
        party,
        new tls.LocallySignedCert(
          `${name}-external-${party}`,
          {
            certRequestPem,
            caPrivateKeyPem: caKey.privateKeyPem,
            caCertPem: ca.certPem,
            allowedUses: [...external.allowedUses],
            validityPeriodHours: external.validityPeriodHours,
            earlyRenewalHours: external.earlyRenewalHours,
          },
          { parent: this },
        ).certPem,
      ]),
    );

    this.registerOutputs({ caCertificatePem: this.caCertificatePem });
  }
}

function keyArgs(spec: KeySpec): tls.PrivateKeyArgs {
  return spec.algorithm === "RSA"
    ? { algorithm: spec.algorithm, rsaBits: spec.rsaBits }
    : { algorithm: spec.algorithm, ecdsaCurve: spec.ecdsaCurve };
}
