// The "Download my data" file's shape: every field named, dates in ISO 8601, scopes flattened
// with their plain words and API, amr split; and its file name.
import { describe, expect, it } from "vitest";
import { accountExport, exportFileName } from "./account-export";
import type { AccountExportRows } from "../db/account-export";

const d = (s: string) => new Date(s);

const ROWS: AccountExportRows = {
  user: { id: "u-1", email: "ada@example.com", name: "Ada", emailVerified: true, role: "developer", createdAt: d("2026-01-02T03:04:05Z"), totpEnabledAt: null },
  connectedApps: [
    {
      clientId: "row-1",
      name: "Notes",
      logoUrl: "https://notes.example/logo.png",
      homepageUrl: "https://notes.example",
      scopes: [
        { api: null, lines: [{ key: "openid", text: "Sign you in" }] },
        { api: { name: "Items API", identifier: "https://api.example" }, lines: [{ key: "https://api.example\\read", text: "Read your items" }] },
      ],
      allowedAt: d("2026-02-01T00:00:00Z"),
      lastUsedAt: null,
    },
  ],
  sessions: [
    { createdAt: d("2026-03-01T00:00:00Z"), lastSeenAt: d("2026-03-01T01:00:00Z"), expiresAt: d("2026-03-02T00:00:00Z"), ip: "192.0.2.1", userAgent: "UA", amr: "pwd otp mfa", current: true },
  ],
  passkeys: [{ name: "Phone", createdAt: d("2026-03-03T00:00:00Z"), lastUsedAt: d("2026-03-04T00:00:00Z") }],
  recoveryCodesLeft: 7,
  events: [{ type: "signin.succeeded", createdAt: d("2026-03-01T00:00:00Z"), ip: "192.0.2.1" }],
  eventsSince: d("2025-12-06T00:00:00Z"),
};

describe("the account export", () => {
  it("has exactly these fields", () => {
    expect(accountExport(ROWS, d("2026-03-05T06:07:08.009Z"))).toEqual({
      exportedAt: "2026-03-05T06:07:08.009Z",
      profile: { id: "u-1", email: "ada@example.com", name: "Ada", emailVerified: true, role: "developer", createdAt: "2026-01-02T03:04:05.000Z" },
      connectedApps: [
        {
          name: "Notes",
          homepage: "https://notes.example",
          scopes: [
            { scope: "openid", description: "Sign you in", api: null },
            { scope: "https://api.example\\read", description: "Read your items", api: "Items API" },
          ],
          grantedAt: "2026-02-01T00:00:00.000Z",
          lastUsedAt: null,
        },
      ],
      sessions: [
        {
          createdAt: "2026-03-01T00:00:00.000Z",
          lastSeenAt: "2026-03-01T01:00:00.000Z",
          expiresAt: "2026-03-02T00:00:00.000Z",
          ip: "192.0.2.1",
          userAgent: "UA",
          signedInWith: ["pwd", "otp", "mfa"],
          current: true,
        },
      ],
      secondFactors: {
        authenticatorApp: { enabled: false, enabledAt: null },
        passkeys: [{ name: "Phone", createdAt: "2026-03-03T00:00:00.000Z", lastUsedAt: "2026-03-04T00:00:00.000Z" }],
        recoveryCodesLeft: 7,
      },
      securityEvents: { since: "2025-12-06T00:00:00.000Z", events: [{ type: "signin.succeeded", at: "2026-03-01T00:00:00.000Z", ip: "192.0.2.1" }] },
    });
  });

  it("leaves out the internal client row id and the logo", () => {
    const text = JSON.stringify(accountExport(ROWS, new Date()));
    expect(text).not.toContain("row-1");
    expect(text).not.toContain("logo.png");
  });

  it("is named for the UTC day of the export", () => {
    expect(exportFileName(d("2026-12-06T23:59:59Z"))).toBe("latchkey-account-2026-12-06.json");
    expect(exportFileName(d("2026-12-07T00:00:00Z"))).toBe("latchkey-account-2026-12-07.json");
  });
});
