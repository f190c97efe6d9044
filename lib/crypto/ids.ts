// Identifiers of the rows the hot paths insert at request rate (access-token jti, codes, grants,
// refresh tokens, audit events): UUIDv7 (RFC 9562 §5.7). Its first 48 bits are the Unix time in
// milliseconds, so new keys land at the right edge of each B-tree index instead of on a random
// page: fewer pages dirtied per commit (SQLite's WAL, PostgreSQL's WAL and its full-page writes).
// It cut the SQLite writer thread's CPU per token (docs/architecture.md, "UUIDv7 ids").
// 74 of the 128 bits stay random, so ids remain unique across processes (RFC 7519 §4.1.7 asks
// that a jti collide with negligible probability). None of them is a secret: the jti is inside
// the signed token next to `iat`, the others never leave the server.
import { v7 } from "uuid";

export const timeOrderedId = (): string => v7();
