// The admin console's store: the functions of this folder, bound to one client.
import type { Db } from "../client";
import { listApis } from "./apis";
import { auditLabels, listAudit, resolveClientRef, resolveUserRef } from "./audit-log";
import { deleteClient, findClient, listClients, setClientSuspended, setClientVerified } from "./clients";
import { listGrants, previewRevokeAllForClient, revokeAllForClient, revokeGrant } from "./grants";
import { listKeys, retireKey, rotateKeys } from "./keys";
import { disableUser, enableUser, forcePasswordReset, listUsers, setUserRole, unlockUser, userDetail } from "./users";

export function adminStore(db: Db) {
  const on =
    <A extends unknown[], R>(f: (db: Db, ...args: A) => R) =>
    (...args: A): R =>
      f(db, ...args);
  return {
    listUsers: on(listUsers),
    userDetail: on(userDetail),
    disableUser: on(disableUser),
    enableUser: on(enableUser),
    setUserRole: on(setUserRole),
    forcePasswordReset: on(forcePasswordReset),
    unlockUser: on(unlockUser),
    listClients: on(listClients),
    findClient: on(findClient),
    setClientSuspended: on(setClientSuspended),
    setClientVerified: on(setClientVerified),
    deleteClient: on(deleteClient),
    listApis: on(listApis),
    listGrants: on(listGrants),
    revokeGrant: on(revokeGrant),
    previewRevokeAllForClient: on(previewRevokeAllForClient),
    revokeAllForClient: on(revokeAllForClient),
    listKeys: on(listKeys),
    rotateKeys: on(rotateKeys),
    retireKey: on(retireKey),
    listAudit: on(listAudit),
    resolveUserRef: on(resolveUserRef),
    resolveClientRef: on(resolveClientRef),
    auditLabels: on(auditLabels),
  };
}
