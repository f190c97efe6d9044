// A relying party's callback for response_mode=form_post (OAuth 2.0 Form Post Response Mode):
// a loopback server that records what the browser POSTs to /callback and then, as real
// relying-party libraries do, redirects the browser within its own site (303 to /signed-in).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";

export interface ReceivedPost {
  url: string;
  contentType: string;
  body: string;
}

export class FormPostCallback {
  /** Every POST to /callback, in order. */
  readonly posts: ReceivedPost[] = [];
  /** Every GET the server received (any path): a response in a URL would show here. */
  readonly gets: string[] = [];
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<FormPostCallback> {
    const callback = new FormPostCallback();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", callback.origin);
      if (req.method === "POST" && url.pathname === "/callback") {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => {
          body += chunk;
        });
        req.on("end", () => {
          callback.posts.push({ url: url.href, contentType: req.headers["content-type"] ?? "", body });
          res.writeHead(303, { location: "/signed-in", "cache-control": "no-store" });
          res.end();
        });
        return;
      }
      callback.gets.push(url.href);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end('<!doctype html><html><head><link rel="icon" href="data:,"><title>client</title></head><body><h1>Signed in at the client</h1></body></html>');
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    callback.server = server;
    callback.port = (server.address() as AddressInfo).port;
    return callback;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get redirectUri(): string {
    return `${this.origin}/callback`;
  }

  /** Waits for POST number `n` (1-based) and returns its fields; the browser must then be on /signed-in. */
  async received(n: number): Promise<URLSearchParams> {
    await expect.poll(() => this.posts.length, { message: `the browser posts the response to ${this.redirectUri}` }).toBeGreaterThanOrEqual(n);
    const post = this.posts[n - 1]!;
    expect(post.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    return new URLSearchParams(post.body);
  }

  /** The POST as a Web Request, as a relying-party library takes it. */
  request(n: number): Request {
    const post = this.posts[n - 1]!;
    return new Request(post.url, { method: "POST", headers: { "content-type": post.contentType }, body: post.body });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
