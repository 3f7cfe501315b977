/**
 * The pinned pieces of the end-to-end test, every one built from the Go module proxy (data only). A piece
 * the proxy does not serve at the version the npm SDKs ask for is listed in NOT_SERVED with the proxy's answer,
 * and what the test does instead; nothing stands in for it under its name.
 */

export interface Command {
  /** Package path of the `main` package. */
  readonly pkg: string;
  readonly binary: string;
}

export interface Piece {
  /** Cache directory `<name>-<version>` and summary key. */
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly commands: readonly Command[];
  /** Published version of each module the upstream go.mod replaces with a local directory. */
  readonly publishedVersion: (path: string) => string | undefined;
  /** `-X importpath.name=value` link flags: the version the binary reports, as its own release build sets it. */
  readonly versionFlags: readonly string[];
  /**
   * `wrapper`: a module of ours requires the upstream one (no source copied). `copy`: the upstream module is
   * copied and built in place, because its build generates files first (`generate`, run in `dir`).
   */
  readonly mode: "wrapper" | "copy";
  readonly generate?: {
    readonly dir: string;
    readonly args: readonly string[];
    readonly env: Record<string, string>;
  };
}

const KUBERNETES = "1.37.2";
/** Kubernetes publishes its staging repositories (k8s.io/api, client-go ...) as v0.N.M for release 1.N.M. */
const STAGING = `v0.${KUBERNETES.split(".").slice(1).join(".")}`;
const ETCD = "v3.7.3";
const PULUMI = "v3.276.0";
/**
 * The only version of the Kubernetes provider the proxy serves: a commit of January 2026 (after 4.24.0). The
 * npm SDK asks for 4.34.2, which the proxy does not serve; see NOT_SERVED.
 */
const KUBERNETES_PROVIDER = "v4.0.0-20260115033456-f47bc2d6f199";
/**
 * Its Go SDK (`replace ../sdk` upstream): the newest published release that keeps the provider's own
 * `github.com/pulumi/pulumi/{pkg,sdk}/v3 v3.215.0` together. v4.29.0 requires sdk v3.226.0, and pkg v3.215.0
 * does not compile against it (`plugin.NewContextWithRoot`: not enough arguments).
 */
const KUBERNETES_PROVIDER_SDK = "v4.22.2";

export const PIECES: readonly Piece[] = [
  {
    name: "etcd",
    module: "go.etcd.io/etcd/server/v3",
    version: ETCD,
    commands: [{ pkg: "go.etcd.io/etcd/server/v3", binary: "etcd" }],
    // etcd's modules are released together under one tag.
    publishedVersion: (path) => (path.startsWith("go.etcd.io/etcd/") ? ETCD : undefined),
    versionFlags: [],
    mode: "wrapper",
  },
  {
    name: "kubernetes",
    module: "k8s.io/kubernetes",
    version: `v${KUBERNETES}`,
    commands: ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((binary) => ({
      pkg: `k8s.io/kubernetes/cmd/${binary}`,
      binary,
    })),
    publishedVersion: (path) => (path.startsWith("k8s.io/") ? STAGING : undefined),
    // hack/lib/version.sh sets these; without them the server reports v0.0.0 and clients misjudge its features.
    versionFlags: [
      `k8s.io/component-base/version.gitVersion=v${KUBERNETES}`,
      `k8s.io/component-base/version.gitMajor=${KUBERNETES.split(".")[0]}`,
      `k8s.io/component-base/version.gitMinor=${KUBERNETES.split(".")[1]}`,
      "k8s.io/component-base/version.gitTreeState=clean",
    ],
    mode: "wrapper",
  },
  {
    name: "kwok",
    module: "sigs.k8s.io/kwok",
    version: "v0.8.0",
    commands: [{ pkg: "sigs.k8s.io/kwok/cmd/kwok", binary: "kwok" }],
    publishedVersion: () => undefined,
    // Its version is a constant in pkg/consts.
    versionFlags: [],
    mode: "wrapper",
  },
  {
    name: "pulumi",
    module: "github.com/pulumi/pulumi/pkg/v3",
    version: PULUMI,
    commands: [{ pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", binary: "pulumi" }],
    publishedVersion: (path) => (path === "github.com/pulumi/pulumi/sdk/v3" ? PULUMI : undefined),
    versionFlags: [`github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI}`],
    mode: "wrapper",
  },
  {
    name: "pulumi-resource-kubernetes",
    module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
    version: KUBERNETES_PROVIDER,
    commands: [
      {
        pkg: "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes",
        binary: "pulumi-resource-kubernetes",
      },
    ],
    publishedVersion: (path) =>
      path === "github.com/pulumi/pulumi-kubernetes/sdk/v4" ? KUBERNETES_PROVIDER_SDK : undefined,
    versionFlags: [
      `github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${semver(KUBERNETES_PROVIDER)}`,
    ],
    mode: "copy",
    // The provider embeds its schema with the version written in (cmd/pulumi-resource-kubernetes/generate.go).
    generate: {
      dir: "cmd/pulumi-resource-kubernetes",
      args: ["run", "generate.go"],
      env: { VERSION: semver(KUBERNETES_PROVIDER) },
    },
  },
];

/** A Go module version as Pulumi writes plugin versions: without the `v`. */
export function semver(goVersion: string): string {
  return goVersion.replace(/^v/, "");
}

export function piece(name: string): Piece {
  const found = PIECES.find((p) => p.name === name);
  if (!found) throw new Error(`no piece ${name}`);
  return found;
}

/** What the test needed and the proxy refused, with its answer, and what the test does without it. */
export interface NotServed {
  readonly module: string;
  readonly version: string;
  readonly error: string;
  readonly instead: string;
}

const REFUSED = "403 Forbidden: This module version is not available.";

export const NOT_SERVED: readonly NotServed[] = [
  {
    module: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    version: PULUMI,
    error: REFUSED,
    instead:
      "the program runs in the test's own Node.js process under @pulumi/pulumi's Automation API language " +
      "server (an inline program), which the CLI reaches with `--client`",
  },
  {
    module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
    version: "4.34.2 (any commit but f47bc2d6f199)",
    error: REFUSED,
    instead: `the provider built from ${KUBERNETES_PROVIDER}, loaded as a project plugin under its own version`,
  },
  {
    module: "github.com/pulumi/pulumi-random/provider/v4",
    version: "4.21.2",
    error: REFUSED,
    instead: "the e2e stack adopts every node's keys (network.adoptKeysFor), so no RandomBytes is registered",
  },
  {
    module: "github.com/pulumi/pulumi-tls/provider/v5",
    version: "5.6.1",
    error: REFUSED,
    instead: "the e2e stack keeps workloads.tessera.tls off, so no tls resource is registered",
  },
];
