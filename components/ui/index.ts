// Barrel for Latchkey's UI primitives: import { Button, Field, ... } from "@/components/ui".
export { Button, buttonClassName } from "./button";
export type { ButtonVariant } from "./button";
export { Field } from "./field";
export { Alert } from "./alert";
export { Card } from "./card";
export { AuthShell } from "./auth-shell";
export { AppShell } from "./app-shell";
export type { AppShellNavItem } from "./app-shell";
export { Tabs } from "./tabs";
export { ErrorSummary } from "./error-summary";
export { ConfirmStep, useFocusAfterConfirm } from "./confirm-step";
export { CopyButton } from "./copy-button";
export { formatUtc, formatUtcSeconds } from "./format-date";
