// The device cookie's name, attributes and parsing.
import { describe, expect, it } from "vitest";
import { deviceCookie, readDeviceToken } from "./device-cookie";

const TOKEN = `${"a".repeat(20)}B-_${"9".repeat(20)}`;

describe("readDeviceToken", () => {
  it("finds the token under either name among other cookies", () => {
    expect(readDeviceToken(`x=1; latchkey-device=${TOKEN}; y=2`)).toBe(TOKEN);
    expect(readDeviceToken(`__Host-latchkey-device=${TOKEN}`)).toBe(TOKEN);
  });

  it("null when absent, empty, or not a token of ours", () => {
    expect(readDeviceToken(null)).toBeNull();
    expect(readDeviceToken("")).toBeNull();
    expect(readDeviceToken("latchkey-device=")).toBeNull();
    expect(readDeviceToken("latchkey-device=short")).toBeNull();
    expect(readDeviceToken(`latchkey-device=${TOKEN}x`)).toBeNull();
    expect(readDeviceToken(`latchkey-device=${TOKEN.slice(1)}%`)).toBeNull();
    expect(readDeviceToken(`other-device=${TOKEN}`)).toBeNull();
  });
});

describe("deviceCookie", () => {
  it("https: __Host- name, Secure, HttpOnly, SameSite=Lax, Path=/, 180 days", () => {
    expect(deviceCookie(TOKEN, true)).toStrictEqual({
      name: "__Host-latchkey-device",
      value: TOKEN,
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true, maxAge: 180 * 86_400 },
    });
  });

  it("http (local development): the plain name, not Secure", () => {
    expect(deviceCookie(TOKEN, false)).toMatchObject({ name: "latchkey-device", options: { secure: false } });
  });
});
