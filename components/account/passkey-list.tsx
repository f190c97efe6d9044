// The account's passkeys: name, whether it is synced, when it was added and last used, and the
// forms to rename and remove it. Data and actions come in as props.
import { formatUtc } from "@/components/ui";
import { RemovePasskeyForm, RenamePasskeyForm } from "./passkey-forms";
import type { PasskeyFormState, PasskeyItem } from "./passkey-types";

type Action = (prev: PasskeyFormState, form: FormData) => Promise<PasskeyFormState>;

export function PasskeyList({ passkeys, renameAction, removeAction }: { passkeys: PasskeyItem[]; renameAction: Action; removeAction: Action }) {
  if (passkeys.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-neutral-300 bg-white p-5 text-sm text-neutral-600">
        You have no passkeys yet. Add one to sign in without typing your password.
      </p>
    );
  }
  return (
    <ul aria-label="Passkeys" className="flex flex-col gap-3">
      {passkeys.map((p) => (
        <li key={p.id} aria-label={p.name} className="rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
          <div className="flex flex-col gap-4">
            <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 font-semibold text-neutral-900">
                  <span className="break-all">{p.name}</span>
                  <span className="rounded-full bg-neutral-100 px-2 py-0.5 text-xs font-medium text-neutral-700">
                    {p.synced ? "Synced" : "This device only"}
                  </span>
                </p>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-neutral-500">Added</dt>
                  <dd className="text-neutral-900">{formatUtc(p.createdAt)}</dd>
                  <dt className="text-neutral-500">Last used</dt>
                  <dd className="text-neutral-900" data-testid="passkey-last-used">{p.lastUsedAt ? formatUtc(p.lastUsedAt) : "Never"}</dd>
                </dl>
                <p className="mt-2 text-xs text-neutral-500">
                  {p.synced
                    ? "Backed up by your password manager, so it works on your other devices too."
                    : "Kept on one device or security key only; it is not backed up."}
                </p>
              </div>
              <RemovePasskeyForm action={removeAction} id={p.id} name={p.name} last={passkeys.length === 1} />
            </div>
            <RenamePasskeyForm action={renameAction} id={p.id} name={p.name} />
          </div>
        </li>
      ))}
    </ul>
  );
}
