// An outbound GET that an anonymous caller can trigger (today: Client ID Metadata Documents,
// lib/oauth/client-documents/), made safe against server-side request forgery
// (draft-ietf-oauth-client-id-metadata-document §6.6, RFC 6890):
// - https only (http only when `allowPrivate` is on, for development and tests);
// - the host is resolved here, once; every address it resolves to must be global unicast
//   (special-addresses.ts), and the socket connects to the address that was checked, through a
//   pinned `lookup`: there is no second resolution to race (no DNS rebinding, no TOCTOU);
// - no redirects: a 3xx is an error (the draft §4: MUST NOT automatically follow redirects);
// - a time limit for the whole exchange (connect, TLS, headers, body) and a size limit on the
//   body, counted as it arrives (Content-Length is not trusted);
// - no compression is asked for, and a compressed answer is refused (no decompression bombs);
// - no connection reuse (`agent: false`): each fetch is its own socket to the checked address.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { classifyAddress } from "./special-addresses";

/** Why a fetch was refused or failed, in words for a developer (never shown as a 5xx). */
export class FetchRefused extends Error {}

export interface SafeFetchOptions {
  /** Development only: allow loopback and private addresses, and plain http. */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  accept: string;
  /** DNS resolution (all addresses); node's resolver unless a test gives another. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface FetchedResponse {
  status: number;
  /** Lower-case names; repeated headers joined by ", ". */
  headers: Record<string, string>;
  body: string;
}

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** The one address to connect to: every address of the host checked first. */
async function checkedAddress(host: string, opts: SafeFetchOptions): Promise<{ address: string; family: number }> {
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await (opts.resolve ?? defaultResolve)(host);
    } catch {
      throw new FetchRefused(`the host ${host} could not be resolved`);
    }
  }
  if (addresses.length === 0) throw new FetchRefused(`the host ${host} could not be resolved`);
  if (!opts.allowPrivate) {
    // All of them, not only the first: a host that also resolves to an internal address is refused.
    for (const a of addresses) {
      const verdict = classifyAddress(a.address);
      if (!verdict.ok) throw new FetchRefused(`the host ${host} resolves to ${a.address}, a ${verdict.range} address, which is not fetched (SSRF protection)`);
    }
  }
  return addresses[0]!;
}

function headerMap(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** GET `url` under the rules above; resolves only with a 200 response, its body decoded as UTF-8. */
export async function safeGet(url: URL, opts: SafeFetchOptions): Promise<FetchedResponse> {
  const secure = url.protocol === "https:";
  if (!secure && !(url.protocol === "http:" && opts.allowPrivate)) throw new FetchRefused(`only https URLs are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchRefused("URLs with credentials are not fetched");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const target = await checkedAddress(host, opts);
  if (deadline.aborted) throw new FetchRefused(`no answer within ${opts.timeoutMs} ms`);
  // The socket connects to the checked address and nothing else.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };

  return new Promise<FetchedResponse>((resolve, reject) => {
    const request = (secure ? https : http).request(url, {
      method: "GET",
      agent: false,
      lookup: pinned,
      headers: { accept: opts.accept, "accept-encoding": "identity", "user-agent": "Latchkey (OAuth client metadata fetcher)" },
      signal: deadline,
    });
    const fail = (message: string) => {
      reject(new FetchRefused(message));
      request.destroy();
    };
    request.on("error", (err) => {
      if (deadline.aborted) fail(`no answer within ${opts.timeoutMs} ms`);
      else fail(`the request failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
    });
    request.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const headers = headerMap(res.headers);
      if (status >= 300 && status < 400) return fail(`the server answered ${status} (a redirect${headers.location ? ` to ${headers.location.slice(0, 200)}` : ""}); redirects are not followed`);
      if (status !== 200) return fail(`the server answered ${status}, not 200`);
      const encoding = (headers["content-encoding"] ?? "identity").trim().toLowerCase();
      if (encoding !== "identity") return fail(`the response is compressed (${encoding.slice(0, 40)}); only identity is accepted`);
      const declared = Number(headers["content-length"]);
      if (Number.isFinite(declared) && declared > opts.maxBytes) return fail(`the response is larger than ${opts.maxBytes} bytes`);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) return fail(`the response is larger than ${opts.maxBytes} bytes`);
        chunks.push(chunk);
      });
      res.on("error", () => fail(deadline.aborted ? `no answer within ${opts.timeoutMs} ms` : "the response was cut off"));
      res.on("end", () => {
        if (size > opts.maxBytes) return;
        try {
          resolve({ status, headers, body: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) });
        } catch {
          fail("the response is not valid UTF-8");
        }
      });
    });
    request.end();
  });
}
