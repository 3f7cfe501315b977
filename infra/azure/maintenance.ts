/** The planned maintenance windows of an AKS cluster as `containerservice.MaintenanceConfiguration` inputs. */
import type { MaintenanceWindowPlan } from "../plan/maintenance";
import { AKS_MAINTENANCE_CONFIGS } from "./behaviour";

export interface AksMaintenanceConfiguration {
  readonly configName: string;
  readonly maintenanceWindow: {
    readonly schedule: { readonly weekly: { readonly dayOfWeek: string; readonly intervalWeeks: 1 } };
    readonly startTime: string;
    readonly durationHours: number;
    readonly utcOffset: "+00:00";
  };
}

/** One configuration per window the plan gives the cluster (none for a channel that is off). */
export function aksMaintenanceConfigurations(
  windows: readonly MaintenanceWindowPlan[],
): AksMaintenanceConfiguration[] {
  return windows.map((w) => ({
    configName: AKS_MAINTENANCE_CONFIGS[w.kind],
    maintenanceWindow: {
      schedule: { weekly: { dayOfWeek: w.day, intervalWeeks: 1 } },
      startTime: w.startTime,
      durationHours: w.durationHours,
      // The plan's times are UTC.
      utcOffset: "+00:00",
    },
  }));
}
