// A software WebAuthn authenticator for unit tests (tests only): it answers registration and
// authentication options the way a browser with a platform authenticator would (W3C WebAuthn
// §6.1 authenticator data, §6.5 attestation "none", §6.3.3 assertion signature over
// authenticatorData || SHA-256(clientDataJSON)), with an ES256 key, a signature counter and a
// user-verification flag the test controls. So the server-side checks run against real answers.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64u = (b: Uint8Array | Buffer | string) => Buffer.from(b).toString("base64url");
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export interface SoftCredential {
  id: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
  /** Backup eligible and backed up: a synced passkey (multiDevice). */
  synced: boolean;
}

export interface SoftAuthenticatorOptions {
  origin: string;
  rpId: string;
}

function counterBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function flags(uv: boolean, synced: boolean, attested: boolean): number {
  return FLAG_UP | (uv ? FLAG_UV : 0) | (synced ? FLAG_BE | FLAG_BS : 0) | (attested ? FLAG_AT : 0);
}

/** The COSE_Key (RFC 9052 §7; EC2, P-256, ES256) of a P-256 public key. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  const m = new Map<number, number | Uint8Array>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
    [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
  ]);
  return isoCBOR.encode(m);
}

export function softAuthenticator(opts: SoftAuthenticatorOptions) {
  const clientData = (type: string, challenge: string, origin = opts.origin) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    /** Answers registration options (PublicKeyCredentialCreationOptionsJSON) with a new credential. */
    register(
      options: { challenge: string; user: { id: string } },
      o: { uv?: boolean; synced?: boolean; counter?: number; origin?: string; rpId?: string } = {},
    ): { json: string; credential: SoftCredential } {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const credId = randomBytes(16);
      const synced = o.synced ?? true;
      const authData = Buffer.concat([
        sha(o.rpId ?? opts.rpId),
        Buffer.from([flags(o.uv ?? true, synced, true)]),
        counterBytes(o.counter ?? 0),
        Buffer.alloc(16), // AAGUID: none
        Buffer.from([0, credId.length]),
        credId,
        Buffer.from(coseKey(publicKey)),
      ]);
      const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", new Uint8Array(authData)]]) as never);
      const json = JSON.stringify({
        id: b64u(credId),
        rawId: b64u(credId),
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64u(clientData("webauthn.create", options.challenge, o.origin)),
          attestationObject: b64u(attestationObject),
          transports: ["internal", "hybrid"],
        },
      });
      return { json, credential: { id: b64u(credId), userHandle: options.user.id, privateKey, counter: o.counter ?? 0, synced } };
    },

    /** Answers authentication options with an assertion by `cred`; its counter moves on by `step` (0: keeps none). */
    assert(
      cred: SoftCredential,
      options: { challenge: string },
      o: { uv?: boolean; step?: number; origin?: string; rpId?: string; userHandle?: string | null } = {},
    ): string {
      cred.counter += o.step ?? 1;
      const authData = Buffer.concat([sha(o.rpId ?? opts.rpId), Buffer.from([flags(o.uv ?? true, cred.synced, false)]), counterBytes(cred.counter)]);
      const cd = clientData("webauthn.get", options.challenge, o.origin);
      const signature = sign("sha256", Buffer.concat([authData, sha(cd)]), cred.privateKey);
      return JSON.stringify({
        id: cred.id,
        rawId: cred.id,
        type: "public-key",
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64u(cd),
          authenticatorData: b64u(authData),
          signature: b64u(signature),
          ...(o.userHandle === null ? {} : { userHandle: o.userHandle ?? cred.userHandle }),
        },
      });
    },
  };
}
