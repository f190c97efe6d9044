// The profile/email claims (OIDC Core §5.4) that userinfo and the ID token share.
import { describe, expect, it } from "vitest";
import { idTokenUserClaims, userClaims } from "./user-claims";

const user = {
  id: "user-1",
  email: "ada@example.test",
  name: "Ada Lovelace",
  emailVerified: true,
  updatedAt: new Date("2030-01-02T03:04:05.678Z"),
};
const UPDATED_AT = Date.UTC(2030, 0, 2, 3, 4, 5) / 1000;

describe("userClaims (OIDC Core §5.4)", () => {
  it.each([
    [["openid"], {}],
    [["openid", "profile"], { name: "Ada Lovelace", updated_at: UPDATED_AT }],
    [["openid", "email"], { email: "ada@example.test", email_verified: true }],
    [
      ["openid", "profile", "email", "offline_access"],
      { name: "Ada Lovelace", updated_at: UPDATED_AT, email: "ada@example.test", email_verified: true },
    ],
  ])("scope %j -> exactly %j", (scope, expected) => {
    expect(userClaims(user, scope)).toEqual(expected);
  });

  it("no name on record: profile gives updated_at only (no empty name, no given_name/family_name)", () => {
    expect(userClaims({ ...user, name: null }, ["profile"])).toEqual({ updated_at: UPDATED_AT });
  });

  it("an unverified address: email_verified is false, not omitted (§5.1)", () => {
    expect(userClaims({ ...user, emailVerified: false }, ["email"])).toEqual({ email: "ada@example.test", email_verified: false });
  });
});

describe("idTokenUserClaims: the per-client switch", () => {
  const scope = ["openid", "profile", "email"];
  const all = { name: "Ada Lovelace", updated_at: UPDATED_AT, email: "ada@example.test", email_verified: true };

  it("on (the default): the ID token carries the granted claims", () => {
    expect(idTokenUserClaims({ idTokenUserClaims: true }, user, scope, true)).toEqual(all);
  });

  it("off: none of them when an access token comes along (userinfo has them)", () => {
    expect(idTokenUserClaims({ idTokenUserClaims: false }, user, scope, true)).toEqual({});
  });

  it("off, but no access token issued (response_type=id_token): carried anyway (§5.4)", () => {
    expect(idTokenUserClaims({ idTokenUserClaims: false }, user, scope, false)).toEqual(all);
  });
});
