// What the Try page's actions (app/dashboard/clients/[id]/try/actions.ts) answer to their forms.
export type TryActionState = { error: string | null };
