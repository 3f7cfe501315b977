import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AZURE_VM_SIZES } from "../infra/data/azure-vm-sizes";
import {
  awsInstanceType,
  awsInstanceTypeNames,
  azureVmSizeNames,
  isAzureVmSize,
} from "../infra/plan/instances";
import { closeMatches, didYouMean } from "../infra/plan/suggest";

describe("shipped EC2 instance facts", () => {
  it("has every EKS type with ENIs and IPs per ENI", () => {
    assert.equal([...awsInstanceTypeNames()].length, 1384);
    assert.deepEqual(awsInstanceType("m5.large"), {
      instanceType: "m5.large",
      enis: 3,
      ipsPerEni: 10,
      vcpus: 2,
      nitro: true,
    });
    assert.equal(awsInstanceType("m5.lrage"), undefined);
  });

  it("derives vCPUs on the right side of the 30-vCPU prefix-delegation boundary", () => {
    const vcpus = (t: string) => awsInstanceType(t)?.vcpus;
    assert.equal(vcpus("t2.micro"), 1);
    assert.equal(vcpus("t3.micro"), 2);
    assert.equal(vcpus("m6g.medium"), 1);
    assert.equal(vcpus("t4g.medium"), 2);
    assert.equal(vcpus("m5.4xlarge"), 16);
    assert.equal(vcpus("m6i.8xlarge"), 32);
    assert.equal(vcpus("a1.metal"), 16);
    assert.equal(vcpus("hpc7a.12xlarge"), 24);
    assert.equal(vcpus("c7i.metal-24xl"), 96);
  });

  it("marks Xen families as not Nitro and leaves unknown types unmarked", () => {
    assert.equal(awsInstanceType("t2.large")?.nitro, false);
    assert.equal(awsInstanceType("m4.xlarge")?.nitro, false);
    assert.equal(awsInstanceType("t3.large")?.nitro, true);
    assert.equal(awsInstanceType("bmn-sf1.metal")?.nitro, undefined);
  });
});

describe("shipped Azure VM sizes", () => {
  it("knows the common series and their vCPUs", () => {
    assert.ok(isAzureVmSize("Standard_D4s_v5"));
    assert.ok(isAzureVmSize("Standard_E8ads_v6"));
    assert.ok(isAzureVmSize("Standard_B2ms"));
    assert.ok(!isAzureVmSize("Standard_D4s_v9"));
    assert.ok(!isAzureVmSize("toString"));
    assert.equal(AZURE_VM_SIZES.Standard_F72s_v2, 72);
    assert.equal(AZURE_VM_SIZES.Standard_D192s_v6, 192);
  });
});

describe("suggestions", () => {
  it("offers the closest names for a typo", () => {
    assert.deepEqual(closeMatches("m5.larg", awsInstanceTypeNames()).slice(0, 1), ["m5.large"]);
    assert.ok(closeMatches("Standard_D4s_v4x", azureVmSizeNames()).includes("Standard_D4s_v4"));
    assert.equal(didYouMean("zzzzzzzzzzzz", ["eu-west-1"]), "");
    assert.equal(didYouMean("eu-west-9", ["eu-west-1", "us-east-1"]), " Did you mean eu-west-1?");
  });
});
