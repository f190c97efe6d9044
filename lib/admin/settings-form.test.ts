import { describe, expect, it } from "vitest";
import { parseSettingsForm } from "./settings-form";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe("the admin settings form", () => {
  it("reads a ticked checkbox and each policy", () => {
    for (const mfaPolicy of ["off", "admins", "all"] as const) {
      expect(parseSettingsForm(form({ requireEmailVerification: "on", mfaPolicy }))).toEqual({
        ok: true,
        settings: { requireEmailVerification: true, mfaPolicy },
      });
    }
  });

  it("reads an unticked (absent) or crafted checkbox as off", () => {
    expect(parseSettingsForm(form({ mfaPolicy: "all" }))).toEqual({ ok: true, settings: { requireEmailVerification: false, mfaPolicy: "all" } });
    expect(parseSettingsForm(form({ requireEmailVerification: "true", mfaPolicy: "off" }))).toEqual({
      ok: true,
      settings: { requireEmailVerification: false, mfaPolicy: "off" },
    });
  });

  it("refuses a missing or unknown policy with a message for the field", () => {
    expect(parseSettingsForm(form({ requireEmailVerification: "on" }))).toEqual({
      ok: false,
      fieldErrors: { mfaPolicy: "Choose who must use two-step verification." },
    });
    expect(parseSettingsForm(form({ mfaPolicy: "sometimes" }))).toEqual({
      ok: false,
      fieldErrors: { mfaPolicy: "Choose who must use two-step verification." },
    });
  });
});
