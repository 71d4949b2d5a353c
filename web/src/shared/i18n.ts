// vue-i18n with Chinese first: zh-CN is the default and the fallback; English by ?lang=en or the switch.
import { createI18n } from "vue-i18n";
import zhCN from "./locales/zh-CN.json";
import en from "./locales/en.json";
import type { Locale } from "./labels";

const STORED = "huifang-locale";

export function initialLocale(search = location.search): Locale {
  const asked = new URLSearchParams(search).get("lang") ?? sessionStorage.getItem(STORED);
  return asked === "en" ? "en" : "zh-CN";
}

export function remember(locale: Locale): void {
  sessionStorage.setItem(STORED, locale);
  document.documentElement.lang = locale;
}

export function makeI18n(locale: Locale = initialLocale()) {
  document.documentElement.lang = locale;
  return createI18n({ legacy: false, locale, fallbackLocale: "zh-CN", messages: { "zh-CN": zhCN, en } });
}
