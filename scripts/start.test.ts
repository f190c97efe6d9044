// `npm start` without a production build stops at once and says what to run, instead of a
// "Cannot find module dist/start.js" from node (package.json's prestart).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("npm start", () => {
  it("without a build: exit code 1 and a message naming `npm run build`", () => {
    // A checkout with nothing built: this package.json in an empty folder.
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-unbuilt-"));
    try {
      copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
      const r = spawnSync("npm", ["start"], { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("Latchkey has no production build (dist/start.js, .next/): run `npm run build` first, then `npm start`.");
      expect(r.stdout).toMatch(/> latchkey@\S+ prestart\n/);
      expect(r.stdout).not.toMatch(/> latchkey@\S+ start\n/); // the start script itself never ran
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/Cannot find module/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
