// Server-action request bodies, checked before Next decodes them. Next answers any body its
// decoder (React's decodeReply / decodeAction) cannot read with a 500, so a stray or hostile POST
// showed a server error. This accepts only the shapes React's encodeReply produces for what the
// portal's forms send (a form's FormData, plain JSON values, a form's previous state) and refuses
// everything else with a reason; the request listener answers those with a 400 page.
//
// The format (React's "reply" encoding): the arguments are JSON in which a string starting with
// "$" is special. A multipart body holds numbered parts (chunks, field names `<prefix><decimal
// id>`); "$<hex id>", "$@<hex id>" (a promise), "$Q<hex id>" (a Map) and "$W<hex id>" (a Set) point
// at another chunk; "$K<hex>" is a FormData whose fields are prefixed `<prefix>_<hex>_`; the rest
// are scalars. A text body is a single chunk.

/** Why the body cannot be a server-action call, or null when it can. */
export type BodyVerdict = string | null;

/** Strings that stand for a value and point at no chunk. */
const SCALAR = /^\$(?:\$[\s\S]*|undefined|NaN|Infinity|-Infinity|-0|T|H|D[\s\S]*|n-?\d{1,300}|K[0-9a-f]{1,8})$/;
/** Strings that point at a chunk: kind ("" object, @ promise, Q Map, W Set), hex id. */
const REFERENCE = /^\$([@QW]?)([0-9a-f]{1,8})$/;
/** More chunks than this is not a form. */
const MAX_CHUNKS = 1000;

type Chunks = (id: number) => string | undefined;
/** Where a chunk sits in the body, for a body React decodes as it streams in. */
type Position = (id: number) => number;

/**
 * Walks the chunk graph from `rootId`: every chunk is JSON, every "$" string is one of the
 * shapes above, every reference points at an existing chunk of the right kind, and no chunk
 * refers back to one it is part of or (with `position`) to one after it; React refuses both as
 * "Invalid forward reference".
 */
function checkGraph(chunk: Chunks, rootId: number, rootMustBe: "array" | "any", position?: Position): BodyVerdict {
  const done = new Set<number>();
  const open = new Set<number>();
  // Iterative: a deeply nested value must not overflow the stack.
  const visit = (id: number, kind: string): BodyVerdict => {
    if (open.has(id)) return "a part refers to itself";
    if (done.has(id)) return null;
    if (done.size + open.size >= MAX_CHUNKS) return "too many parts";
    const text = chunk(id);
    if (text === undefined) return `part ${id} is missing`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `part ${id} is not JSON`;
    }
    if ((kind === "Q" || kind === "W" || (id === rootId && rootMustBe === "array")) && !Array.isArray(value)) {
      return `part ${id} is not a list`;
    }
    if (kind === "Q" && !(value as unknown[]).every((e) => Array.isArray(e) && e.length === 2)) return `part ${id} is not a map`;
    open.add(id);
    const stack: unknown[] = [value];
    while (stack.length) {
      const v = stack.pop();
      if (typeof v === "string") {
        if (v[0] !== "$" || SCALAR.test(v)) continue;
        const ref = REFERENCE.exec(v);
        if (!ref) return `unsupported value ${JSON.stringify(v.slice(0, 12))}`;
        const target = parseInt(ref[2]!, 16);
        // Streamed in (a multipart call from the page's scripts), a chunk can only use the
        // chunks before it, except through a promise; React's client writes them in that order.
        if (position && ref[1] !== "@" && !(position(target) < position(id))) return `part ${id} refers to a later part`;
        const why = visit(target, ref[1]!);
        if (why) return why;
      } else if (Array.isArray(v)) {
        stack.push(...v);
      } else if (v !== null && typeof v === "object") {
        stack.push(...Object.values(v));
      }
    }
    open.delete(id);
    done.add(id);
    return null;
  };
  return visit(rootId, "");
}

async function formData(contentType: string, body: Uint8Array): Promise<FormData | null> {
  try {
    return await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
  } catch {
    return null;
  }
}

const textField = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/**
 * A server-action POST: `actionHeader` is the Next-Action header (a call from the page's
 * scripts), absent for a form posted natively (JavaScript off or not loaded yet).
 */
export async function checkServerActionBody(contentType: string, actionHeader: string | null, body: Uint8Array): Promise<BodyVerdict> {
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  if (actionHeader !== null && !multipart) {
    // A single chunk: the argument list itself.
    const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
    return checkGraph((id) => (id === 0 ? text : undefined), 0, "array");
  }
  if (!multipart) return null; // not an action: Next renders the page
  const form = await formData(contentType, body);
  if (!form) return "the form data cannot be read";
  if (actionHeader !== null) {
    const order = [...new Set(form.keys())];
    return checkGraph((id) => textField(form, String(id)), 0, "array", (id) => order.indexOf(String(id)));
  }
  // A native form post: `$ACTION_REF_<n>` names a bound action whose `$ACTION_<n>:0` part is
  // {id, bound}, `bound` being null or a promise of the bound argument list (part `$ACTION_<n>:<m>`).
  for (const name of form.keys()) {
    const n = /^\$ACTION_REF_(\d{1,6})$/.exec(name)?.[1];
    if (n === undefined) continue;
    const prefix = `$ACTION_${n}:`;
    let head: unknown;
    try {
      head = JSON.parse(textField(form, `${prefix}0`) ?? "");
    } catch {
      return "the form's action is not readable";
    }
    if (head === null || typeof head !== "object" || typeof (head as { id?: unknown }).id !== "string") return "the form's action is not readable";
    const bound = (head as { bound?: unknown }).bound;
    if (bound === null || bound === undefined) continue;
    const ref = typeof bound === "string" ? /^\$@([0-9a-f]{1,8})$/.exec(bound) : null;
    if (!ref) return "the form's bound arguments are not readable";
    const why = checkGraph((id) => textField(form, prefix + id), parseInt(ref[1]!, 16), "array");
    if (why) return why;
  }
  return null;
}
