import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { addCatalogue, isLanguage, type Language, type Messages } from "./i18n";

// Only the page's language is loaded: each catalogue is a chunk of its own.
const catalogues: Record<Language, () => Promise<Messages>> = {
  en: () => import("./i18n/en").then((m) => m.en),
  fr: () => import("./i18n/fr").then((m) => m.fr),
  es: () => import("./i18n/es").then((m) => m.es),
  ar: () => import("./i18n/ar").then((m) => m.ar),
};

const lang = document.documentElement.lang;
const language: Language = isLanguage(lang) ? lang : "en";

catalogues[language]().then((strings) => {
  addCatalogue(language, strings);
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
