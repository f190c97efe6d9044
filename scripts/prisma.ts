// `npm run prisma -- <args>`: the Prisma CLI with the offline environment (scripts/lib/prisma.ts).
// An entry point of its own: scripts/lib/prisma.ts is also bundled into dist/start.js, where a
// "run me when I am the main module" check would be true.
import { runPrismaCli } from "./lib/prisma";

process.exit(runPrismaCli(process.argv.slice(2)));
