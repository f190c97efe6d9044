// Small HTTP helpers for setting the benchmarks up (not for the measured load): a cookie jar,
// PKCE pairs, client_secret_basic, and fetch without automatic redirects.
import { createHash, randomBytes } from "node:crypto";

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes every Set-Cookie of a response; an expired or emptied cookie is dropped. */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) this.takeLine(line);
  }

  takeLine(line: string): void {
    const [pair = "", ...attrs] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => {
      const [k = "", v = ""] = a.split("=").map((x) => x.trim());
      if (k.toLowerCase() === "max-age") return Number(v) <= 0;
      if (k.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const randomState = () => randomBytes(12).toString("base64url");

/** RFC 6749 §2.3.1: form-urlencode id and secret, then Basic. */
export function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString("base64")}`;
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
}

/** fetch without following redirects; the jar (if any) sends and receives cookies. */
export async function fetchRaw(url: string, init: RequestInit = {}, jar?: CookieJar): Promise<Fetched> {
  const headers = new Headers(init.headers);
  if (jar?.header()) headers.set("cookie", jar.header());
  const res = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  jar?.take(res);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A response body in a few words: an HTML page by its title, anything else cut short. */
export function summarizeBody(text: string, max = 200): string {
  if (/^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${title}"` : ""} (${text.length} bytes)`;
  }
  return text.replace(/\s+/g, " ").slice(0, max);
}

export function describe(r: Fetched): string {
  const loc = r.headers.get("location");
  return `HTTP ${r.status}${loc ? ` -> ${loc}` : ""}${r.text ? `: ${summarizeBody(r.text, 300)}` : ""}`;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type: string;
  scope?: string;
}

export function parseTokenResponse(r: Fetched, what: string): TokenSet {
  if (r.status !== 200) throw new Error(`${what}: ${describe(r)}`);
  const body = JSON.parse(r.text) as TokenSet;
  if (!body.access_token) throw new Error(`${what}: no access_token in ${r.text.slice(0, 300)}`);
  return body;
}

/** The protected header of a JWS (to check what a server signs with). */
export function jwsHeader(token: string): Record<string, unknown> | null {
  return jwsPart(token, 0);
}

/** The claims of a JWT, unverified (what the probe reports), or null. */
export function jwtClaims(token: string): Record<string, unknown> | null {
  return jwsPart(token, 1);
}

function jwsPart(token: string, index: 0 | 1): Record<string, unknown> | null {
  const parts = token.split(".");
  const part = parts[index];
  if (!part || parts.length !== 3) return null;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}
