import { describe, expect, it } from "vitest";
import { afterCursor, decodeCursor, encodeCursor, toPage } from "./cursor";
import { parseAuditFilters, parseUserFilters, queryString } from "./filters";

describe("keyset cursors", () => {
  it("round-trips (createdAt, id)", () => {
    const c = { createdAt: new Date("2026-11-22T10:00:00.123Z"), id: "abc" };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it("reads anything malformed as the first page", () => {
    for (const bad of [undefined, "", "!!!", Buffer.from('{"t":"yesterday","i":"x"}').toString("base64url"), Buffer.from('{"t":"2026-01-01T00:00:00Z"}').toString("base64url"), "x".repeat(500), 42]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });

  it("builds the strictly-after condition for newest-first order", () => {
    const c = { createdAt: new Date(0), id: "m" };
    expect(afterCursor(null)).toEqual({});
    expect(afterCursor(c)).toEqual({ createdAt: { lte: c.createdAt }, NOT: { createdAt: c.createdAt, id: { gte: "m" } } });
  });

  it("pages: limit + 1 rows mean there is a next page, starting after the last row shown", () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: String(n) }));
    const p = toPage(rows, 2);
    expect(p.rows.map((r) => r.id)).toEqual(["3", "2"]);
    expect(decodeCursor(p.next)).toEqual({ createdAt: new Date(2000), id: "2" });
    expect(toPage(rows, 3).next).toBeNull();
  });
});

describe("list filters", () => {
  it("trims, drops empty and over-long values", () => {
    expect(parseUserFilters({ q: "  ada ", cursor: "nope" })).toEqual({ q: "ada", cursor: null });
    expect(parseUserFilters({ q: "x".repeat(201) })).toEqual({ q: undefined, cursor: null });
    expect(parseUserFilters({ q: ["first", "second"] }).q).toBe("first");
  });

  it("parses the audit filters: dates as UTC day bounds, event types by pattern", () => {
    expect(parseAuditFilters({ type: "user.disabled", from: "2026-11-01", to: "2026-11-02", actor: "a@b.c" })).toEqual({
      actor: "a@b.c",
      subject: undefined,
      client: undefined,
      type: "user.disabled",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-02T23:59:59.999Z"),
      cursor: null,
    });
    expect(parseAuditFilters({ from: "2026-11-01T10:30" }).from).toEqual(new Date("2026-11-01T10:30:00Z"));
    const bad = parseAuditFilters({ type: "DROP TABLE", from: "yesterday", to: "2026-13-45" });
    expect([bad.type, bad.from, bad.to]).toEqual([undefined, undefined, undefined]);
  });

  it("writes a query string of the set values only", () => {
    expect(queryString({ q: "a b", cursor: undefined, user: "" })).toBe("?q=a+b");
    expect(queryString({})).toBe("");
  });
});

describe("filters and cursors never carry control characters to the database", () => {
  it("drops a filter or cursor id with a NUL (PostgreSQL refuses NUL in text)", async () => {
    const { parseUserFilters, parseGrantFilters } = await import("./filters");
    const { encodeCursor } = await import("./cursor");
    expect(parseUserFilters({ q: "ab\u0000c" }).q).toBeUndefined();
    expect(parseUserFilters({ q: "ada" }).q).toBe("ada");
    expect(parseGrantFilters({ user: "a\u0000@b.c", client: "lk_\u0001" })).toMatchObject({ user: undefined, client: undefined });
    expect(decodeCursor(encodeCursor({ createdAt: new Date(), id: "a\u0000b" }))).toBeNull();
  });
});
