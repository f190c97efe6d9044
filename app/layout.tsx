// Root layout: document shell, global styles, default metadata. Pages supply their own chrome
// (AuthShell / AppShell from components/ui).
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · Latchkey", default: "Latchkey" },
  description: "Latchkey: OAuth 2.0 and OpenID Connect identity portal.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#fafafa",
  colorScheme: "light",
};

export default function RootLayout({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">{children}</body>
    </html>
  );
}
