// The floors measured in the same run: what one core can sign with our algorithm, and what a
// server that does nothing answers at the same concurrency.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { generateKeyPair, SignJWT } from "jose";

export interface JoseFloor {
  alg: "ES256";
  durationS: number;
  signatures: number;
  perSecond: number;
}

/**
 * ES256 signatures of an access-token-sized JWT, one after another (one at a time, so one core
 * at most), for `seconds`. Run while nothing else of the benchmark is busy.
 */
export async function joseSigningFloor(seconds: number): Promise<JoseFloor> {
  const { privateKey } = await generateKeyPair("ES256");
  const base = { iss: "http://127.0.0.1:1", aud: "http://127.0.0.1:1", client_id: "bench", scope: "" };
  const sign = () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...base, sub: "bench", jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "bench" })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
  };
  for (let i = 0; i < 200; i++) await sign(); // warm-up (JIT, key import paths)
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await sign();
    n++;
  }
  const durationS = (performance.now() - start) / 1000;
  return { alg: "ES256", durationS: Math.round(durationS * 100) / 100, signatures: n, perSecond: Math.round(n / durationS) };
}
