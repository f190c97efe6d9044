// CPU of the refresh_token grant in process, on SQLite: `npx tsx bench/refresh-cpu.ts [N]`
// (default 5,000) runs N rotations in one chain, one after another, and prints the process's CPU
// (process.cpuUsage: the main thread and the SQLite writer's thread) per rotation, with the retry
// grace on (the response sealed, AES-256-GCM under an HKDF key) and off (REFRESH_REUSE_GRACE_SECONDS=0),
// in alternating rounds so that a loaded machine weighs on both alike. The figures are in
// docs/operations.md, "Refresh tokens and lost responses".
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { migrateDeploy } from "../scripts/lib/prisma";
import { createDb, prepareDb } from "../lib/db/client";
import { clientStore } from "../lib/db/clients";
import { keyStore } from "../lib/db/keys";
import { protocolStores } from "../lib/db/protocol";
import { createSql } from "../lib/db/protocol/sql";
import { userStore } from "../lib/db/users";
import { createKeyRing } from "../lib/keys/keyring";
import { planRefreshToken } from "../lib/oauth/tokens";
import { refreshTokenGrant } from "../lib/oauth/grants/refresh-token";
import { clientMetadataSchema } from "../lib/oauth/client-metadata";
import type { OAuthDeps } from "../lib/oauth/types";

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = 6;
const ISSUER = "https://id.bench";

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-refresh-cpu-"));
const url = `file:${path.join(dir, "bench.db")}`;
migrateDeploy({ ...process.env, DATABASE_URL: url });
const db = createDb(url);
await prepareDb(db, url);
const sql = createSql(url);
try {
  const stores = protocolStores(db, sql);
  const deps: OAuthDeps = {
    issuer: ISSUER,
    lifetimes: { authorizationCode: 60, accessToken: 600, idToken: 3600, refreshIdle: 3600, refreshAbsolute: 86400 },
    refreshReuseGrace: { seconds: 60, max: 20 },
    stores,
    keys: createKeyRing(keyStore(db), { issuer: ISSUER, secret: "b".repeat(48), retiredRetentionSeconds: 86400 }),
    now: () => new Date(),
  };
  const user = await userStore(db).create({ email: "bench@bench.invalid", passwordHash: "x" });
  const meta = clientMetadataSchema.parse({ client_name: "Bench", redirect_uris: ["https://b.test/cb"], grant_types: ["authorization_code", "refresh_token"] });
  const created = await clientStore(db).create(meta, null);
  const client = (await stores.clients.findByClientId(created.client_id))!;

  /** A new family's first refresh token, stored as a code redemption stores it. */
  async function family(): Promise<string> {
    const grantId = randomUUID();
    const ctx = { client, userId: user.id, scope: ["openid", "offline_access"], grantId, authTime: new Date(), amr: ["pwd"], sessionId: "sid-bench" };
    const first = planRefreshToken(deps, ctx, new Date());
    const code = { id: randomUUID(), codeHash: randomUUID(), grantId, clientId: client.id, userId: user.id, sessionId: "sid-bench", redirectUri: "https://b.test/cb", redirectUriGiven: true, scope: ctx.scope, nonce: null, codeChallenge: null, codeChallengeMethod: null, authTime: new Date(), amr: ctx.amr, expiresAt: new Date(Date.now() + 60_000) };
    await stores.codes.create(code);
    const access = { jti: randomUUID(), grantId, clientId: client.id, userId: user.id, scope: ctx.scope, expiresAt: new Date(Date.now() + 600_000) };
    if (!(await stores.tokens.redeemCode(code.id, new Date(), access, first.record))) throw new Error("redeem failed");
    return first.token;
  }

  async function round(graceSeconds: number, n: number): Promise<number> {
    deps.refreshReuseGrace = { seconds: graceSeconds, max: 20 };
    let token = await family();
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const r = await refreshTokenGrant(deps, client, new Map([["grant_type", "refresh_token"], ["refresh_token", token]]));
      token = r.refresh_token!;
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n; // µs per rotation
  }

  await round(60, 300); // warm-up: JIT, prepared statements, keys
  await round(0, 300);
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating, each first every other round.
    if (r % 2 === 0) {
      on.push(await round(60, N / ROUNDS));
      off.push(await round(0, N / ROUNDS));
    } else {
      off.push(await round(0, N / ROUNDS));
      on.push(await round(60, N / ROUNDS));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" ");
  console.log(`rotations: ${N} per setting, ${ROUNDS} alternating rounds; CPU µs per rotation (main + writer thread)`);
  console.log(`grace on  (sealed response): median ${median(on).toFixed(0)}  rounds ${fmt(on)}`);
  console.log(`grace off (nothing sealed):  median ${median(off).toFixed(0)}  rounds ${fmt(off)}`);
  console.log(`difference: ${(median(on) - median(off)).toFixed(0)} µs per rotation (${(((median(on) - median(off)) / median(off)) * 100).toFixed(1)} %)`);
} finally {
  await sql.close();
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
}
