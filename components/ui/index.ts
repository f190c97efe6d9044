// Barrel for Latchkey's UI primitives: import { Button, Field, ... } from "@/components/ui".
export { Button, buttonClassName } from "./button";
export type { ButtonProps, ButtonVariant, ButtonSize } from "./button";
export { Field } from "./field";
export type { FieldProps } from "./field";
export { Alert } from "./alert";
export type { AlertProps, AlertTone } from "./alert";
export { Card } from "./card";
export type { CardProps } from "./card";
export { AuthShell, Wordmark } from "./auth-shell";
export type { AuthShellProps } from "./auth-shell";
export { AppShell } from "./app-shell";
export type { AppShellProps, AppShellNavItem } from "./app-shell";
export { Tabs } from "./tabs";
export type { TabItem } from "./tabs";
export { ErrorSummary } from "./error-summary";
export type { ErrorSummaryItem } from "./error-summary";
export { ConfirmStep, useFocusAfterConfirm } from "./confirm-step";
