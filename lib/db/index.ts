// The data layer's front door: every store of the portal, bound to one client. The process's
// client and its stores are built by the composition root (lib/runtime.ts data()).
import type { Db } from "./client";
import { getConfig } from "../config";
import { accountStore } from "./account";
import { accountDeletionStore } from "./account-deletion";
import { accountExportStore } from "./account-export";
import { adminStore } from "./admin";
import { apiStore } from "./apis";
import { auditStore } from "./audit";
import { clientStore } from "./clients";
import { deviceStore } from "./devices";
import { passkeyStore } from "./passkeys";
import { emailTokenStore } from "./email-tokens";
import { emailVerificationStore } from "./email-verification";
import { recoveryStore } from "./recovery";
import { addRedirectUri } from "./inspector";
import { mfaStore } from "./mfa";
import { registrationStore } from "./registration";
import { sessionStore } from "./sessions";
import { settingsStore } from "./settings";
import { usedChallengeStore } from "./used-challenges";
import { emailLinkLimitStore, signUpLimitStore, throttleStore } from "./throttle";
import { userStore } from "./users";

export function storesFor(d: Db, cfg = getConfig()) {
  return {
    users: userStore(d),
    sessions: sessionStore(d),
    clients: clientStore(d),
    /** APIs (protected resources) and their own credentials. */
    apis: apiStore(d),
    throttle: throttleStore(d, cfg.throttle),
    devices: deviceStore(d),
    /** Links sent by email (reset, verification, email change, invitation). */
    emailTokens: emailTokenStore(d),
    /** Setting a password with an emailed link (reset, invitation). */
    recovery: recoveryStore(d),
    /** Using a verification or email-change link. */
    emailVerification: emailVerificationStore(d),
    signUps: signUpLimitStore(d, cfg.signUpLimit),
    /** Forgot-password and verification links asked for, per caller address, email and account. */
    emailLinkLimits: emailLinkLimitStore(d, cfg.emailLinks),
    audit: auditStore(d),
    account: accountStore(d),
    /** Deleting one's own account (one transaction; audit events scrubbed of its addresses). */
    accountDeletion: accountDeletionStore(d),
    /** "Download my data". */
    accountExport: accountExportStore(d),
    /** Initial access tokens (RFC 7591 §3) and registered clients (RFC 7592). */
    registration: registrationStore(d),
    admin: adminStore(d),
    /** Admin settings that change at run time (email verification, MFA policy). */
    settings: settingsStore(d),
    /** WebAuthn credentials, and the challenges already answered (single use). */
    passkeys: passkeyStore(d),
    usedChallenges: usedChallengeStore(d),
    /** Second factors: TOTP, recovery codes, what a user has (lib/db/mfa.ts). */
    mfa: mfaStore(d),
    /** The flow inspector's one write. */
    inspector: {
      addRedirectUri: (clientRowId: string, uri: string, actorId: string) => addRedirectUri(d, clientRowId, uri, actorId),
    },
  };
}

export type Stores = ReturnType<typeof storesFor>;
