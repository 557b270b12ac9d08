import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import { Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary, errorHeading } from "./components/error-boundary";
import { ErrorTitle } from "./components/error-title";
import { useNonce } from "./components/nonce";
import { RouteAnnouncer } from "./components/route-announcer";
import { LANGUAGES, LANGUAGE_NAMES, messages, textDirection, type Language } from "./i18n";
import { requestLanguage } from "./i18n/language.server";
import styles from "./styles.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Inkwell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { language: requestLanguage(request) };
}

/** The language of the current page, from the root loader (English while it is unknown). */
export function useLanguage(): Language {
  const chosen = useRouteLoaderData<typeof loader>("root")?.language ?? "en";
  // The workspace is written in English only, and says so whatever the public pages' language.
  return useLocation().pathname.startsWith("/admin") ? "en" : chosen;
}

/** The page strings in the current language. */
export function useMessages() {
  return messages(useLanguage());
}

function Header() {
  const language = useLanguage();
  const t = messages(language);
  const location = useLocation();
  const back = location.pathname + location.search;
  // The workspace has one navigation bar, its own; it is in English only, so no language switch.
  const workspace = location.pathname.startsWith("/admin");
  return (
    <header className="site-header">
      <div className="wrap header-row">
        <Link to={workspace ? "/admin" : "/"} className="brand" aria-label={workspace ? "Inkwell workspace" : "Inkwell"}>
          <span className="brand-mark" aria-hidden="true">✒</span> Inkwell
        </Link>
        <span className="tagline">{t.siteTagline}</span>
        {workspace ? null : <nav className="nav" aria-label={t.nav.label}>
          <NavLink to="/" end>{t.nav.campaigns}</NavLink>
          {LANGUAGES.filter((l) => l !== language).map((other) => (
            <a key={other} href={`/lang?to=${other}&back=${encodeURIComponent(back)}`} hrefLang={other} lang={other} dir={textDirection(other)} className="lang-switch">
              {LANGUAGE_NAMES[other]}
            </a>
          ))}
        </nav>}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const language = useLanguage();
  const t = messages(language);
  const nonce = useNonce();
  // An action framed on a partner's page shows only the action: no site header or footer.
  const embedded = useLocation().pathname.startsWith("/embed/");
  return (
    <html lang={language} dir={textDirection(language)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1d1b18" />
        <ErrorTitle t={t} errorHeading={(status) => errorHeading(t, status)} />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">{t.skipToContent}</a>
        {embedded ? null : <Header />}
        <main id="main" className="wrap">{children}</main>
        {embedded ? null : (
          <footer className="site-footer">
            <div className="wrap">
              <p>{t.footer} · <Link to="/privacy">{t.nav.privacy}</Link></p>
            </div>
          </footer>
        )}
        <RouteAnnouncer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
