// Check (7d): acr_values (OIDC Core §3.1.2.1): known values kept in the order sent, unknown ones
// ignored (voluntary, §5.5.1.1), bounded in length and count.
import { describe, expect, it } from "vitest";
import { checkAcrValues, MAX_ACR_VALUES } from "./acr-values";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

const MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
const ONE = "urn:latchkey:acr:single-factor";

describe("checkAcrValues", () => {
  it("absent or empty: none", () => {
    expect(checkAcrValues(raw({}))).toEqual([]);
    expect(checkAcrValues(raw({ acr_values: "" }))).toEqual([]);
    expect(checkAcrValues(raw({ acr_values: "   " }))).toEqual([]);
  });

  it("the known values, in the order of preference sent, each once", () => {
    expect(checkAcrValues(raw({ acr_values: `phr ${MFA}` }))).toEqual(["phr", MFA]);
    expect(checkAcrValues(raw({ acr_values: `${MFA}  ${ONE} ${MFA}` }))).toEqual([MFA, ONE]);
  });

  it("unknown values are ignored; only unknown ones: none", () => {
    expect(checkAcrValues(raw({ acr_values: `urn:mace:incommon:iap:silver ${MFA} 2` }))).toEqual([MFA]);
    expect(checkAcrValues(raw({ acr_values: "urn:mace:incommon:iap:silver loa3" }))).toEqual([]);
  });

  it("longer than 512 characters -> invalid_request", () => {
    const e = oauthErrorOf(() => checkAcrValues(raw({ acr_values: `${MFA} ${"x".repeat(512)}` })));
    expect([e.error, e.description]).toEqual(["invalid_request", "acr_values must be at most 512 characters"]);
  });

  it(`more than ${MAX_ACR_VALUES} values -> invalid_request; ${MAX_ACR_VALUES} are fine`, () => {
    expect(checkAcrValues(raw({ acr_values: Array.from({ length: MAX_ACR_VALUES }, (_, i) => `v${i}`).join(" ") }))).toEqual([]);
    const e = oauthErrorOf(() => checkAcrValues(raw({ acr_values: Array.from({ length: MAX_ACR_VALUES + 1 }, (_, i) => `v${i}`).join(" ") })));
    expect([e.error, e.description]).toEqual(["invalid_request", `acr_values may name at most ${MAX_ACR_VALUES} values`]);
  });

  it("control characters -> invalid_request", () => {
    const e = oauthErrorOf(() => checkAcrValues(raw({ acr_values: `${MFA}\nphr` })));
    expect([e.error, e.description]).toEqual(["invalid_request", "acr_values must not contain control characters"]);
  });
});
