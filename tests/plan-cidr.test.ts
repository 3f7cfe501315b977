import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  addressAt,
  allocateBlock,
  type Cidr,
  cidr,
  cidrContains,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  nthSubnet,
  parseCidr,
} from "../infra/plan/cidr";

/** Any aligned IPv4 range. */
const anyCidr = fc
  .tuple(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
  .map(([prefix, address]): Cidr => ({ prefix, base: address - (address % 2 ** (32 - prefix)) }));

describe("parseCidr", () => {
  it("accepts aligned ranges and round-trips them", () => {
    for (const text of ["10.0.0.0/8", "10.64.0.0/10", "192.168.1.0/24", "0.0.0.0/0", "168.63.129.16/32"]) {
      const parsed = parseCidr(text);
      assert.ok(parsed.ok, text);
      assert.equal(formatCidr(parsed.cidr), text);
    }
  });

  it("refuses host bits with the containing range as the fix", () => {
    const parsed = parseCidr("10.0.0.1/16");
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.reason : "", /"10\.0\.0\.1\/16" has host bits set.*10\.0\.0\.0\/16/);
  });

  it("refuses shorthand, out-of-range and non-IPv4 forms", () => {
    for (const text of [
      "10.0.0.0",
      "10/8",
      "10.0.0.0/33",
      "256.0.0.0/8",
      "010.0.0.0/8",
      "::/0",
      "10.0.0.0/-1",
      "",
    ]) {
      const parsed = parseCidr(text);
      assert.equal(parsed.ok, false, text);
      assert.match(!parsed.ok ? parsed.reason : "", /not an IPv4 CIDR/, text);
    }
  });

  it("round-trips every aligned range", () => {
    fc.assert(
      fc.property(anyCidr, (c) => {
        assert.deepEqual(cidr(formatCidr(c)), c);
      }),
    );
  });
});

describe("range arithmetic", () => {
  it("sizes, containment and overlap", () => {
    assert.equal(cidrSize(cidr("10.0.0.0/16")), 65536);
    assert.ok(cidrContains(cidr("10.0.0.0/8"), cidr("10.20.0.0/16")));
    assert.ok(!cidrContains(cidr("10.20.0.0/16"), cidr("10.0.0.0/8")));
    assert.ok(cidrsOverlap(cidr("10.20.0.0/16"), cidr("10.0.0.0/8")));
    assert.ok(!cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.1.0.0/16")));
  });

  it("nth subnet and address at offset", () => {
    assert.equal(formatCidr(nthSubnet(cidr("10.0.0.0/16"), 18, 3)), "10.0.192.0/18");
    assert.throws(() => nthSubnet(cidr("10.0.0.0/16"), 18, 4), RangeError);
    assert.throws(() => nthSubnet(cidr("10.0.0.0/16"), 15, 0), RangeError);
    assert.equal(addressAt(cidr("10.0.1.0/24"), 4), "10.0.1.4");
    assert.throws(() => addressAt(cidr("10.0.1.0/24"), 256), RangeError);
  });

  it("overlap is symmetric and containment implies overlap", () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        assert.equal(cidrsOverlap(a, b), cidrsOverlap(b, a));
        if (cidrContains(a, b)) assert.ok(cidrsOverlap(a, b));
      }),
    );
  });
});

describe("allocateBlock", () => {
  it("takes the first free aligned block from the start slot, wrapping around", () => {
    const supernet = cidr("10.0.0.0/14");
    const taken = [cidr("10.1.0.0/16"), cidr("10.2.0.0/15")];
    assert.equal(formatCidr(allocateBlock(supernet, 16, taken) as Cidr), "10.0.0.0/16");
    assert.equal(formatCidr(allocateBlock(supernet, 16, taken, 1) as Cidr), "10.0.0.0/16");
    assert.equal(allocateBlock(supernet, 16, [supernet]), undefined);
  });

  it("returns the first free block from the start slot whenever one exists", () => {
    const supernet = cidr("10.64.0.0/12");
    const inside = fc
      .tuple(fc.integer({ min: 12, max: 20 }), fc.nat())
      .map(([prefix, n]) => nthSubnet(supernet, prefix, n % 2 ** (prefix - 12)));
    const setup = fc.record({
      prefix: fc.integer({ min: 12, max: 18 }),
      taken: fc.array(fc.oneof(inside, anyCidr), { maxLength: 40 }),
      start: fc.nat(),
    });
    fc.assert(
      fc.property(setup, ({ prefix, taken, start }) => {
        const block = allocateBlock(supernet, prefix, taken, start);
        const free = Array.from({ length: 2 ** (prefix - 12) }, (_, n) =>
          nthSubnet(supernet, prefix, n),
        ).filter((b) => taken.every((t) => !cidrsOverlap(t, b)));
        if (!block) {
          assert.equal(free.length, 0);
          return;
        }
        assert.ok(cidrContains(supernet, block));
        assert.ok(taken.every((t) => !cidrsOverlap(t, block)));
        // The first free block probing from the start slot, wrapping around.
        const slots = 2 ** (prefix - 12);
        const order = (b: Cidr) => ((b.base - supernet.base) / cidrSize(b) - (start % slots) + slots) % slots;
        assert.deepEqual(block, free.sort((x, y) => order(x) - order(y))[0]);
      }),
    );
  });
});
