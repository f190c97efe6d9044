import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FetchRefused, safeGet, type SafeFetchOptions } from "./safe-fetch";

let server: http.Server;
let base: string;
let lastRequest: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    lastRequest = req.headers;
    const path = req.url ?? "/";
    if (path === "/doc") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" });
      res.end('{"ok":true}');
    } else if (path === "/redirect") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    } else if (path === "/missing") {
      res.writeHead(404);
      res.end("no");
    } else if (path === "/big-declared") {
      res.writeHead(200, { "content-length": "6000" });
      res.end("x".repeat(6000));
    } else if (path === "/big-chunked") {
      res.writeHead(200);
      res.write("x".repeat(3000));
      res.end("x".repeat(3000));
    } else if (path === "/gzip") {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end("....");
    } else if (path === "/slow") {
      res.writeHead(200);
      res.write("{");
      // never ends
    } else if (path === "/latin1") {
      res.writeHead(200);
      res.end(Buffer.from([0xff, 0xfe, 0x41]));
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const dev: SafeFetchOptions = { allowPrivate: true, maxBytes: 5120, timeoutMs: 2000, accept: "application/json" };
const prod: SafeFetchOptions = { ...dev, allowPrivate: false };

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FetchRefused);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("safeGet", () => {
  it("fetches a 200 response with Accept and without compression when private addresses are allowed", async () => {
    const r = await safeGet(new URL(`${base}/doc`), dev);
    expect(r).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(r.headers["cache-control"]).toBe("max-age=60");
    expect(lastRequest.accept).toBe("application/json");
    expect(lastRequest["accept-encoding"]).toBe("identity");
  });

  it("refuses loopback, private and link-local addresses when not allowed, before connecting", async () => {
    expect(await refusal(safeGet(new URL(`${base}/doc`), prod))).toBe("only https URLs are fetched, not http:");
    expect(await refusal(safeGet(new URL("https://127.0.0.1/doc"), prod))).toBe(
      "the host 127.0.0.1 resolves to 127.0.0.1, a loopback address, which is not fetched (SSRF protection)",
    );
    expect(await refusal(safeGet(new URL("https://[::ffff:10.0.0.1]/doc"), prod))).toMatch(/a private address/);
    expect(await refusal(safeGet(new URL("https://[fe80::1]/doc"), prod))).toMatch(/a linkLocal address/);
    const resolve = vi.fn(async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ]);
    expect(await refusal(safeGet(new URL("https://mixed.example/doc"), { ...prod, resolve }))).toBe(
      "the host mixed.example resolves to 169.254.169.254, a linkLocal address, which is not fetched (SSRF protection)",
    );
  });

  it("resolves once and connects to the address it checked (no second resolution)", async () => {
    const port = (server.address() as AddressInfo).port;
    const resolve = vi.fn(async () => [{ address: "127.0.0.1", family: 4 }]);
    // doc.invalid resolves nowhere in real DNS: only the pinned address can answer.
    const r = await safeGet(new URL(`http://doc.invalid:${port}/doc`), { ...dev, resolve });
    expect(r.status).toBe(200);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(lastRequest.host).toBe(`doc.invalid:${port}`);
  });

  it("does not follow redirects", async () => {
    expect(await refusal(safeGet(new URL(`${base}/redirect`), dev))).toBe(
      "the server answered 302 (a redirect to http://169.254.169.254/latest/meta-data/); redirects are not followed",
    );
  });

  it("refuses any status but 200", async () => {
    expect(await refusal(safeGet(new URL(`${base}/missing`), dev))).toBe("the server answered 404, not 200");
  });

  it("refuses bodies over the size limit, declared or not", async () => {
    expect(await refusal(safeGet(new URL(`${base}/big-declared`), dev))).toBe("the response is larger than 5120 bytes");
    expect(await refusal(safeGet(new URL(`${base}/big-chunked`), dev))).toBe("the response is larger than 5120 bytes");
  });

  it("refuses compressed and non-UTF-8 bodies", async () => {
    expect(await refusal(safeGet(new URL(`${base}/gzip`), dev))).toBe("the response is compressed (gzip); only identity is accepted");
    expect(await refusal(safeGet(new URL(`${base}/latin1`), dev))).toBe("the response is not valid UTF-8");
  });

  it("gives up after the time limit", async () => {
    expect(await refusal(safeGet(new URL(`${base}/slow`), { ...dev, timeoutMs: 300 }))).toBe("no answer within 300 ms");
  });

  it("reports a host that does not resolve", async () => {
    const resolve = async () => {
      throw new Error("ENOTFOUND");
    };
    expect(await refusal(safeGet(new URL("https://nowhere.invalid/doc"), { ...prod, resolve }))).toBe(
      "the host nowhere.invalid could not be resolved",
    );
  });
});
