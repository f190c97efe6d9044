import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DATA_DIR, REPO_ROOT } from "./env";

const KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Each run gets a fresh DATA_DIR under e2e/.data/ (see env.ts), which is kept after the run
 * for inspection. Remove the ones from runs more than a day old so they do not pile up.
 */
export default function globalSetup(): void {
  // Only ever this folder, even when E2E_DATA_DIR points somewhere else.
  const root = path.join(REPO_ROOT, "e2e", ".data");
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return; // nothing there yet
  }
  const cutoff = Date.now() - KEEP_MS;
  for (const name of entries) {
    const dir = path.join(root, name);
    if (dir === DATA_DIR) continue;
    try {
      if (statSync(dir).mtimeMs < cutoff) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Vanished or unreadable: not ours to worry about.
    }
  }
}
