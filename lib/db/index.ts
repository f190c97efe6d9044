// The data layer's front door: stores bound to the process-wide client.
import { db, type Db } from "./client";
import { getConfig } from "../config";
import { auditStore } from "./audit";
import { clientStore } from "./clients";
import { deviceStore } from "./devices";
import { sessionStore } from "./sessions";
import { signUpLimitStore, throttleStore } from "./throttle";
import { userStore } from "./users";

export function storesFor(d: Db, cfg = getConfig()) {
  return {
    users: userStore(d),
    sessions: sessionStore(d),
    clients: clientStore(d),
    throttle: throttleStore(d, cfg.throttle),
    devices: deviceStore(d),
    signUps: signUpLimitStore(d, cfg.signUpLimit),
    audit: auditStore(d),
  };
}

export type Stores = ReturnType<typeof storesFor>;

let cached: Stores | undefined;
export function stores(): Stores {
  cached ??= storesFor(db());
  return cached;
}
