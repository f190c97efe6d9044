// Client names shown to end users: no control, bidi or invisible characters; no imitation of the
// server itself unless an admin registers the client.
import { describe, expect, it } from "vitest";
import { clientNameProblem, foldForComparison } from "./client-name";
import { makeClientMetadataSchema } from "./client-metadata";

const ISSUER = "https://id.acme-login.com";
const LATCHKEY = "Name must not contain “Latchkey” (or look like it): users would take the app for this server itself. An admin can register such a client.";
const HOST = "Name must not contain this server's host name: users would take the app for this server itself. An admin can register such a client.";
const OFFICIAL = "Name must not claim to be an official, verified or security service: only this server's administrators can say so. An admin can register such a client.";
const BIDI = "Name must not contain invisible or text-direction characters";

describe("clientNameProblem", () => {
  it.each(["Acme Photos", "Bücher & Co", "日本の写真", "Lock Keeper", "Security Camera Viewer", "Official Bakery"])("accepts %s", (name) => {
    expect(clientNameProblem(name, { issuer: ISSUER })).toBeNull();
  });

  it.each([
    "… — Official Latchkey Security Verification Service",
    "latchkey",
    "LATCHKEY Login",
    "L a t c h k e y",
    "Latch-Key Portal",
    "1atchkey", // digit one for l
    "Lаtchkеy", // Cyrillic а and е
    "Ｌａｔｃｈｋｅｙ", // full-width
    "Látchkéy",
  ])("refuses %s: it contains the product's name", (name) => {
    expect(clientNameProblem(name, { issuer: ISSUER })).toBe(LATCHKEY);
  });

  it("refuses the issuer's host name, however written; a loopback issuer has none to imitate", () => {
    expect(clientNameProblem("id.acme-login.com", { issuer: ISSUER })).toBe(HOST);
    expect(clientNameProblem("ID ACME LOGIN COM sign-in", { issuer: ISSUER })).toBe(HOST);
    expect(clientNameProblem("localhost tools", { issuer: "http://localhost:3000" })).toBeNull();
  });

  it.each(["Official Security Verification Service", "Verified Account Team", "OFFICIAL support", "0fficial Verification"])(
    "refuses the claim %s",
    (name) => {
      expect(clientNameProblem(name, { issuer: ISSUER })).toBe(OFFICIAL);
    },
  );

  it("refuses bidi overrides, isolates and invisible characters; control characters too", () => {
    expect(clientNameProblem("ppa\u202e.evil", {})).toBe(BIDI);
    expect(clientNameProblem("a\u2067b", {})).toBe(BIDI);
    expect(clientNameProblem("Latch\u200bkey", {})).toBe(BIDI);
    expect(clientNameProblem("a\u0007b", {})).toBe("Name must not contain control characters");
  });

  it("an admin (trusted) may use an imitating name, never bidi or control characters", () => {
    expect(clientNameProblem("Latchkey Admin Tools", { issuer: ISSUER, trusted: true })).toBeNull();
    expect(clientNameProblem("Official Security Verification Service", { trusted: true })).toBeNull();
    expect(clientNameProblem("x\u202ey", { trusted: true })).toBe(BIDI);
  });

  it("foldForComparison: case, width, diacritics, look-alikes and separators", () => {
    expect(foldForComparison("Ｌ-а.t C h_k é Y")).toBe("latchkey");
  });
});

describe("the registration schema applies it to client_name", () => {
  const base = { redirect_uris: ["https://a.example/cb"] };
  it("refuses an imitating name unless trustedName", () => {
    const r = makeClientMetadataSchema({ issuer: ISSUER }).safeParse({ ...base, client_name: "Latchkey Security" });
    expect(r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["client_name", LATCHKEY]]);
    expect(makeClientMetadataSchema({ issuer: ISSUER, trustedName: true }).safeParse({ ...base, client_name: "Latchkey Security" }).success).toBe(true);
  });
});
