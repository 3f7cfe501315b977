import type * as pulumi from "@pulumi/pulumi";

/**
 * Orders validator StatefulSets network-wide: each one depends on the one before it, so Pulumi creates
 * and updates them one at a time and waits for each to be ready before touching the next. A pod template
 * change (image, flags, resources) then rolls through the validators instead of restarting them together,
 * and a change that breaks a node stops at that node.
 */
export class RolloutChain {
  private last?: pulumi.Resource;

  /** What the next link must wait for. */
  previous(): pulumi.Resource[] {
    return this.last ? [this.last] : [];
  }

  append(link: pulumi.Resource): void {
    this.last = link;
  }
}
