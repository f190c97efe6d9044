// End session on the wire (RP-Initiated Logout 1.0): redirects, cookies, the confirmation
// page and its CSRF defence, the error page.
import { HTML_PAGE_CSP } from "../html-page";
import { beforeEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "@test/token-world";
import type { OAuthClient, OAuthUser, PortalSessionInfo } from "../../oauth/types";
import { makeEndSession } from "./end-session";
import { webHandler } from "../web-handler";

const ISSUER = "https://id.test";
const LOGOUT_URI = "https://app.test/logged-out";
const CLEARED = [
  "__Secure-next-auth.session-token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
  "next-auth.session-token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
];

/** Hidden fields of the confirmation form, as a browser would post them. */
function formFields(html: string): Record<string, string> {
  const unescapeHtml = (s: string) =>
    s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescapeHtml(m[1]!), unescapeHtml(m[2]!)]),
  );
}

describe("/oauth/logout", () => {
  let w: World;
  let app: OAuthClient;
  let alice: OAuthUser;
  let session: PortalSessionInfo;
  let hint: string;
  let revoked: string[];
  let endpoint: (req: Request) => Promise<Response>;

  const cookie = () => ({ cookie: `test-sid=${session.id}` });
  const get = (q: Record<string, string>, headers: Record<string, string> = cookie()) =>
    endpoint(new Request(`${ISSUER}/oauth/logout?${new URLSearchParams(q)}`, { headers }));
  const post = (body: Record<string, string>, headers: Record<string, string> = cookie()) =>
    endpoint(
      new Request(`${ISSUER}/oauth/logout`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body),
      }),
    );

  const expectSignedOut = (res: Response, location: string) => {
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(location);
    expect(res.headers.getSetCookie()).toEqual(CLEARED);
    expect(res.headers.get("cache-control")).toBe("no-store");
  };
  const expectPageHeaders = (res: Response) => {
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  };

  beforeEach(async () => {
    w = createWorld();
    app = w.addClient({ clientId: "app", name: "Photo <App>", postLogoutRedirectUris: [LOGOUT_URI] }, "s");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
    session = w.addSession(alice.id);
    hint = await w.issueIdToken({ client: app, user: alice, sid: session.sid });
    revoked = [];
    endpoint = webHandler(makeEndSession(() => ({
      oauth: w.deps,
      async currentSession(req) {
        const sid = /test-sid=([^;]+)/.exec(req.headers.get("cookie") ?? "")?.[1];
        return (sid && w.sessions.get(sid)) || null;
      },
      async revokeSession(id) {
        revoked.push(id);
        w.sessions.delete(id);
      },
    })));
  });

  it("a valid hint for this session: signs out, clears the cookie, 302 to the sign-in page", async () => {
    expectSignedOut(await get({ id_token_hint: hint }), `${ISSUER}/signin`);
    expect(revoked).toEqual([session.id]);
    expect(w.audit).toEqual([
      { type: "session.ended", actorId: "u-alice", subjectId: "u-alice", clientId: app.id, data: { via: "end_session_endpoint" } },
    ]);
  });

  it("302 to the registered post_logout_redirect_uri with state", async () => {
    expectSignedOut(await get({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "xyz" }), `${LOGOUT_URI}?state=xyz`);
    expect(revoked).toEqual([session.id]);
  });

  it("an RP may POST the same parameters (§2) without any Origin", async () => {
    expectSignedOut(await post({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI }), LOGOUT_URI);
    expect(revoked).toEqual([session.id]);
  });

  it("no session and no parameters: 302 to the sign-in page", async () => {
    expectSignedOut(await get({}, {}), `${ISSUER}/signin`);
    expect(revoked).toEqual([]);
    expect(w.audit).toEqual([]);
  });

  it("an unregistered post_logout_redirect_uri: 400 error page, no redirect, still signed in", async () => {
    const res = await get({ id_token_hint: hint, post_logout_redirect_uri: "https://evil.test/" });
    expect(res.status).toBe(400);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain("The address to return to after signing out is not registered for this application.");
    // The portal's page, with the exact reason for the developer.
    expect(html).toContain("<span>Latchkey</span>");
    expect(html).toContain(
      `<details><summary>Details for developers</summary><pre>HTTP 400: invalid_request: post_logout_redirect_uri &quot;https://evil.test/&quot; does not exactly match any of the 1 post-logout redirect URIs registered for client_id &quot;${app.clientId}&quot; (RP-Initiated Logout 1.0 §3: exact string match).</pre></details>`,
    );
    expect(res.headers.get("content-security-policy")).toBe(HTML_PAGE_CSP);
    expect(revoked).toEqual([]);
  });

  it("client_id not matching the hint: 400 error page", async () => {
    w.addClient({ clientId: "other" }, "s");
    const res = await get({ id_token_hint: hint, client_id: "other" });
    expect(res.status).toBe(400);
    expectPageHeaders(res);
    expect(revoked).toEqual([]);
  });

  it("malformed requests get the error page too, never a 5xx", async () => {
    const dup = await endpoint(new Request(`${ISSUER}/oauth/logout?state=a&state=b`, { headers: cookie() }));
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("Parameter state is repeated");
    const notForm = await endpoint(new Request(`${ISSUER}/oauth/logout`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }));
    expect(notForm.status).toBe(400);
    expectPageHeaders(notForm);
  });

  describe("a session but no valid hint", () => {
    it("renders a confirmation page that cannot be framed", async () => {
      const res = await get({ client_id: "app", post_logout_redirect_uri: LOGOUT_URI, state: '"><script>x</script>' });
      expect(res.status).toBe(200);
      expectPageHeaders(res);
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      const html = await res.text();
      expect(html).toContain('<form method="post" action="/oauth/logout">');
      expect(html).toContain('<button type="submit">Sign out</button>');
      expect(html).toContain("Photo &lt;App&gt; asks to sign you out");
      expect(html).not.toContain("<script>");
      expect(formFields(html)).toEqual({
        client_id: "app",
        post_logout_redirect_uri: LOGOUT_URI,
        state: '"><script>x</script>',
        confirm: "yes",
      });
      expect(revoked).toEqual([]);
    });

    it("the confirmed POST from our origin signs out and redirects", async () => {
      const page = await (await get({ client_id: "app", post_logout_redirect_uri: LOGOUT_URI, state: "s1" })).text();
      const res = await post(formFields(page), { ...cookie(), origin: ISSUER });
      expectSignedOut(res, `${LOGOUT_URI}?state=s1`);
      expect(revoked).toEqual([session.id]);
    });

    it("a confirmation without our Origin is refused (403), still signed in", async () => {
      const fields = formFields(await (await get({})).text());
      expect(fields).toEqual({ confirm: "yes" });
      for (const origin of [undefined, "https://evil.test", "null", "https://id.test.evil.test"]) {
        const res = await post(fields, origin ? { ...cookie(), origin } : cookie());
        expect(res.status).toBe(403);
        expectPageHeaders(res);
      }
      expect(revoked).toEqual([]);
    });

    it("confirm=yes in a GET is not a confirmation", async () => {
      const res = await get({ confirm: "yes" }, { ...cookie(), origin: ISSUER });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Sign out");
      expect(revoked).toEqual([]);
    });

    it("a hint for an older session asks too", async () => {
      const stale = await w.issueIdToken({ client: app, user: alice, sid: "old-session" });
      const res = await get({ id_token_hint: stale });
      expect(res.status).toBe(200);
      expect(formFields(await res.text())).toEqual({ id_token_hint: stale, confirm: "yes" });
      expect(revoked).toEqual([]);
    });
  });
});
