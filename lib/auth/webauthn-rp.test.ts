// The relying party from ISSUER: its host name and origin; localhost for a loopback IP issuer
// (an IP is not a valid RP ID); none for another IP.
import { describe, expect, it } from "vitest";
import { relyingParty } from "./webauthn-rp";

describe("relyingParty", () => {
  it("uses the issuer's host name and origin", () => {
    expect(relyingParty("https://login.example.com/")).toEqual({ id: "login.example.com", name: "Latchkey", origin: "https://login.example.com" });
    expect(relyingParty("https://login.example.com:8443/base")).toEqual({ id: "login.example.com", name: "Latchkey", origin: "https://login.example.com:8443" });
    expect(relyingParty("http://localhost:3000")).toEqual({ id: "localhost", name: "Latchkey", origin: "http://localhost:3000" });
  });

  it("maps a loopback IP issuer to localhost, and gives no relying party for another IP", () => {
    expect(relyingParty("http://127.0.0.1:3204")).toEqual({ id: "localhost", name: "Latchkey", origin: "http://localhost:3204" });
    expect(relyingParty("http://[::1]:3000")).toEqual({ id: "localhost", name: "Latchkey", origin: "http://localhost:3000" });
    expect(relyingParty("https://192.0.2.10")).toBeNull();
    expect(relyingParty("https://[2001:db8::1]")).toBeNull();
  });
});
