import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createElement, type CSSProperties, type ReactElement } from "react";
import { count, formatNumber, messages, textDirection } from "../i18n";
import type { Language } from "../i18n";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
const MAX_CARDS = 200;

const TTF = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");

const globalForCards = globalThis as unknown as {
  __inkwellCardFonts?: { name: string; data: Buffer; weight: 400 | 700; style: "normal" }[];
  __inkwellCards?: Map<string, Promise<Buffer>>;
};

function fonts() {
  return (globalForCards.__inkwellCardFonts ??= [
    { name: "DejaVu Sans", data: readFileSync(join(TTF, "DejaVuSans.ttf")), weight: 400, style: "normal" },
    { name: "DejaVu Sans", data: readFileSync(join(TTF, "DejaVuSans-Bold.ttf")), weight: 700, style: "normal" },
  ]);
}

/**
 * The count a card shows: exact below 100, then rounded down to two significant figures, so a card
 * changes (and is rendered again) only when the count moves noticeably.
 */
export function countBucket(n: number): number {
  if (n < 100) return Math.max(0, Math.floor(n));
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.floor(n / step) * step;
}

export interface CardInput {
  campaignId: number;
  title: string;
  count: number;
  language: Language;
}

/** A 1200×630 PNG with the campaign's title and its confirmed count, shared per process per (campaign, title, language, count bucket). */
export function shareCardPng(input: CardInput): Promise<Buffer> {
  const bucket = countBucket(input.count);
  const key = `${input.campaignId}:${input.language}:${bucket}:${input.title}`;
  const cards = (globalForCards.__inkwellCards ??= new Map());
  const hit = cards.get(key);
  if (hit) return hit;
  // Titles change rarely, but stale keys must not pile up.
  if (cards.size >= MAX_CARDS) cards.clear();
  const png = renderCard(input.title, bucket, input.count > bucket, input.language);
  cards.set(key, png);
  png.catch(() => cards.get(key) === png && cards.delete(key));
  return png;
}

// Hebrew, Arabic and the scripts near them in Unicode read from the right.
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

// The renderers are loaded at the first card a process draws: most web processes never draw one,
// and loading them costs a process about 120 ms at start-up.
let renderers: Promise<[typeof import("satori").default, typeof import("@resvg/resvg-js").Resvg]> | undefined;
const loadRenderers = () => (renderers ??= Promise.all([import("satori").then((m) => m.default), import("@resvg/resvg-js").then((m) => m.Resvg)]));

async function renderCard(title: string, n: number, more: boolean, language: Language): Promise<Buffer> {
  const [satori, Resvg] = await loadRenderers();
  const t = messages(language);
  const figure = `${formatNumber(n, language)}${more ? "+" : ""}`;
  const label = count(language, t.progress.actionsTaken, n);
  const rtlTitle = RIGHT_TO_LEFT.test(title);
  const rtlCount = textDirection(language) === "rtl";
  // The layout sizes boxes by their content, so padding and border come off the card's size.
  const frame: CSSProperties = { width: CARD_WIDTH - 144, height: CARD_HEIGHT - 24 - 104, padding: "48px 72px 56px", borderTop: "24px solid #b3261e" };
  const svg = await satori(
    el("div", { ...frame, display: "flex", flexDirection: "column", justifyContent: "space-between", backgroundColor: "#fbf8f3", color: "#1a1a1a" }, [
      el("div", { display: "flex", fontSize: 30, fontWeight: 700, color: "#b3261e", letterSpacing: 2 }, "INKWELL"),
      el("div", { display: "flex", justifyContent: rtlTitle ? "flex-end" : "flex-start", textAlign: rtlTitle ? "right" : "left", fontSize: title.length > 80 ? 48 : 60, fontWeight: 700, lineHeight: 1.15 }, title),
      el("div", { display: "flex", flexDirection: rtlCount ? "row-reverse" : "row", alignItems: "flex-end", fontSize: 40, color: "#5f6368" }, [
        el("span", { fontSize: 64, fontWeight: 700, color: "#1a1a1a", [rtlCount ? "marginLeft" : "marginRight"]: 20 }, figure),
        el("span", {}, label),
      ]),
    ]),
    { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: fonts() },
  );
  return Buffer.from(new Resvg(svg, { fitTo: { mode: "width", value: CARD_WIDTH } }).render().asPng());
}

function el(type: string, style: CSSProperties, children?: string | ReactElement[]): ReactElement {
  return createElement(type, { style }, ...(Array.isArray(children) ? children : [children]));
}
