// One HTTP exchange as the client saw it: the request (secret masked), the response (status,
// the headers that matter, the JSON), a plain-words explanation, and any decoded tokens.
import { Alert } from "@/components/ui";
import type { Exchange } from "@/lib/inspector/run";
import { CodeBlock } from "./code-block";
import { DecodedTokenView } from "./decoded-token";

function responseText(e: Exchange): string {
  const r = e.response;
  const head = [`HTTP/1.1 ${r.status} ${r.statusText}`.trim(), ...r.headers.map(([k, v]) => `${k}: ${v}`)].join("\n");
  const body = r.json !== null ? JSON.stringify(r.json, null, 2) : r.text;
  return body ? `${head}\n\n${body}` : `${head}\n\n(empty body)`;
}

export function HttpExchange({ exchange }: { exchange: Exchange }) {
  const e = exchange;
  return (
    <article className="flex flex-col gap-3" aria-label={e.title} data-exchange={e.title} data-status={e.response.status}>
      <h3 className="flex flex-wrap items-center gap-2 font-semibold text-neutral-900">
        {e.title}
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${e.ok ? "bg-green-100 text-green-800" : "bg-red-100 text-red-800"}`}>
          {e.response.status} {e.response.statusText}
        </span>
      </h3>
      <div className="grid gap-3 lg:grid-cols-2">
        <div className="min-w-0">
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">Request</p>
          <CodeBlock label={`${e.title}: request`}>{e.request.raw}</CodeBlock>
        </div>
        <div className="min-w-0">
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">Response</p>
          <CodeBlock label={`${e.title}: response`}>{responseText(e)}</CodeBlock>
        </div>
      </div>
      {e.explanation ? (
        <Alert tone={e.ok ? "info" : "error"} title={e.ok ? undefined : "Why it failed"}>
          {e.explanation}
        </Alert>
      ) : null}
      {e.tokens.map((t) => (
        <DecodedTokenView key={t.kind} token={t} />
      ))}
    </article>
  );
}
