// A JWT from a token response: signature verdict, header, claims (each explained), checks.
import type { DecodedToken } from "@/lib/inspector/jwt";
import { Checks } from "./checks";
import { ExplainedList } from "./explained-list";

const titles = { access_token: "Access token (JWT, RFC 9068)", id_token: "ID token (OpenID Connect)" } as const;

export function DecodedTokenView({ token }: { token: DecodedToken }) {
  const sig = token.signature;
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-neutral-200 p-3 sm:p-4" data-token={token.kind}>
      <h4 className="font-semibold text-neutral-900">{titles[token.kind]}</h4>
      <p className={`rounded-md px-3 py-2 text-sm font-medium break-all ${sig.valid ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`} data-signature>
        {sig.valid ? `Signature valid, key ${sig.kid}, alg ${sig.alg}` : `Signature NOT valid: ${sig.reason}`}
        <span className="block text-xs font-normal break-normal">Checked against the keys the server publishes at /.well-known/jwks.json.</span>
      </p>
      <div>
        <h5 className="mb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">Header</h5>
        <ExplainedList items={token.header} label={`${titles[token.kind]} header`} />
      </div>
      <div>
        <h5 className="mb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">Claims</h5>
        <ExplainedList items={token.claims} label={`${titles[token.kind]} claims`} />
      </div>
      <div>
        <h5 className="mb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">What a client checks</h5>
        <Checks items={token.checks} label={`${titles[token.kind]} checks`} />
      </div>
    </div>
  );
}
