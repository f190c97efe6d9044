// Form pieces the client and API forms need beyond components/ui: a labelled textarea and a group
// of checkboxes, each with a hint and a list of inline errors tied to it by aria-describedby, and
// the error summary of a form's fields.
import type { ReactNode, TextareaHTMLAttributes } from "react";
import { ErrorSummary } from "@/components/ui";

/** A field of a dashboard form, for its error summary; `group`: a fieldset (ChoiceGroup), not one input. */
export interface SummaryField<N extends string> {
  name: N;
  label: string;
  group?: true;
}

/** The summary above a form: a line per field with errors, linked to it, and how many there are. */
export function FieldErrorSummary<N extends string>({
  fields,
  errors,
  formError,
  answer,
}: {
  fields: readonly SummaryField<N>[];
  errors: Partial<Record<N, string[]>>;
  formError?: string;
  answer: unknown;
}) {
  const count = Object.values<string[] | undefined>(errors).reduce((n, list) => n + (list?.length ?? 0), 0);
  return (
    <ErrorSummary
      items={fields
        .filter((f) => errors[f.name]?.length)
        .map((f) => ({
          fieldId: f.group ? `group-${f.name}` : `field-${f.name}`,
          label: f.label,
          message: (errors[f.name] ?? []).join(" "),
        }))}
      formError={formError}
      answer={answer}
      title={count === 1 ? "Please correct 1 problem" : `Please correct ${count} problems`}
    />
  );
}

function ErrorList({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul id={id} className="flex flex-col gap-0.5 text-xs font-medium text-red-700">
      {errors.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list per render; two errors may read the same
        <li key={i} className="break-all">
          {e}
        </li>
      ))}
    </ul>
  );
}

export function TextArea({
  label,
  name,
  hint,
  errors,
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name"> & { label: string; name: string; hint?: string; errors?: string[] }) {
  const id = `field-${name}`;
  const describedBy = [errors?.length ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-neutral-800">
        {label}
      </label>
      <textarea
        {...rest}
        id={id}
        name={name}
        aria-invalid={errors?.length ? "true" : undefined}
        aria-describedby={describedBy}
        className={[
          "block w-full rounded-lg border bg-white px-3 py-2 font-mono text-sm text-neutral-900 shadow-sm",
          "focus:outline-none focus:ring-2",
          errors?.length ? "border-red-500 focus:ring-red-500/30" : "border-neutral-300 focus:border-brand-600 focus:ring-brand-500/30",
        ].join(" ")}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-neutral-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} errors={errors} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** Checkboxes (or radios) under one legend. */
export function ChoiceGroup({
  legend,
  name,
  type = "checkbox",
  choices,
  selected,
  errors,
  hint,
  inline = false,
}: {
  /** Short choices side by side (two columns on a phone, four on a wider screen). */
  inline?: boolean;
  legend: string;
  name: string;
  type?: "checkbox" | "radio";
  choices: Choice[];
  selected: string[];
  errors?: string[];
  hint?: string;
}) {
  const errorId = `group-${name}-error`;
  return (
    <fieldset id={`group-${name}`} className="flex flex-col gap-2" aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="mb-1 text-sm font-medium text-neutral-800">{legend}</legend>
      {hint ? <p className="-mt-1 text-xs text-neutral-600">{hint}</p> : null}
      <div className={inline ? "grid grid-cols-2 gap-2 sm:grid-cols-4" : "flex flex-col gap-2"}>
        {choices.map((c) => (
          <label
            key={c.value}
            className="flex cursor-pointer items-start gap-3 rounded-lg border border-neutral-200 p-3 text-sm has-[:checked]:border-brand-300 has-[:checked]:bg-brand-50"
          >
            <input
              type={type}
              name={name}
              value={c.value}
              defaultChecked={selected.includes(c.value)}
              className="mt-0.5 size-4 shrink-0 accent-brand-600"
            />
            <span className="min-w-0">
              <span className="block font-medium text-neutral-900">{c.label}</span>
              {c.hint ? <span className="block text-xs text-neutral-600">{c.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <ErrorList id={errorId} errors={errors} />
    </fieldset>
  );
}
