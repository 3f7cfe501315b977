import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { preferredSlot } from "../infra/plan/addressing";
import { addressAt, cidr, cidrContains, cidrsOverlap, formatCidr, nthSubnet } from "../infra/plan/cidr";
import {
  APIPA_TUNNEL_RANGES,
  AWS_RESERVED_INSIDE_CIDRS,
  allocateTunnels,
  TUNNEL_CAPACITY,
  type TunnelAddresses,
} from "../infra/plan/tunnels";

const poolBlock = (slot: number) =>
  nthSubnet(cidr(APIPA_TUNNEL_RANGES[Math.floor(slot / 64)]), 30, slot % 64);

const namesArb = (max: number) =>
  fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: max });

function allocated(names: readonly string[]): ReadonlyMap<string, TunnelAddresses> {
  const result = allocateTunnels(names);
  if ("exhausted" in result) throw new Error(`exhausted at ${result.exhausted}`);
  return result.tunnels;
}

describe("tunnel inside addresses", () => {
  it("lie in Azure's APIPA range, which meets none of the /30s AWS reserves", () => {
    assert.equal(TUNNEL_CAPACITY, 128);
    for (const reserved of AWS_RESERVED_INSIDE_CIDRS) {
      for (const range of APIPA_TUNNEL_RANGES)
        assert.ok(!cidrsOverlap(cidr(reserved), cidr(range)), reserved);
    }
  });

  it("give every tunnel its own /30 inside the APIPA range, AWS on the first host, the far end on the second", () => {
    fc.assert(
      fc.property(namesArb(TUNNEL_CAPACITY), (names) => {
        const tunnels = allocated(names);
        assert.equal(tunnels.size, names.length);
        const blocks = [...tunnels.values()].map((t) => cidr(t.insideCidr));
        for (const [i, block] of blocks.entries()) {
          assert.equal(block.prefix, 30);
          assert.ok(APIPA_TUNNEL_RANGES.some((r) => cidrContains(cidr(r), block)));
          assert.ok(!AWS_RESERVED_INSIDE_CIDRS.some((r) => cidrsOverlap(cidr(r), block)));
          for (const other of blocks.slice(0, i)) assert.ok(!cidrsOverlap(block, other));
        }
        for (const t of tunnels.values()) {
          assert.equal(t.awsInsideAddress, addressAt(cidr(t.insideCidr), 1));
          assert.equal(t.peerInsideAddress, addressAt(cidr(t.insideCidr), 2));
        }
      }),
    );
  });

  it("move no existing tunnel when tunnels are appended, and depend only on names and order", () => {
    fc.assert(
      fc.property(namesArb(60), namesArb(60), (before, extra) => {
        const added = extra.filter((n) => !before.includes(n));
        const first = allocated(before);
        const after = allocated([...before, ...added]);
        for (const name of before) assert.deepEqual(after.get(name), first.get(name), name);
        assert.deepEqual(allocated(before), first);
      }),
    );
  });

  it("starts each tunnel at the /30 its name hashes to", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), (name) => {
        const slot = preferredSlot(name, TUNNEL_CAPACITY);
        const expected = nthSubnet(cidr(APIPA_TUNNEL_RANGES[Math.floor(slot / 64)]), 30, slot % 64);
        assert.equal(allocated([name]).get(name)?.insideCidr, formatCidr(expected));
      }),
    );
  });

  it("keep pinned /30s wherever the tunnels stand, and report each tunnel that depends on an unpinned one", () => {
    fc.assert(
      fc.property(namesArb(40), fc.integer({ min: 0, max: TUNNEL_CAPACITY - 1 }), (names, slot) => {
        const pinnedName = names[names.length - 1];
        const pinned = new Map([[pinnedName, slot]]);
        const result = allocateTunnels(names, pinned);
        assert.ok("tunnels" in result);
        assert.equal(result.tunnels.get(pinnedName)?.insideCidr, formatCidr(poolBlock(slot)));
        const owner = new Map([...result.tunnels].map(([name, t]) => [t.insideCidr, name]));
        for (const name of names.filter((n) => n !== pinnedName)) {
          const preferred = formatCidr(poolBlock(preferredSlot(name, TUNNEL_CAPACITY)));
          const holder = owner.get(preferred);
          const moved = holder !== name;
          const reported: { name: string; by: string } | undefined = result.displaced.find(
            (d) => d.name === name,
          );
          assert.equal(Boolean(reported), moved && holder !== pinnedName, name);
          if (reported) assert.equal(reported.by, holder);
        }
      }),
    );
  });

  it("reports how many tunnels there were when they do not fit", () => {
    const names = Array.from({ length: TUNNEL_CAPACITY + 1 }, (_, i) => `t${i}`);
    assert.deepEqual(allocateTunnels(names), { exhausted: TUNNEL_CAPACITY + 1 });
    assert.ok("tunnels" in allocateTunnels(names.slice(0, TUNNEL_CAPACITY)));
  });
});
