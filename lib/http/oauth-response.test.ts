// The one serializer of OAuth errors: a database that is away is 503 temporarily_unavailable with
// Retry-After (RFC 6749 §5.2; RFC 9110 §10.2.3), whether lib/db already turned it into
// TemporarilyUnavailable or a raw driver error escaped; its text never reaches the body.
import { describe, expect, it } from "vitest";
import { InvalidToken, TemporarilyUnavailable } from "../oauth/errors";
import { oauthError } from "./oauth-response";

const UNAVAILABLE = {
  status: 503,
  headers: {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "Retry-After": "5",
  },
  body: JSON.stringify({ error: "temporarily_unavailable", error_description: "The service is temporarily unavailable; try again in a few seconds." }),
  // For the request's one log line (lib/http/request-listener.ts): its OAuth error code, no stack.
  error: "temporarily_unavailable",
};

describe("oauthError", () => {
  it("TemporarilyUnavailable: 503, the exact body, Retry-After and no-store", () => {
    expect(oauthError(new TemporarilyUnavailable())).toStrictEqual(UNAVAILABLE);
  });

  it("a raw driver error of an unavailable database (a statement timeout naming SQL and the table): the same 503, none of its text", () => {
    const raw = Object.assign(new Error('canceling statement due to statement timeout: INSERT INTO "AccessToken" ...'), { code: "57014" });
    expect(oauthError(raw)).toStrictEqual(UNAVAILABLE);
    expect(oauthError(Object.assign(new Error("Can't reach database server at db.internal:5432"), { code: "P1001" }))).toStrictEqual(UNAVAILABLE);
  });

  it("at a bearer endpoint: 503 without a WWW-Authenticate challenge (the token is not at fault)", () => {
    expect(oauthError(new TemporarilyUnavailable(), { bearer: true })).toStrictEqual(UNAVAILABLE);
    expect(oauthError(new InvalidToken("expired"), { bearer: true }).headers["WWW-Authenticate"]).toBeDefined();
  });

  it("any other unexpected error stays 500 server_error, its text only in the log (as the response's fault, which the listener logs with its stack)", () => {
    const bug = new TypeError('Cannot read "secretHash" of undefined');
    const r = oauthError(bug);
    expect(r.status).toBe(500);
    expect(r.headers["Retry-After"]).toBeUndefined();
    expect(r.body).toBe(JSON.stringify({ error: "server_error", error_description: "The server could not complete the request." }));
    expect(r.fault).toBe(bug);
    expect(r.body).not.toContain("secretHash");
  });
});
