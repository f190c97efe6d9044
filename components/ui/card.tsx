// Card: white rounded panel used to group content, with an optional title/description header.
import type { HTMLAttributes, ReactNode } from "react";

export type CardProps = Omit<HTMLAttributes<HTMLDivElement>, "title"> & {
  /** Rendered as an <h2>. */
  title?: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
};

export function Card({ title, description, children, className, ...rest }: CardProps) {
  return (
    <div
      {...rest}
      className={[
        "rounded-xl border border-neutral-200 bg-white p-5 shadow-sm sm:p-6",
        className ?? "",
      ]
        .filter(Boolean)
        .join(" ")}
    >
      {title || description ? (
        <div className="mb-4 space-y-1">
          {title ? <h2 className="text-base font-semibold text-neutral-900">{title}</h2> : null}
          {description ? <p className="text-sm text-neutral-600">{description}</p> : null}
        </div>
      ) : null}
      {children}
    </div>
  );
}
