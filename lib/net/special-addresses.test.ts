import { describe, expect, it } from "vitest";
import { classifyAddress } from "./special-addresses";

describe("classifyAddress (SSRF: only global unicast)", () => {
  it.each([
    ["93.184.215.14"],
    ["8.8.8.8"],
    ["2606:4700:4700::1111"],
    ["::ffff:93.184.215.14"], // IPv4-mapped public address: judged by the IPv4 address
  ])("allows the public address %s", (ip) => {
    expect(classifyAddress(ip)).toEqual({ ok: true });
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["169.254.169.254", "linkLocal"], // cloud metadata service
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.10", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"], // IPv4-mapped loopback
    ["::ffff:10.0.0.1", "private"], // IPv4-mapped private
    ["::ffff:169.254.169.254", "linkLocal"],
    ["64:ff9b::7f00:1", "rfc6052"], // NAT64 to 127.0.0.1
    ["2002:7f00:1::", "6to4"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["2001:db8::1", "reserved"],
    ["4000::1", "reserved"], // outside 2000::/3
    ["not-an-ip", "invalid"],
  ])("refuses %s (%s)", (ip, range) => {
    expect(classifyAddress(ip)).toEqual({ ok: false, range });
  });
});
