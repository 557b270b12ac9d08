import { ar } from "./ar";
import { en, type Messages } from "./en";
import { es } from "./es";
import { fr } from "./fr";

/** Every page catalogue. The server holds them all; a browser loads only its page's language (entry.client). */
export const catalogues: Record<"en" | "fr" | "es" | "ar", Messages> = { en, fr, es, ar };
