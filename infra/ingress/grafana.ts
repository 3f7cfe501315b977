/**
 * Grafana behind the gateway: where it listens (the monitoring release's Service) and its OIDC login, as
 * the `grafana:` values fragment of kube-prometheus-stack.
 */
import type { GrafanaOidcConfig } from "../config/ingress";
import { GRAFANA_SERVICE, GRAFANA_SERVICE_PORT } from "../monitoring/names";
import type { GrafanaBackend } from "./input";
import { GRAFANA_CLIENT_SECRET_ENV, GRAFANA_OIDC_SECRET } from "./names";

/** kube-prometheus-stack's Grafana Service in `namespace` (see `GRAFANA_SERVICE`). */
export const kubePrometheusGrafana = (namespace: string): GrafanaBackend => ({
  namespace,
  service: GRAFANA_SERVICE,
  port: GRAFANA_SERVICE_PORT,
});

/**
 * The `grafana:` values of kube-prometheus-stack for an OIDC login at `https://<hostname>/`. The client
 * secret comes from the Secret `GRAFANA_OIDC_SECRET` as an environment variable, never from values; the
 * login form stays enabled so the admin password works as break-glass when the issuer is down. With
 * `allow_sign_up`, any identity the issuer signs in gets an account: `allowed_groups` (which needs
 * `groups_attribute_path`) and `allowed_domains` each admit only users in at least one of theirs (Grafana
 * docs, "Configure Generic OAuth authentication", configuration options); the planner refuses a grafana route
 * with neither.
 */
export function grafanaOidcValues(
  hostname: string,
  oidc: GrafanaOidcConfig,
): { grafana: Record<string, unknown> } {
  return {
    grafana: {
      envFromSecret: GRAFANA_OIDC_SECRET,
      "grafana.ini": {
        server: { domain: hostname, root_url: `https://${hostname}/` },
        auth: { disable_login_form: false, oauth_auto_login: false },
        "auth.generic_oauth": {
          enabled: true,
          name: oidc.name,
          client_id: oidc.clientId,
          scopes: oidc.scopes.join(" "),
          auth_url: oidc.authUrl,
          token_url: oidc.tokenUrl,
          api_url: oidc.apiUrl,
          use_pkce: true,
          allow_sign_up: true,
          role_attribute_path: oidc.roleAttributePath,
          role_attribute_strict: false,
          allow_assign_grafana_admin: false,
          ...(oidc.allowedGroups.length > 0
            ? {
                allowed_groups: oidc.allowedGroups.join(" "),
                groups_attribute_path: oidc.groupsAttributePath,
              }
            : {}),
          ...(oidc.allowedDomains.length > 0 ? { allowed_domains: oidc.allowedDomains.join(" ") } : {}),
        },
      },
    },
  };
}

/** The Secret Grafana reads its OIDC client secret from (`envFromSecret`); `T` is a Pulumi secret in the component. */
export function grafanaOidcSecret<T>(namespace: string, clientSecret: T) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: GRAFANA_OIDC_SECRET, namespace },
    type: "Opaque",
    stringData: { [GRAFANA_CLIENT_SECRET_ENV]: clientSecret },
  } as const;
}
