// The label catalogue: every domain code's name in zh-CN (from contracts, generated at build time) and
// English (labels.en.json, kept key for key by tests/web). No screen shows a code: `label` falls back
// to a neutral word, never to the code itself.
import zh from "@generated/labels.zh-CN.json";
import en from "./labels.en.json";
import departments from "./departments.json";

export type Locale = "zh-CN" | "en";
type Catalogue = Record<string, Record<string, string>>;

const CATALOGUES: Record<Locale, Catalogue> = {
  "zh-CN": { ...(zh as Catalogue), Department: departments["zh-CN"] },
  en: { ...(en as Catalogue), Department: departments.en },
};
const UNKNOWN: Record<Locale, string> = { "zh-CN": "未命名", en: "Unnamed" };

/** The name of `code` in the enum `kind` (e.g. label("zh-CN", "Metric", "coverage") → "回访覆盖率"). */
export function label(locale: Locale, kind: string, code: string | null | undefined): string {
  if (!code) return UNKNOWN[locale];
  return CATALOGUES[locale][kind]?.[code] ?? UNKNOWN[locale];
}

export function hasLabel(locale: Locale, kind: string, code: string): boolean {
  return CATALOGUES[locale][kind]?.[code] !== undefined;
}
