// Root layout: document shell, global styles, default metadata. Pages supply their own chrome
// (AuthShell / AppShell from components/ui).
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page is rendered per request: each response carries its own CSP nonce (lib/http/server.ts),
// which Next can only put on the scripts of a page it renders now, never on a prerendered one.
// (Only the 404 page and the /dashboard redirect were static.)
export const dynamic = "force-dynamic";

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
