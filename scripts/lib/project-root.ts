// The repository's root folder, found from a module's own folder: the nearest folder above it
// with a package.json. A fixed "../.." would not do: the same module runs from scripts/lib/
// under tsx and from dist/ once `npm run build` has bundled the server into dist/start.js.
import { existsSync } from "node:fs";
import path from "node:path";

export function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
