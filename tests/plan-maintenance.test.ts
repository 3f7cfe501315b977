/** AKS maintenance windows: spread over the week, never two at once across the network. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aksMaintenanceConfigurations } from "../infra/azure/maintenance";
import { WEEK_DAYS } from "../infra/config/schema";
import {
  type MaintenanceWindowPlan,
  planMaintenanceWindows,
  windowStartMinute,
  windowsOverlap,
} from "../infra/plan/maintenance";
import { awsCluster, azureCluster, stackConfig } from "./helpers/config";

const azure = (count: number, extra: Parameters<typeof azureCluster>[1] = {}) =>
  Array.from({ length: count }, (_, i) => azureCluster(`az${i}`, { cidr: `10.${64 + i}.0.0/16`, ...extra }));
const plan = (clusters: Parameters<typeof stackConfig>[0], maintenance: object = {}) =>
  planMaintenanceWindows(stackConfig(clusters, { maintenance }));
const brief = (w: MaintenanceWindowPlan) =>
  `${w.cluster} ${w.kind} ${w.day} ${w.startTime} ${w.durationHours}h`;

describe("AKS maintenance windows", () => {
  it("puts one Azure cluster's two kinds half a week apart, from the configured start", () => {
    const { windows, issues } = plan([awsCluster("aws"), ...azure(1)]);
    assert.deepEqual(issues, []);
    assert.deepEqual(windows.map(brief), ["az0 kubernetes Saturday 00:00 4h", "az0 nodeOs Tuesday 12:00 4h"]);
  });

  it("spreads three clusters' six windows 28 hours apart: every cluster's Kubernetes windows, then node OS", () => {
    const { windows } = plan(azure(3), { startDay: "Sunday", startTime: "22:30", windowHours: 6 });
    assert.deepEqual(windows.map(brief), [
      "az0 kubernetes Sunday 22:30 6h",
      "az1 kubernetes Tuesday 02:30 6h",
      "az2 kubernetes Wednesday 06:30 6h",
      "az0 nodeOs Thursday 10:30 6h",
      "az1 nodeOs Friday 14:30 6h",
      "az2 nodeOs Saturday 18:30 6h",
    ]);
  });

  it("keeps a slot for a channel that is off, so no other window moves", () => {
    const on = plan(azure(2)).windows;
    const off = plan([
      azureCluster("az0", { cidr: "10.64.0.0/16", autoUpgrade: { channel: "none", nodeOs: "None" } }),
      azureCluster("az1", { cidr: "10.65.0.0/16" }),
    ]).windows;
    assert.deepEqual(off.map(brief), on.filter((w) => w.cluster === "az1").map(brief));
  });

  it("refuses windows that cannot fit the week without overlapping, at the last count that fits", () => {
    // 21 clusters: 42 windows, 4 hours apart: 4-hour windows fit exactly, 5-hour ones do not.
    assert.deepEqual(plan(azure(21), { windowHours: 4 }).issues, []);
    const [tooLong] = plan(azure(21), { windowHours: 5 }).issues;
    assert.equal(tooLong?.path, "network.maintenance.windowHours");
    assert.match(tooLong?.message ?? "", /set it to at most 4/);
    assert.equal(plan(azure(22)).issues.length, 1, "22 clusters: 3 hours apart, below AKS's 4-hour minimum");
    assert.deepEqual(plan([awsCluster("aws")]), { windows: [], issues: [] });
  });

  it("never plans two windows that share a minute, for any count, length and start", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 21 }),
        fc.integer({ min: 4, max: 24 }),
        fc.constantFrom(...WEEK_DAYS),
        fc.integer({ min: 0, max: 23 * 60 + 59 }),
        (count, windowHours, startDay, minute) => {
          const startTime = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
          const { windows, issues } = plan(azure(count), { windowHours, startDay, startTime });
          if (issues.length > 0) return;
          assert.equal(windows.length, 2 * count);
          for (const [i, a] of windows.entries()) {
            for (const b of windows.slice(i + 1))
              assert.ok(!windowsOverlap(a, b), `${brief(a)} / ${brief(b)}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("tells overlap at the minute, across Sunday midnight too", () => {
    const w = (
      day: MaintenanceWindowPlan["day"],
      startTime: string,
      durationHours = 4,
    ): MaintenanceWindowPlan => ({
      cluster: "c",
      kind: "kubernetes",
      day,
      startTime,
      durationHours,
    });
    assert.equal(windowStartMinute(w("Monday", "00:01")), 1);
    assert.equal(windowsOverlap(w("Monday", "00:00"), w("Monday", "04:00")), false, "back to back");
    assert.equal(windowsOverlap(w("Monday", "00:00"), w("Monday", "03:59")), true);
    assert.equal(windowsOverlap(w("Sunday", "22:00"), w("Monday", "01:00")), true, "wraps past the week");
    assert.equal(windowsOverlap(w("Monday", "01:00"), w("Sunday", "22:00")), true, "in either order");
    assert.equal(windowsOverlap(w("Sunday", "20:00"), w("Monday", "00:00")), false);
  });

  it("become AKS maintenance configurations under the names AKS reads, weekly, in UTC", () => {
    const { windows } = plan(azure(1));
    assert.deepEqual(aksMaintenanceConfigurations(windows), [
      {
        configName: "aksManagedAutoUpgradeSchedule",
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: "Saturday", intervalWeeks: 1 } },
          startTime: "00:00",
          durationHours: 4,
          utcOffset: "+00:00",
        },
      },
      {
        configName: "aksManagedNodeOSUpgradeSchedule",
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: "Tuesday", intervalWeeks: 1 } },
          startTime: "12:00",
          durationHours: 4,
          utcOffset: "+00:00",
        },
      },
    ]);
  });
});
