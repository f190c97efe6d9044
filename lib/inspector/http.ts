// Steps D and E and the calls after them: the exact HTTP request a client sends (with the
// client secret masked for display), sent to a Web handler, and the response as received.
import type { AuthMethod } from "./errors";

export type WebHandler = (req: Request) => Promise<Response>;

export interface OutgoingRequest {
  method: "GET" | "POST";
  url: string;
  headers: [string, string][];
  /** application/x-www-form-urlencoded body, in order. */
  form: [string, string][] | null;
}

export interface ShownRequest extends OutgoingRequest {
  /** The request line, headers and body as text, the secret masked. */
  raw: string;
}

export interface ShownResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** The parsed JSON body, or null for an empty body. */
  json: unknown;
  text: string;
}

export const MASK = "••••••••";

/** The headers worth showing: the ones a client must look at. */
const SHOWN_HEADERS = ["content-type", "cache-control", "pragma", "www-authenticate"];

const STATUS_TEXT: Record<number, string> = { 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 405: "Method Not Allowed", 500: "Internal Server Error" };

export interface ClientAuth {
  clientId: string;
  method: AuthMethod;
  /** Typed in by the developer for this one request; never stored. */
  secret: string | null;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ":" and base64-encoded. */
const formEncode = (s: string) => new URLSearchParams([["", s]]).toString().slice(1);
export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString("base64")}`;
}

/** A form POST authenticated the way the client registered (RFC 6749 §2.3.1, OIDC Core §9). */
export function formPost(url: string, auth: ClientAuth, params: [string, string][]): OutgoingRequest {
  const headers: [string, string][] = [
    ["Content-Type", "application/x-www-form-urlencoded"],
    ["Accept", "application/json"],
  ];
  const form = [...params];
  if (auth.method === "client_secret_basic") headers.unshift(["Authorization", basicAuthorization(auth.clientId, auth.secret ?? "")]);
  else form.push(["client_id", auth.clientId]);
  if (auth.method === "client_secret_post") form.push(["client_secret", auth.secret ?? ""]);
  return { method: "POST", url, headers, form };
}

/** RFC 6750 §2.1: the access token in the Authorization header. */
export function bearerGet(url: string, accessToken: string): OutgoingRequest {
  return { method: "GET", url, headers: [["Authorization", `Bearer ${accessToken}`], ["Accept", "application/json"]], form: null };
}

/** The request for display: the client secret (and the Basic credentials that carry it) masked. */
export function shown(req: OutgoingRequest): ShownRequest {
  const headers = req.headers.map(([k, v]): [string, string] =>
    k === "Authorization" && v.startsWith("Basic ") ? [k, `Basic ${MASK}  (base64 of client_id:client_secret)`] : [k, v],
  );
  const form = req.form?.map(([k, v]): [string, string] => (k === "client_secret" ? [k, MASK] : [k, v])) ?? null;
  const u = new URL(req.url);
  const lines = [`${req.method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  const body = form ? form.map(([k, v]) => (k === "client_secret" ? `${k}=${MASK}` : new URLSearchParams([[k, v]]).toString())).join("&") : "";
  return { ...req, headers, form, raw: body ? `${lines.join("\n")}\n\n${body}` : lines.join("\n") };
}

export function toRequest(req: OutgoingRequest): Request {
  const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
  return new Request(req.url, { method: req.method, headers: req.headers, body });
}

export async function readResponse(res: Response): Promise<ShownResponse> {
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  const headers: [string, string][] = [];
  for (const name of SHOWN_HEADERS) {
    const v = res.headers.get(name);
    if (v !== null) headers.push([name, v]);
  }
  return { status: res.status, statusText: STATUS_TEXT[res.status] ?? "", headers, json, text };
}

/** Sends the request to the handler and reads the whole response. */
export async function send(handler: WebHandler, req: OutgoingRequest): Promise<ShownResponse> {
  return readResponse(await handler(toRequest(req)));
}

/** {error, error_description} of an OAuth error body, if it is one. */
export function oauthErrorOf(body: unknown): { error: string; description: string | null } | null {
  if (typeof body !== "object" || body === null || !("error" in body) || typeof body.error !== "string") return null;
  const d = "error_description" in body && typeof body.error_description === "string" ? body.error_description : null;
  return { error: body.error, description: d };
}
