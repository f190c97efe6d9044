// New signing key pairs with jose. kid = the RFC 7638 thumbprint of the public key.
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { encryptPrivateKey } from "./encryption";

/** A key pair as stored: the public JWK, and the private JWK encrypted with the app secret. */
export interface NewSigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  privateKeyEnc: string;
}

export const SIGNING_ALGS = ["ES256", "RS256"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export async function generateSigningKey(alg: SigningAlg, secret: string): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: "sig" }),
    privateKeyEnc: encryptPrivateKey(JSON.stringify(privateJwk), secret, kid),
  };
}
