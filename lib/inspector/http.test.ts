import { describe, expect, it } from "vitest";
import { basicAuthorization, formPost, MASK, send, shown } from "./http";

const url = "https://id.example.com/oauth/token";
const SECRET = "lks_s3cr3t+/=";

describe("the token request as sent and as shown", () => {
  it("client_secret_basic: form-urlencoded id and secret in Basic (RFC 6749 §2.3.1); shown masked", () => {
    const req = formPost(url, { clientId: "lk_1", method: "client_secret_basic", secret: SECRET }, [["grant_type", "authorization_code"]]);
    expect(req.headers[0]).toEqual(["Authorization", `Basic ${Buffer.from("lk_1:lks_s3cr3t%2B%2F%3D").toString("base64")}`]);
    expect(req.form).toEqual([["grant_type", "authorization_code"]]);
    const s = shown(req);
    expect(s.raw).not.toContain(SECRET);
    expect(s.raw).not.toContain(basicAuthorization("lk_1", SECRET).slice(6));
    expect(s.raw).toContain(`Authorization: Basic ${MASK}`);
    expect(s.raw.split("\n")[0]).toBe("POST /oauth/token HTTP/1.1");
    expect(s.raw).toContain("Host: id.example.com");
    expect(s.raw.endsWith("\n\ngrant_type=authorization_code")).toBe(true);
  });

  it("client_secret_post: the secret in the body, shown masked", () => {
    const req = formPost(url, { clientId: "lk_1", method: "client_secret_post", secret: SECRET }, [["grant_type", "refresh_token"]]);
    expect(req.form).toEqual([["grant_type", "refresh_token"], ["client_id", "lk_1"], ["client_secret", SECRET]]);
    const s = shown(req);
    expect(s.form).toEqual([["grant_type", "refresh_token"], ["client_id", "lk_1"], ["client_secret", MASK]]);
    expect(s.raw).not.toContain("s3cr3t");
    expect(s.raw.endsWith(`grant_type=refresh_token&client_id=lk_1&client_secret=${MASK}`)).toBe(true);
  });

  it("public client: client_id in the body, no Authorization", () => {
    const req = formPost(url, { clientId: "lk_p", method: "none", secret: null }, [["grant_type", "authorization_code"]]);
    expect(req.headers.some(([k]) => k === "Authorization")).toBe(false);
    expect(req.form).toEqual([["grant_type", "authorization_code"], ["client_id", "lk_p"]]);
  });

  it("sends the exact request to the handler and reads status, the headers that matter and JSON", async () => {
    let seen: { method: string; url: string; auth: string | null; type: string | null; body: string } | null = null;
    const handler = async (r: Request) => {
      seen = { method: r.method, url: r.url, auth: r.headers.get("authorization"), type: r.headers.get("content-type"), body: await r.text() };
      return new Response(JSON.stringify({ error: "invalid_client" }), {
        status: 401,
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "WWW-Authenticate": 'Basic realm="x"', "X-Other": "1" },
      });
    };
    const req = formPost(url, { clientId: "lk_1", method: "client_secret_basic", secret: SECRET }, [["grant_type", "authorization_code"], ["code", "a b"]]);
    const res = await send(handler, req);
    expect(seen).toEqual({ method: "POST", url, auth: basicAuthorization("lk_1", SECRET), type: "application/x-www-form-urlencoded", body: "grant_type=authorization_code&code=a+b" });
    expect(res).toMatchObject({ status: 401, statusText: "Unauthorized", json: { error: "invalid_client" } });
    expect(res.headers).toEqual([["content-type", "application/json"], ["cache-control", "no-store"], ["www-authenticate", 'Basic realm="x"']]);
  });
});
