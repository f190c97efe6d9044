// Fault: refresh responses lost on the wire (issue 18 §1). Against a running server, runs N
// refresh chains; a share of the refreshes is sent and the connection dropped before a byte of the
// answer is read (as a client that timed out or crashed), then retried with the same token; every
// few steps a chain sends a burst of parallel refreshes of one token (two tabs, an MCP host's
// parallel calls). Prints how many chains survived: all should, as long as retries come within
// REFRESH_REUSE_GRACE_SECONDS.
//
//   DATABASE_URL=<the server's> npx tsx scripts/faults/refresh-lost-responses.ts \
//     [--url http://127.0.0.1:3201] [--chains 200] [--steps 30] [--drop 0.01] [--burst 8] [--burst-every 10] [--concurrency 16]
//
// Start the server with RATE_LIMIT_PER_CLIENT=0 RATE_LIMIT_PER_ADDRESS=0: the chains all come from one
// client and one address, above the default limits (README, "Rate limits").
//
// Set-up goes straight to the server's database (the CLI's stores, as e2e/support/cli.ts does in
// process): a user, a confidential client, and one authorization code per chain, redeemed at the
// server. Exit status 0 only when every chain survived.
import { randomBytes, randomUUID } from "node:crypto";
import { connect } from "node:net";
import { parseArgs } from "node:util";
import { databaseUrl } from "../../lib/config/database-url";
import { createDb, prepareDb } from "../../lib/db/client";
import { clientStore } from "../../lib/db/clients";
import { protocolStores } from "../../lib/db/protocol";
import { createSql } from "../../lib/db/protocol/sql";
import { userStore } from "../../lib/db/users";
import { randomToken, sha256 } from "../../lib/crypto/tokens";
import { clientMetadataSchema } from "../../lib/oauth/client-metadata";
import { s256 } from "../../lib/oauth/pkce";

const { values: opt } = parseArgs({
  options: {
    url: { type: "string", default: process.env.LATCHKEY_URL ?? "http://127.0.0.1:3201" },
    chains: { type: "string", default: "200" },
    steps: { type: "string", default: "30" },
    drop: { type: "string", default: "0.01" },
    burst: { type: "string", default: "8" },
    "burst-every": { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
  },
});
const URL_ = new URL(opt.url);
const CHAINS = Number(opt.chains);
const STEPS = Number(opt.steps);
const DROP = Number(opt.drop);
const BURST = Number(opt.burst);
const BURST_EVERY = Number(opt["burst-every"]);
const CONCURRENCY = Number(opt.concurrency);
const REDIRECT = "https://fault.test/cb";

const counts = { refreshes: 0, dropped: 0, retried: 0, bursts: 0, burstRequests: 0, failures: 0 };
const failures: string[] = [];

interface Creds {
  client_id: string;
  client_secret: string;
}
const basic = (c: Creds) => `Basic ${Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString("base64")}`;

async function tokenRequest(c: Creds, form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const r = await fetch(new URL("/oauth/token", URL_), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(c) },
    body: new URLSearchParams(form),
  });
  return { status: r.status, body: (await r.json()) as Record<string, string> };
}

/** Sends the request and destroys the socket as soon as it is written: the answer is never read. */
function sendAndDrop(c: Creds, form: Record<string, string>): Promise<void> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(URL_.port || 80), URL_.hostname, () => {
      socket.write(
        `POST /oauth/token HTTP/1.1\r\nHost: ${URL_.host}\r\nAuthorization: ${basic(c)}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        () => {
          socket.destroy();
          resolve();
        },
      );
    });
    socket.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One chain: STEPS refreshes, some dropped and retried, a burst every BURST_EVERY steps. */
async function chain(n: number, c: Creds, refreshToken: string): Promise<boolean> {
  let token = refreshToken;
  const fail = (why: string) => {
    counts.failures++;
    if (failures.length < 20) failures.push(`chain ${n}: ${why}`);
    return false;
  };
  for (let step = 0; step < STEPS; step++) {
    const form = { grant_type: "refresh_token", refresh_token: token };
    if (BURST > 1 && step > 0 && step % BURST_EVERY === 0) {
      counts.bursts++;
      counts.burstRequests += BURST;
      const all = await Promise.all(Array.from({ length: BURST }, () => tokenRequest(c, form)));
      const bad = all.find((r) => r.status !== 200);
      if (bad) return fail(`burst at step ${step}: ${bad.status} ${JSON.stringify(bad.body)}`);
      const successors = new Set(all.map((r) => r.body.refresh_token));
      if (successors.size !== 1) return fail(`burst at step ${step}: ${successors.size} different successors`);
      token = all[0]?.body.refresh_token as string;
      continue;
    }
    counts.refreshes++;
    if (Math.random() < DROP) {
      counts.dropped++;
      await sendAndDrop(c, form);
      await sleep(50 + Math.random() * 450); // the client notices the lost answer, then retries
      counts.retried++;
    }
    const r = await tokenRequest(c, form);
    if (r.status !== 200) return fail(`step ${step}: ${r.status} ${JSON.stringify(r.body)}`);
    token = r.body.refresh_token as string;
  }
  // The chain is still alive at its end.
  const last = await tokenRequest(c, { grant_type: "refresh_token", refresh_token: token });
  return last.status === 200 || fail(`final refresh: ${last.status} ${JSON.stringify(last.body)}`);
}

async function main() {
  const url = databaseUrl();
  const db = createDb(url);
  await prepareDb(db, url);
  const sql = createSql(url);
  try {
    const user = await userStore(db).create({ email: `fault-${randomBytes(4).toString("hex")}@fault.invalid`, passwordHash: "x" });
    const meta = clientMetadataSchema.parse({ client_name: "Fault: lost responses", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] });
    const client = (await clientStore(db).create(meta, null)) as Creds & { id: string };
    const stores = protocolStores(db, sql);

    /** A chain's first refresh token: a code stored for it, redeemed at the server. */
    async function start(): Promise<string> {
      const code = randomToken(32);
      const verifier = randomToken(32);
      await stores.codes.create({
        id: randomUUID(),
        codeHash: sha256(code),
        grantId: randomUUID(),
        clientId: client.id,
        userId: user.id,
        sessionId: null,
        redirectUri: REDIRECT,
        redirectUriGiven: true,
        scope: ["openid", "offline_access"],
        resources: [],
        nonce: null,
        codeChallenge: s256(verifier),
        codeChallengeMethod: "S256",
        authTime: new Date(),
        amr: ["pwd"],
        expiresAt: new Date(Date.now() + 600_000),
      });
      const r = await tokenRequest(client, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT });
      if (r.status !== 200) throw new Error(`code redemption: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.refresh_token as string;
    }

    const began = Date.now();
    let next = 0;
    let survived = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, CHAINS) }, async () => {
        while (next < CHAINS) {
          const n = next++;
          if (await chain(n, client, await start())) survived++;
        }
      }),
    );
    const seconds = (Date.now() - began) / 1000;
    const reuse = await db.auditEvent.count({ where: { type: "refresh.reuse_detected", subjectId: user.id } });
    console.log(
      JSON.stringify(
        {
          url: URL_.origin,
          chains: CHAINS,
          survived,
          steps: STEPS,
          ...counts,
          reuseDetected: reuse,
          seconds: Math.round(seconds * 10) / 10,
          failed: failures,
        },
        null,
        2,
      ),
    );
    console.log(`${survived} of ${CHAINS} chains survived (${counts.dropped} responses dropped and retried, ${counts.bursts} bursts of ${BURST}).`);
    process.exitCode = survived === CHAINS ? 0 : 1;
  } finally {
    await sql.close();
    await db.$disconnect();
  }
}

await main();
