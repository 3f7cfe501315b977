/**
 * When AKS may upgrade each Azure cluster on its own: weekly windows, one per cluster and kind of upgrade
 * (Kubernetes versions, node OS images), spread evenly over the week so that no two of the network's clusters
 * are drained at the same time and each cluster's two kinds are as far apart as they can be. EKS managed node
 * groups change only when `pulumi up` changes them, so they need no window. A window only says when AKS may
 * start; an upgrade that overruns into the next one is held by the disruption gate, not by the schedule.
 */
import type { ConfigIssue } from "../config/issue";
import { type StackConfig, WEEK_DAYS } from "../config/schema";
import { error } from "./issues";

export type WeekDay = (typeof WEEK_DAYS)[number];

export interface MaintenanceWindowPlan {
  readonly cluster: string;
  /** Kubernetes version upgrades (`autoUpgrade.channel`) or node OS images (`autoUpgrade.nodeOs`). */
  readonly kind: "kubernetes" | "nodeOs";
  /** UTC. */
  readonly day: WeekDay;
  /** UTC, HH:MM. */
  readonly startTime: string;
  readonly durationHours: number;
}

const WEEK_MINUTES = 7 * 24 * 60;
const KINDS: readonly MaintenanceWindowPlan["kind"][] = ["kubernetes", "nodeOs"];

/** Minutes since Monday 00:00 UTC at which a window opens. */
export const windowStartMinute = (w: Pick<MaintenanceWindowPlan, "day" | "startTime">): number => {
  const [hours, minutes] = w.startTime.split(":").map(Number);
  return WEEK_DAYS.indexOf(w.day) * 24 * 60 + (hours ?? 0) * 60 + (minutes ?? 0);
};

/** Whether two weekly windows share a minute (windows may wrap past Sunday midnight). */
export function windowsOverlap(a: MaintenanceWindowPlan, b: MaintenanceWindowPlan): boolean {
  const start = (w: MaintenanceWindowPlan) => windowStartMinute(w);
  const gap = (((start(b) - start(a)) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  return gap < a.durationHours * 60 || WEEK_MINUTES - gap < b.durationHours * 60;
}

/** Whether AKS uses a window of this kind on a cluster (the channel is on). */
function upgradesOnItsOwn(cluster: StackConfig["clusters"][number], kind: MaintenanceWindowPlan["kind"]) {
  if (cluster.provider !== "azure") return false;
  return kind === "kubernetes"
    ? cluster.autoUpgrade.channel !== "none"
    : ["NodeImage", "SecurityPatch"].includes(cluster.autoUpgrade.nodeOs);
}

/**
 * One slot per Azure cluster and kind, every slot of the week the same distance apart: slot i opens at
 * start + i · ⌊168 h / slots⌋, Kubernetes windows first, then node OS windows, clusters in config order. A slot
 * stays reserved when its channel is off, so turning a channel on or off moves no other cluster's window.
 */
export function planMaintenanceWindows(config: StackConfig): {
  windows: MaintenanceWindowPlan[];
  issues: ConfigIssue[];
} {
  const azure = config.clusters.filter((c) => c.provider === "azure");
  if (azure.length === 0) return { windows: [], issues: [] };
  const { startDay, startTime, windowHours } = config.network.maintenance;
  const slots = azure.length * KINDS.length;
  const spacingHours = Math.floor((7 * 24) / slots);
  if (spacingHours < windowHours) {
    return {
      windows: [],
      issues: [
        error(
          "network.maintenance.windowHours",
          `${azure.length} Azure clusters need ${slots} maintenance windows a week (Kubernetes and node OS each); ${windowHours}-hour windows do not fit without overlapping: set it to at most ${spacingHours}.`,
        ),
      ],
    };
  }
  const first = windowStartMinute({ day: startDay, startTime });
  const windows = KINDS.flatMap((kind, k) =>
    azure.flatMap((cluster, c) => {
      if (!upgradesOnItsOwn(cluster, kind)) return [];
      const minute = (first + (k * azure.length + c) * spacingHours * 60) % WEEK_MINUTES;
      const day = WEEK_DAYS[Math.floor(minute / (24 * 60))] ?? startDay;
      const time = minute % (24 * 60);
      const hhmm = `${String(Math.floor(time / 60)).padStart(2, "0")}:${String(time % 60).padStart(2, "0")}`;
      return [{ cluster: cluster.name, kind, day, startTime: hhmm, durationHours: windowHours }];
    }),
  );
  return { windows, issues: [] };
}
