// The CORS module's rules (Fetch standard, CORS protocol), one by one: which Origin values count,
// a redirect URI's web origin, the exact preflight, and what an actual response carries.
import { describe, expect, it, vi } from "vitest";
import { clientWebOrigins, CORS, preflight, requestOrigin, webOrigin, webOrigins, withClientCors, withPublicCors } from "./cors";
import type { Endpoint, PlainRequest, PlainResponse } from "./endpoint";
import { json } from "./oauth-response";

function request(headers: Record<string, string> = {}, body = "", method = "POST"): PlainRequest & { reads: number } {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const r = {
    method,
    url: "/oauth/token",
    reads: 0,
    headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
    async text() {
      r.reads++;
      if (r.reads > 1) throw new Error("body already read");
      return body;
    },
  };
  return r;
}

describe("requestOrigin", () => {
  it("accepts a serialized http(s) origin exactly as browsers send it", () => {
    for (const o of ["https://app.example.com", "http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000", "https://xn--bcher-kva.example"]) {
      expect(requestOrigin(o)).toBe(o);
    }
  });

  it("refuses null, other schemes, paths, userinfo, upper case, default ports, junk and very long values", () => {
    for (const o of [
      null,
      "",
      "null",
      "file://",
      "chrome-extension://abcdef",
      "https://app.example.com/",
      "https://app.example.com/path",
      "https://user@app.example.com",
      "https://APP.example.com",
      "HTTPS://app.example.com",
      "https://app.example.com:443",
      "http://app.example.com:80",
      "https://app.example.com, https://evil.example",
      "https://app.example.com\\@evil.example",
      "not a url",
      "https://",
      `https://${"a".repeat(300)}.example`,
    ]) {
      expect(requestOrigin(o), String(o)).toBeNull();
    }
  });
});

describe("webOrigin(s)", () => {
  it("is the origin of an http(s) redirect URI; a custom scheme or a broken URI has none", () => {
    expect(webOrigin("https://app.example.com/callback?x=1")).toBe("https://app.example.com");
    expect(webOrigin("http://localhost:5173/cb")).toBe("http://localhost:5173");
    expect(webOrigin("https://app.example.com:443/cb")).toBe("https://app.example.com");
    expect(webOrigin("com.example.app:/oauth2redirect")).toBeNull();
    expect(webOrigin("myapp://callback")).toBeNull();
    expect(webOrigin("not a uri")).toBeNull();
  });

  it("collects the distinct origins of a client's redirect URIs", () => {
    expect([...webOrigins(["https://a.example/cb", "https://a.example/other", "http://localhost:3000/cb", "myapp://cb"])]).toEqual([
      "https://a.example",
      "http://localhost:3000",
    ]);
    expect(webOrigins(["myapp://cb"]).size).toBe(0);
  });

  it("is computed once per client record", () => {
    const client = Object.freeze({ redirectUris: ["https://a.example/cb"] });
    expect(clientWebOrigins(client)).toBe(clientWebOrigins(client));
    expect(clientWebOrigins({ redirectUris: ["https://a.example/cb"] })).not.toBe(clientWebOrigins(client));
  });
});

describe("preflight", () => {
  it("client rule: 204, the Origin echoed (never *), methods, headers, max age, Vary; no credentials", async () => {
    const r = await preflight(CORS.token)(request({ Origin: "https://unknown.example", "Access-Control-Request-Method": "POST" }, "", "OPTIONS"));
    expect(r).toEqual({
      status: 204,
      headers: {
        Allow: "OPTIONS, POST",
        Vary: "Origin",
        "Access-Control-Allow-Origin": "https://unknown.example",
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "7200",
      },
      body: "",
    });
  });

  it("client rule: an odd Origin, or none, gets no CORS headers (the browser then refuses)", async () => {
    for (const origin of ["null", "https://a.example/", "x".repeat(5000)]) {
      const r = await preflight(CORS.userinfo)(request({ Origin: origin }, "", "OPTIONS"));
      expect(r).toEqual({ status: 204, headers: { Allow: "OPTIONS, GET, POST", Vary: "Origin" }, body: "" });
    }
    expect((await preflight(CORS.userinfo)(request({}, "", "OPTIONS"))).headers).toEqual({ Allow: "OPTIONS, GET, POST", Vary: "Origin" });
  });

  it("any rule: *, whatever the Origin", async () => {
    expect(await preflight(CORS.registrationClient)(request({ Origin: "null" }, "", "OPTIONS"))).toEqual({
      status: 204,
      headers: {
        Allow: "OPTIONS, GET, PUT, DELETE",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, PUT, DELETE",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "7200",
      },
      body: "",
    });
    const discovery = await preflight(CORS.discovery)(request({ Origin: "https://a.example" }, "", "OPTIONS"));
    expect(discovery.headers).toEqual({
      Allow: "OPTIONS, GET",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET",
      "Access-Control-Max-Age": "7200",
    });
  });
});

describe("withPublicCors", () => {
  it("adds * and the exposed headers to every response, errors too, keeping the endpoint's own", async () => {
    const e = withPublicCors(CORS.registration, async () => json({ error: "invalid_token" }, 401, { "WWW-Authenticate": "Bearer" }));
    expect((await e()).headers).toEqual({
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      "WWW-Authenticate": "Bearer",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "WWW-Authenticate",
    });
    expect(() => withPublicCors(CORS.token, async () => json({}))).toThrow();
  });
});

describe("withClientCors", () => {
  const APP = "https://app.example";
  const inner: Endpoint = async (req) => json({ body: await req.text() }, 400);
  const callerOrigins = vi.fn(async (req: PlainRequest) => ((await req.text()).includes("client_id=app") ? new Set([APP]) : new Set<string>()));
  const endpoint = withClientCors(CORS.token, inner, callerOrigins);

  it("without Origin: the endpoint's response untouched, the caller never asked", async () => {
    callerOrigins.mockClear();
    const req = request({}, "client_id=app");
    const res = await endpoint(req);
    expect(res).toEqual(json({ body: "client_id=app" }, 400));
    expect(callerOrigins).not.toHaveBeenCalled();
  });

  it("from the calling client's origin: the Origin echoed, Vary, exposed headers; the body read once", async () => {
    const req = request({ Origin: APP }, "client_id=app");
    const res = await endpoint(req);
    expect(res.status).toBe(400);
    expect(res.body).toBe('{"body":"client_id=app"}');
    expect(res.headers["Access-Control-Allow-Origin"]).toBe(APP);
    expect(res.headers.Vary).toBe("Origin");
    expect(res.headers["Access-Control-Expose-Headers"]).toBe("WWW-Authenticate");
    expect(res.headers).not.toHaveProperty("Access-Control-Allow-Credentials");
    expect(req.reads).toBe(1);
  });

  it("from another origin, an odd Origin, or a caller that fails: Vary only", async () => {
    const only = (res: PlainResponse) => Object.keys(res.headers).filter((k) => k.startsWith("Access-Control") || k === "Vary");
    expect(only(await endpoint(request({ Origin: "https://other.example" }, "client_id=app")))).toEqual(["Vary"]);
    expect(only(await endpoint(request({ Origin: "null" }, "client_id=app")))).toEqual(["Vary"]);
    expect(only(await endpoint(request({ Origin: APP }, "client_id=someone-else")))).toEqual(["Vary"]);
    const failing = withClientCors(CORS.token, inner, async () => {
      throw new Error("malformed");
    });
    const res = await failing(request({ Origin: APP }, "client_id=app"));
    expect(res.status).toBe(400);
    expect(only(res)).toEqual(["Vary"]);
  });

  it("appends to a Vary the endpoint set", async () => {
    const e = withClientCors(CORS.token, async () => ({ status: 200, headers: { Vary: "Accept" }, body: "" }), async () => new Set([APP]));
    expect((await e(request({ Origin: APP }))).headers.Vary).toBe("Accept, Origin");
  });
});
