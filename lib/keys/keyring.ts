// The process's signing keys, loaded from the database and decrypted once, then kept in
// memory: no key loading or decryption per request. Re-read every `refreshMs` in the
// background (requests keep using the keys in hand meanwhile; a key already imported is not
// decrypted again), and at once when a token names an unknown kid, so a rotation on another
// instance is picked up.
import { logError } from "../log/logger";
import { createPrivateKey, type JsonWebKey as NodeJwk, type KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWK } from "jose";
import type { KeyRing, SigningAlg } from "../oauth/types";
import { decryptPrivateKey } from "./encryption";
import { SIGNING_ALGS, type NewSigningKey } from "./generate";
import { rotateSigningKeys } from "./rotate";
import { signCompact } from "./jws-sign";

export interface KeyRow {
  kid: string;
  alg: string;
  publicJwk: string;
  privateKeyEnc: string;
  state: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** What the key ring needs of storage (lib/db/keys.ts). */
export interface KeyStore {
  published(retiredSince: Date): Promise<KeyRow[]>;
  rotate(key: NewSigningKey): Promise<KeyRow>;
}

interface Loaded {
  at: number;
  /** node:crypto keys: signing is synchronous (jws-sign.ts says why). */
  signing: Map<SigningAlg, { kid: string; key: KeyObject }>;
  verifying: Map<string, { alg: SigningAlg; key: CryptoKey }>;
  jwks: { keys: Record<string, unknown>[] };
}

export interface KeyRingOptions {
  issuer: string;
  secret: string;
  /** How long retired keys stay published (so tokens they signed keep verifying). */
  retiredRetentionSeconds: number;
  refreshMs?: number;
  now?: () => number;
}

export function createKeyRing(store: KeyStore, opts: KeyRingOptions): KeyRing & { reload(): Promise<void> } {
  const refreshMs = opts.refreshMs ?? 30_000;
  const now = opts.now ?? Date.now;
  let loaded: Loaded | null = null;
  let loading: Promise<Loaded> | null = null;
  let lastForcedReload = 0;

  async function load(previous: Loaded | null): Promise<Loaded> {
    let rows = await store.published(new Date(now() - opts.retiredRetentionSeconds * 1000));
    // First start: every algorithm we sign with gets a key.
    const missing = SIGNING_ALGS.filter((alg) => !rows.some((r) => r.alg === alg && r.state === "active"));
    if (missing.length) {
      await rotateSigningKeys(store, opts.secret, missing);
      rows = await store.published(new Date(now() - opts.retiredRetentionSeconds * 1000));
    }
    const signing: Loaded["signing"] = new Map();
    const verifying: Loaded["verifying"] = new Map();
    const jwks: Record<string, unknown>[] = [];
    const signingByKid = new Map([...(previous?.signing.values() ?? [])].map((k) => [k.kid, k]));
    for (const r of rows) {
      const alg = r.alg as SigningAlg;
      const pub = JSON.parse(r.publicJwk) as JWK;
      verifying.set(r.kid, previous?.verifying.get(r.kid) ?? { alg, key: (await importJWK(pub, alg)) as CryptoKey });
      jwks.push(pub);
      if (r.state === "active" && !signing.has(alg)) {
        const known = signingByKid.get(r.kid);
        if (known) signing.set(alg, known);
        else {
          const priv = JSON.parse(decryptPrivateKey(r.privateKeyEnc, opts.secret, r.kid)) as JWK;
          signing.set(alg, { kid: r.kid, key: createPrivateKey({ key: priv as NodeJwk, format: "jwk" }) });
        }
      }
    }
    return { at: now(), signing, verifying, jwks: { keys: jwks } };
  }

  function refresh(): Promise<Loaded> {
    loading ??= load(loaded)
      .then((l) => (loaded = l))
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function current(force = false): Promise<Loaded> {
    if (loaded && !force) {
      if (now() - loaded.at >= refreshMs && !loading) {
        // Stale: re-read in the background; this request goes on with the keys in hand.
        refresh().catch((err: unknown) => logError("Reloading signing keys failed (keeping the current ones)", err));
      }
      return loaded;
    }
    return refresh();
  }

  async function keyFor(jwt: string): Promise<{ alg: SigningAlg; key: CryptoKey }> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jwt).kid;
    } catch {
      throw new Error("malformed token");
    }
    if (!kid) throw new Error("token has no kid");
    let k = (await current()).verifying.get(kid);
    // An unknown kid may be a key rotated in on another instance: re-read, at most once a second.
    if (!k && now() - lastForcedReload > 1000) {
      lastForcedReload = now();
      k = (await current(true)).verifying.get(kid);
    }
    if (!k) throw new Error("unknown signing key");
    return k;
  }

  return {
    async sign(alg, payload, typ) {
      const k = (await current()).signing.get(alg);
      if (!k) throw new Error(`no active ${alg} key`);
      return signCompact(alg, k.key, { kid: k.kid, typ }, payload);
    },

    async verify(jwt, { typ, audience, allowExpired }) {
      const { alg, key } = await keyFor(jwt);
      if (allowExpired) {
        // id_token_hint (RP-Initiated Logout §2) may be expired: check the signature and issuer only.
        const { payload, protectedHeader } = await compactVerify(jwt, key, { algorithms: [alg] });
        if (typ && protectedHeader.typ !== typ) throw new Error("unexpected typ");
        const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
        if (claims.iss !== opts.issuer) throw new Error("unexpected iss");
        return claims;
      }
      const { payload } = await jwtVerify(jwt, key, {
        algorithms: [alg],
        issuer: opts.issuer,
        typ,
        audience,
        currentDate: new Date(now()),
      });
      return payload as Record<string, unknown>;
    },

    async jwks() {
      return (await current()).jwks;
    },

    async reload() {
      await current(true);
    },
  };
}
