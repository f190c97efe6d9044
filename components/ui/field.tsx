// Field: labelled text input with optional hint and inline error (server-safe, no hooks).
// The input's accessible name is exactly `label`; its id is `field-${name}` unless `id` is given.
import type { InputHTMLAttributes } from "react";

export type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "children"> & {
  label: string;
  name: string;
  hint?: string;
  error?: string;
};

export function Field({
  label,
  name,
  id,
  type = "text",
  hint,
  error,
  className,
  disabled,
  "aria-describedby": describedBy,
  ...rest
}: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedByIds =
    [error ? errorId : "", hint ? hintId : "", describedBy ?? ""].filter(Boolean).join(" ") ||
    undefined;

  const inputClass = [
    "block w-full rounded-lg border bg-white px-3 h-10 text-sm text-neutral-900 shadow-sm",
    "placeholder:text-neutral-400",
    "focus:outline-none focus-visible:outline-none focus:ring-2 focus:ring-offset-0",
    "disabled:cursor-not-allowed disabled:bg-neutral-100 disabled:text-neutral-500",
    error
      ? "border-red-500 focus:border-red-600 focus:ring-red-500/30"
      : "border-neutral-300 focus:border-brand-600 focus:ring-brand-500/30",
    className ?? "",
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="flex flex-col gap-1.5">
      <label
        htmlFor={inputId}
        className={`text-sm font-medium ${disabled ? "text-neutral-500" : "text-neutral-800"}`}
      >
        {label}
      </label>
      <input
        {...rest}
        id={inputId}
        name={name}
        type={type}
        disabled={disabled}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedByIds}
        className={inputClass}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-neutral-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="flex items-start gap-1 text-xs font-medium text-red-700">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="mt-px size-3.5 shrink-0">
            <path
              fillRule="evenodd"
              d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-4.75a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0V6a.75.75 0 0 1 .75-.75ZM10 15a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
              clipRule="evenodd"
            />
          </svg>
          <span>{error}</span>
        </p>
      ) : null}
    </div>
  );
}
