import { describe, expect, it } from "vitest";
import { explainMissingCallback, explainTokenError, explainUserinfoError } from "./errors";

describe("plain-words explanations", () => {
  it("invalid_client for a confidential client says the secret doesn't match", () => {
    const t = explainTokenError("code", "invalid_client", "Client authentication failed", { authMethod: "client_secret_basic" });
    expect(t).toContain("the secret doesn't match");
    expect(t).toContain('The server said: "Client authentication failed"');
  });

  it("invalid_grant for a code says used or expired, with the lifetime", () => {
    const t = explainTokenError("code", "invalid_grant", null, { authMethod: "none", codeLifetimeSeconds: 60 });
    expect(t).toContain("already used or expired (codes live 60 seconds)");
  });

  it("invalid_grant for a refresh token mentions rotation", () => {
    expect(explainTokenError("refresh", "invalid_grant", null, { authMethod: "none" })).toContain("already used");
  });

  it("userinfo 401 invalid_token says the token was refused", () => {
    expect(explainUserinfoError(401, "invalid_token", null)).toContain("revoked, expired");
  });

  it("a missing callback names what is registered", () => {
    expect(explainMissingCallback("http://x/cb", ["https://a.example/cb"])).toBe(
      "redirect_uri does not match any registered URI: the inspector uses http://x/cb, but you registered https://a.example/cb. The authorization endpoint would show an error page instead of coming back here.",
    );
  });
});
