// Preformatted, wrapping text (URLs, HTTP messages, JSON) that stays readable on a phone.
export function CodeBlock({ children, label }: { children: string; label?: string }) {
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the label names the scrollable region for screen readers
    <pre
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus to scroll by keyboard (WCAG 2.1.1)
      tabIndex={0}
      className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-neutral-900 p-3 font-mono text-xs leading-relaxed text-neutral-100 focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      {children}
    </pre>
  );
}
