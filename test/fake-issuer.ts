// Tests only: a stand-in for Latchkey as a resource server sees it (its metadata, its JWKS and
// its introspection endpoint) on a loopback port, with a signing key of its own, so the
// examples in examples/ can be tested on every kind of bad token without a running Latchkey.
// The e2e specs (e2e/example-api.spec.ts, e2e/mcp.spec.ts) run them against the real one.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { close, listen } from "./loopback-server";

export interface IntrospectionCall {
  authorization: string | undefined;
  body: URLSearchParams;
}

export class FakeIssuer {
  /** How many times each path was requested. */
  readonly hits = new Map<string, number>();
  readonly introspections: IntrospectionCall[] = [];
  /** Tokens the introspection endpoint calls inactive. */
  readonly revoked = new Set<string>();

  private constructor(
    readonly server: Server,
    readonly issuer: string,
    private readonly key: CryptoKey,
    private readonly jwk: JWK,
  ) {}

  static async start(): Promise<FakeIssuer> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    let issuer: FakeIssuer | undefined;
    const { server, origin } = await listen((req, res) => issuer!.handle(req, res));
    issuer = new FakeIssuer(server, origin, privateKey, jwk);
    return issuer;
  }

  /** A token as Latchkey issues it (RFC 9068 §2), for `aud`, with `claims` and `header` on top. */
  async token(aud: string | string[], claims: JWTPayload = {}, header: Record<string, unknown> = {}, key = this.key): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      sub: "user-1",
      aud,
      client_id: "client-1",
      scope: "read:items",
      iat: now,
      exp: now + 600,
      jti: `jti-${Math.random()}`,
      ...claims,
    })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "k1", ...header })
      .sign(key);
  }

  close(): Promise<void> {
    return close(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", this.issuer).pathname;
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/.well-known/oauth-authorization-server") {
      json({ issuer: this.issuer, jwks_uri: `${this.issuer}/jwks`, introspection_endpoint: `${this.issuer}/introspect` });
    } else if (path === "/jwks") {
      json({ keys: [this.jwk] });
    } else if (path === "/introspect") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const params = new URLSearchParams(body);
        this.introspections.push({ authorization: req.headers.authorization, body: params });
        json({ active: !this.revoked.has(params.get("token") ?? "") });
      });
    } else {
      res.writeHead(404).end();
    }
  }
}
