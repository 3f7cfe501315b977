/**
 * What a rendered pod really exposes, read the way the kubelet, kube-proxy and Tessera read it: every TCP
 * server Tessera opens listens on every interface of the pod (../infra/quorum/behaviour.ts), so only ports the
 * node's Services publish may be TCP; the rest must be unreachable by construction.
 */
import assert from "node:assert/strict";
import { posix } from "node:path";
import { before, describe, it } from "node:test";
import type { IProbe } from "kubernetes-models/v1/Probe";
import { type RenderResult, renderStack } from "../infra/offline/render";
import { program } from "../infra/program";
import { GOQUORUM_PTM, type TesseraListener, tesseraListener } from "../infra/quorum/behaviour";
import { GOQUORUM_CONTAINER } from "../infra/quorum/manifests/goquorum";
import { FILES } from "../infra/quorum/manifests/paths";
import type { TesseraConfig } from "../infra/quorum/peers";
import {
  allContainers,
  containerNamed,
  type RenderedPod,
  regularContainers,
  renderedConfigMaps,
  renderedPods,
  renderedServices,
  resolvePort,
  selects,
  sidecars,
} from "./helpers/rendered";

const STACKS = ["local", "prod"] as const;

interface Member {
  readonly pod: RenderedPod;
  readonly config: TesseraConfig;
  /** Container ports some Service of the cluster sends traffic to. */
  readonly published: ReadonlySet<number>;
}

/** Each member pod with its Tessera config (from the ConfigMap its pod mounts) and its published ports. */
function members(result: RenderResult): Member[] {
  const configMaps = renderedConfigMaps(result);
  const services = renderedServices(result);
  return renderedPods(result).flatMap((pod) => {
    const names = new Set((pod.spec.volumes ?? []).flatMap((v) => (v.configMap ? [v.configMap.name] : [])));
    const configMap = configMaps.find(
      (c) =>
        c.cluster === pod.cluster &&
        c.namespace === pod.namespace &&
        names.has(c.name) &&
        c.data[FILES.tesseraConfig] !== undefined,
    );
    if (!configMap) return [];
    const published = new Set(
      services
        .filter((s) => selects(s, pod))
        .flatMap((s) => s.spec.ports ?? [])
        .flatMap((p) => allContainers(pod).map((c) => resolvePort(c, p.targetPort ?? p.port)))
        .filter((port): port is number => port !== undefined),
    );
    return [{ pod, config: JSON.parse(configMap.data[FILES.tesseraConfig] ?? "{}"), published }];
  });
}

const listeners = (member: Member) =>
  member.config.serverConfigs.map((server) => ({ app: server.app, listener: tesseraListener(server) }));

const flagValue = (args: readonly string[], name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
};

for (const stack of STACKS) {
  describe(`Tessera in the rendered ${stack} member pods`, () => {
    let rendered: Member[];
    before(async () => {
      rendered = members(await renderStack(stack, program));
      assert.ok(rendered.length > 0, `${stack} renders no member`);
    });

    it("listens on TCP only on ports a Service publishes, each declared by its container", () => {
      for (const member of rendered) {
        const tessera = containerNamed(member.pod, "tessera");
        const declared = new Set((tessera.ports ?? []).map((p) => p.containerPort));
        const tcp = listeners(member).filter(
          (l): l is { app: string; listener: Extract<TesseraListener, { kind: "tcp" }> } =>
            l.listener.kind === "tcp",
        );
        for (const { app, listener } of tcp) {
          assert.ok(
            member.published.has(listener.port),
            `${member.pod.name}: Tessera ${app} listens on every interface at ${listener.port}, which no Service publishes`,
          );
          assert.ok(
            declared.has(listener.port),
            `${member.pod.name}: ${app} port ${listener.port} undeclared`,
          );
        }
        assert.deepEqual(
          [...declared].sort(),
          tcp.map((l) => l.listener.port).sort(),
          `${member.pod.name}: Tessera declares a port it does not serve`,
        );
      }
    });

    it("serves Q2T on a socket in a volume only Tessera and geth mount, the one geth dials", () => {
      for (const member of rendered) {
        const q2t = listeners(member).find((l) => l.app === "Q2T")?.listener;
        assert.equal(q2t?.kind, "unix", `${member.pod.name}: Q2T is ${JSON.stringify(q2t)}`);
        if (q2t?.kind !== "unix") continue;
        const mountedAt = (dir: string) =>
          allContainers(member.pod).flatMap((c) =>
            (c.volumeMounts ?? []).filter((m) => m.mountPath === dir).map((m) => ({ c: c.name, m })),
          );
        const mounts = mountedAt(posix.dirname(q2t.path));
        const volume = member.pod.spec.volumes?.find((v) => v.name === mounts[0]?.m.name);
        assert.ok(volume?.emptyDir, `${member.pod.name}: the socket's directory is not a pod-local volume`);
        const users = mounts.map((m) => m.c).sort();
        assert.deepEqual(users, ["geth-init", GOQUORUM_CONTAINER, "tessera"].sort());
        assert.ok(
          allContainers(member.pod).every(
            (c) =>
              users.includes(c.name) || !(c.volumeMounts ?? []).some((m) => m.name === mounts[0]?.m.name),
          ),
        );
        const geth = containerNamed(member.pod, GOQUORUM_CONTAINER);
        assert.equal(flagValue(geth.args ?? [], GOQUORUM_PTM.socketFlag), q2t.path);
        assert.equal(flagValue(geth.args ?? [], "ptm.url"), undefined);
        assert.ok(!(geth.env ?? []).some((e) => e.name === GOQUORUM_PTM.privacyOff.name));
      }
    });

    it("probes Tessera on a plain-HTTP port it publishes (P2P may demand client certificates)", () => {
      for (const member of rendered) {
        const tessera = containerNamed(member.pod, "tessera");
        const probes: [string, IProbe | undefined][] = [
          ["startup", tessera.startupProbe],
          ["readiness", tessera.readinessProbe],
          ["liveness", tessera.livenessProbe],
        ];
        for (const [kind, probe] of probes) {
          const port = resolvePort(tessera, probe?.httpGet?.port);
          const served = listeners(member).find(
            (l) => l.listener.kind === "tcp" && l.listener.port === port,
          )?.listener;
          assert.ok(served?.kind === "tcp", `${member.pod.name} ${kind} probe: nothing on port ${port}`);
          assert.equal(served.tls, false, `${member.pod.name} ${kind} probe hits a TLS server`);
          assert.equal(probe?.httpGet?.scheme ?? "HTTP", "HTTP");
          assert.ok(member.published.has(served.port), `${member.pod.name} ${kind} probe port unpublished`);
        }
      }
    });
  });
}

for (const stack of STACKS) {
  describe(`Services of the rendered ${stack} stack`, () => {
    let result: RenderResult;
    before(async () => {
      result = await renderStack(stack, program);
    });

    it("target no port name that only a native sidecar declares (no endpoints before Kubernetes 1.32)", () => {
      const pods = renderedPods(result);
      let checked = 0;
      for (const service of renderedServices(result)) {
        for (const pod of pods.filter((p) => selects(service, p))) {
          const names = (containers: ReturnType<typeof sidecars>) =>
            new Set(containers.flatMap((c) => (c.ports ?? []).flatMap((p) => (p.name ? [p.name] : []))));
          const regular = names(regularContainers(pod));
          const sidecarOnly = [...names(sidecars(pod))].filter((name) => !regular.has(name));
          for (const port of service.spec.ports ?? []) {
            checked++;
            if (typeof port.targetPort !== "string") continue;
            assert.ok(
              !sidecarOnly.includes(port.targetPort),
              `${service.cluster}/${service.name} port ${port.name} targets ${port.targetPort}, declared only by a sidecar of ${pod.name}`,
            );
            assert.ok(
              regular.has(port.targetPort),
              `${service.name}: no container declares ${port.targetPort}`,
            );
          }
        }
      }
      assert.ok(checked > 10, `only ${checked} Service ports select a pod`);
    });

    it("reach a port some container of every selected pod declares", () => {
      for (const service of renderedServices(result)) {
        for (const pod of renderedPods(result).filter((p) => selects(service, p))) {
          for (const port of service.spec.ports ?? []) {
            const target = port.targetPort ?? port.port;
            const declared = allContainers(pod).some((c) => {
              const number = resolvePort(c, target);
              return (c.ports ?? []).some((p) => p.containerPort === number);
            });
            assert.ok(
              declared,
              `${service.cluster}/${service.name} port ${port.name} reaches nothing on ${pod.name}`,
            );
          }
        }
      }
    });
  });
}
