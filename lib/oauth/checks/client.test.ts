// Check (1): client_id present, known, not suspended; otherwise an error page (RFC 6749 §4.1.2.1).
import { describe, expect, it } from "vitest";
import { checkClient, requestedClientId } from "./client";
import { pageErrorOf, raw, testClient } from "@test/oauth-fixtures";

describe("requestedClientId", () => {
  it("returns the client_id", () => {
    expect(requestedClientId(raw({ client_id: "web-app" }))).toBe("web-app");
  });

  it("missing client_id -> error page", () => {
    expect(pageErrorOf(() => requestedClientId(raw({ response_type: "code" }))).title).toBe("Missing application");
  });

  it("empty client_id counts as missing (RFC 6749 §3.1)", () => {
    expect(pageErrorOf(() => requestedClientId(raw("client_id="))).title).toBe("Missing application");
  });

  it("repeated client_id -> error page (no redirect: which client would it be?)", () => {
    expect(pageErrorOf(() => requestedClientId(raw("client_id=a&client_id=b"))).title).toBe("Invalid request");
  });

  it("an absurdly long client_id -> unknown application, without a lookup", () => {
    expect(pageErrorOf(() => requestedClientId(raw({ client_id: "x".repeat(256) }))).title).toBe("Unknown application");
  });
});

describe("checkClient", () => {
  it("unknown client -> error page", () => {
    expect(pageErrorOf(() => checkClient(null)).title).toBe("Unknown application");
  });

  it("suspended client -> error page", () => {
    expect(pageErrorOf(() => checkClient(testClient({ suspended: true }))).title).toBe("Application suspended");
  });

  it("an active client passes", () => {
    const c = testClient();
    expect(checkClient(c)).toBe(c);
  });
});
