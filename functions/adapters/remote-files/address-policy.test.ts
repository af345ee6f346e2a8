// The SSRF guard's address classification: every private, local and reserved
// range refused, IPv4 hidden inside IPv6 judged as the IPv4 it reaches.
import { describe, expect, it } from "vitest";
import { classifyAddress, isRefusedHostName } from "./address-policy.ts";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd00:ec2::254", "unique-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:c0a8:0101::1", "private"],
    ["[::1]", "loopback"],
    ["fe80::1%eth0", "link-local"],
    ["::127.0.0.1", "loopback"],
    ["0:0:0:0:0:ffff:10.0.0.1", "private"],
    ["2001::1", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:81b::200e", "::ffff:8.8.8.8", "2002:0808:0808::1"])(
    "%s is public",
    (address) => {
      expect(classifyAddress(address)).toBe("public");
    },
  );

  it("calls what is not an address invalid", () => {
    expect(classifyAddress("example.com")).toBe("invalid");
    expect(classifyAddress("1.2.3")).toBe("invalid");
    expect(classifyAddress("1:2:3:4:5:6:7:8:9")).toBe("invalid");
  });
});

describe("isRefusedHostName", () => {
  it("refuses local and metadata names, whatever DNS says", () => {
    for (const name of ["localhost", "LOCALHOST.", "app.localhost", "metadata.google.internal", "metadata", "db.internal"]) {
      expect(isRefusedHostName(name)).toBe(true);
    }
    expect(isRefusedHostName("images.example.com")).toBe(false);
  });
});
