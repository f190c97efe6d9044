// Alert: inline message box. Error/warning announce immediately (role="alert"),
// info/success politely (role="status").
import type { HTMLAttributes, ReactNode } from "react";

export type AlertTone = "error" | "info" | "success" | "warning";

export type AlertProps = Omit<HTMLAttributes<HTMLDivElement>, "title" | "role"> & {
  tone: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
};

const tones: Record<AlertTone, { box: string; icon: string; path: string }> = {
  error: {
    box: "border-red-200 bg-red-50 text-red-800",
    icon: "text-red-600",
    path: "M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-4.75a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0V6a.75.75 0 0 1 .75-.75ZM10 15a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
  },
  warning: {
    box: "border-amber-200 bg-amber-50 text-amber-900",
    icon: "text-amber-600",
    path: "M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 6a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 6Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
  },
  info: {
    box: "border-brand-200 bg-brand-50 text-brand-900",
    icon: "text-brand-600",
    path: "M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-7-4a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM9 9a.75.75 0 0 0 0 1.5h.253a.25.25 0 0 1 .244.304l-.459 2.066A1.75 1.75 0 0 0 10.747 15H11a.75.75 0 0 0 0-1.5h-.253a.25.25 0 0 1-.244-.304l.459-2.066A1.75 1.75 0 0 0 9.253 9H9Z",
  },
  success: {
    box: "border-green-200 bg-green-50 text-green-800",
    icon: "text-green-600",
    path: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.857-9.809a.75.75 0 0 0-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 1 0-1.06 1.061l2.5 2.5a.75.75 0 0 0 1.137-.089l4-5.5Z",
  },
};

export function Alert({ tone, title, children, className, ...rest }: AlertProps) {
  const t = tones[tone];
  return (
    <div
      {...rest}
      role={tone === "error" || tone === "warning" ? "alert" : "status"}
      className={["flex gap-3 rounded-lg border p-3 text-sm", t.box, className ?? ""]
        .filter(Boolean)
        .join(" ")}
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className={`mt-px size-5 shrink-0 ${t.icon}`}>
        <path fillRule="evenodd" d={t.path} clipRule="evenodd" />
      </svg>
      <div className="min-w-0 flex-1 space-y-1 break-words">
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}
