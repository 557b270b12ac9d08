import Negotiator from "negotiator";
import { LANGUAGES, isLanguage, type Language } from "./index";

export const LANGUAGE_COOKIE = "lang";

/** The visitor's language: an explicit choice (cookie) first, then Accept-Language, then English. */
export function requestLanguage(request: Request): Language {
  const cookie = request.headers.get("Cookie") ?? "";
  const chosen = /(?:^|;\s*)lang=([a-z]{2})(?:;|$)/.exec(cookie)?.[1];
  if (isLanguage(chosen)) return chosen;
  const negotiated = new Negotiator({ headers: { "accept-language": request.headers.get("Accept-Language") ?? "" } }).language([...LANGUAGES]);
  return isLanguage(negotiated) ? negotiated : "en";
}

/** A Set-Cookie value remembering the chosen language for a year. */
export function languageCookie(language: Language): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
