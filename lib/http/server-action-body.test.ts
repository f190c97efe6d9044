// Server-action bodies: what the portal's own pages send is accepted (encoded by React's own
// client encoder), what Next's decoder would fail on is refused, and every text body accepted
// here is one React's server decoder reads without an error (checked by running it).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { checkServerActionBody } from "./server-action-body";

const require = createRequire(import.meta.url);
const REACT_DIR = "next/dist/compiled/react-server-dom-webpack/cjs";
const client = require(`${REACT_DIR}/react-server-dom-webpack-client.node.production.js`) as {
  encodeReply(v: unknown): Promise<string | FormData>;
};

const text = (s: string) => checkServerActionBody("text/plain;charset=UTF-8", "abc", new TextEncoder().encode(s));

async function multipart(fields: [string, string][], action: string | null = "abc") {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  const r = new Response(form);
  return checkServerActionBody(r.headers.get("content-type")!, action, new Uint8Array(await r.arrayBuffer()));
}

async function encoded(args: unknown[]) {
  const body = await client.encodeReply(args);
  if (typeof body === "string") return text(body);
  return multipart([...body.entries()].map(([k, v]) => [k, String(v)]));
}

describe("what React's client encoder sends is accepted", () => {
  it.each([
    ["no arguments", () => []],
    ["a form (useActionState: previous state, FormData)", () => {
      const f = new FormData();
      f.append("email", "a@example.com");
      f.append("password", "$secret\"");
      return [{ error: undefined, email: "a@example.com" }, f];
    }],
    ["scalars", () => [null, 1, "$x", "", true, NaN, Infinity, -Infinity, -0, new Date(0), 10n, undefined]],
    ["a Map, a Set and a promise", () => [new Map([["a", 1]]), new Set([1]), Promise.resolve({ a: [1, "$"] })]],
    ["nested values", () => [{ a: { b: [[{ c: "$$" }]] } }]],
  ])("%s", async (_name, args) => {
    expect(await encoded(args())).toBeNull();
  });
});

describe("bodies Next's decoder fails on are refused", () => {
  it.each([
    ["not JSON", "hello"],
    ["empty", ""],
    ["a root that is not a list", '"$undefined"'],
    ["a promise of a missing part", '"$@1"'],
    ["a Map in a missing part", '["$Q1"]'],
    ["a Set in a missing part", '["$W1"]'],
    ["an object in a missing part", '["$1"]'],
    ["a server reference", '["$h1"]'],
    ["a Blob", '["$B1"]'],
    ["an iterator", '["$i1"]'],
    ["a bigint that is not a number", '["$nabc"]'],
    ["a bigint longer than React's 300 digits", `["$n${"1".repeat(301)}"]`],
    ["an unknown tag", '["$Z"]'],
  ])("text: %s", async (_name, body) => {
    expect(await text(body)).toEqual(expect.any(String));
  });

  it("text: a deeply nested list does not overflow the stack", async () => {
    expect(await text(`${"[".repeat(100_000)}"$Z"${"]".repeat(100_000)}`)).toEqual(expect.any(String));
    expect(await text(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBeNull();
  });

  it("multipart: unreadable, no root, root not JSON, missing or later or circular parts", async () => {
    expect(await checkServerActionBody("multipart/form-data; boundary=x", "abc", new TextEncoder().encode("garbage"))).toBe("the form data cannot be read");
    expect(await multipart([["1", "[]"]])).toBe("part 0 is missing");
    expect(await multipart([["0", "nope"]])).toBe("part 0 is not JSON");
    expect(await multipart([["0", '"$Q1"']])).toBe("part 0 is not a list");
    expect(await multipart([["0", '["$Q1"]']])).toBe("part 1 is missing");
    // Streamed in, part 0 can use part 1 only if it came first (React: "Invalid forward reference").
    expect(await multipart([["0", '["$Q1"]'], ["1", "[[1,2]]"]])).toBe("part 0 refers to a later part");
    expect(await multipart([["1", "[[1,2]]"], ["0", '["$Q1"]']])).toBeNull();
    expect(await multipart([["1", "[1]"], ["0", '["$Q1"]']])).toBe("part 1 is not a map");
    expect(await multipart([["1", '["$2"]'], ["2", '["$1"]'], ["0", '["$1"]']])).toEqual(expect.any(String));
    // A promise's part is written when it settles, after the root.
    expect(await multipart([["0", '["$@1"]'], ["1", "{}"]])).toBeNull();
  });

  it("a native form post: the action's head and bound arguments must be readable", async () => {
    const head = (bound: string) => JSON.stringify({ id: "60adc079", bound });
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", "garbage"]], null)).toBe("the form's action is not readable");
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", "[]"]], null)).toBe("the form's action is not readable");
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", head("$Q1")]], null)).toBe("the form's bound arguments are not readable");
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", head("$@1")], ["$ACTION_1:1", "zz"]], null)).toBe("part 1 is not JSON");
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", head("$@1")], ["$ACTION_1:1", '["$Q2"]']], null)).toBe("part 2 is missing");
    expect(await multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", head("$@1")], ["$ACTION_1:1", '[{"error":"$undefined"}]'], ["$ACTION_KEY", "k"], ["email", "a@b"]], null)).toBeNull();
    expect(await multipart([["$ACTION_ID_60adc079", ""], ["email", "a@b"]], null)).toBeNull();
  });

  it("a body that is no action at all is left to Next", async () => {
    expect(await checkServerActionBody("application/x-www-form-urlencoded", null, new TextEncoder().encode("a=1"))).toBeNull();
    expect(await multipart([["email", "a@b"]], null)).toBeNull();
  });
});

describe("agreement with React's server decoder", () => {
  it("every text body accepted here decodes without an error", async () => {
    // Mutations of real bodies: each "$" string swapped for other tags and ids.
    const seeds = ['[{"error":"$undefined","email":"x"},"$K1"]', '["$Q1","$@2","$D1970-01-01T00:00:00.000Z","$n10"]', '[null,"$NaN","$-0","$$a"]'];
    const tags = ["$", "$@", "$Q", "$W", "$K", "$h", "$F", "$T", "$D", "$n", "$B", "$R", "$i", "$u", "$I", "$N", "$-", "$Z", "$$"];
    const ids = ["0", "1", "a", "ff", "zz", "", "-1", "Infinity"];
    const bodies = new Set<string>(["[]", '"$undefined"', "{}", "1", '["$T"]']);
    for (const seed of seeds) {
      bodies.add(seed);
      for (const t of tags) for (const id of ids) bodies.add(seed.replace(/"\$[^"]*"/, JSON.stringify(t + id)));
    }
    const accepted: string[] = [];
    for (const b of bodies) if ((await text(b)) === null) accepted.push(b);
    expect(accepted.length).toBeGreaterThan(20);
    // React's server build only loads under the react-server condition: a child process decodes.
    const script = `
      const s = require(${JSON.stringify(require.resolve(`${REACT_DIR}/react-server-dom-webpack-server.node.production.js`))});
      (async () => {
        const out = [];
        for (const b of JSON.parse(process.argv[1])) {
          try { await s.decodeReply(b, {}, { temporaryReferences: s.createTemporaryReferenceSet() }); }
          catch (e) { out.push(b + " -> " + e.message); }
        }
        console.log(JSON.stringify(out));
      })();`;
    const failed = JSON.parse(execFileSync(process.execPath, ["--conditions", "react-server", "-e", script, JSON.stringify(accepted)], { encoding: "utf8" }));
    expect(failed).toEqual([]);
  });
});
