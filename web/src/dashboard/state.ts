// What the screens share: the period in the route's query, the locale, the labels, the overview of a period.
import { computed } from "vue";
import { useRoute, useRouter } from "vue-router";
import { useI18n } from "vue-i18n";
import { label, type Locale } from "@/shared/labels";
import { overview, type Overview, type Period, type Wording } from "./reporting";

export function usePeriod() {
  const route = useRoute();
  const router = useRouter();
  const period = computed<Period>(() => {
    const to = typeof route.query.to === "string" ? route.query.to : currentMonth();
    const from = typeof route.query.from === "string" ? route.query.from : shiftMonth(to, -11);
    return { from, to };
  });
  function setPeriod(next: Period): void {
    void router.replace({ query: { ...route.query, ...next } });
  }
  return { period, setPeriod };
}

/** The month now in the estates' time zone (the reporting API's months are Asia/Shanghai months). */
export function currentMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
    .formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}`;
}

export function shiftMonth(month: string, by: number): string {
  const [year, mon] = month.split("-").map(Number);
  const index = year * 12 + mon - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function useLabels() {
  const { locale, t } = useI18n();
  const current = computed(() => locale.value as Locale);
  return {
    locale: current,
    t,
    metric: (code: string) => label(current.value, "Metric", code),
    department: (code: string) => label(current.value, "Department", code),
    wording: (w: Wording | undefined, part: "numerator" | "denominator") =>
      w ? w[part][current.value === "en" ? "en" : "zh"] : "",
    month: (month: string | undefined) => {
      if (!month) return "";
      const [year, mon] = month.split("-").map(Number);
      return t("period.month", { year, month: mon });
    },
  };
}

const overviews = new Map<string, Promise<Overview>>();

/** The group overview of a period, fetched once per period while the tab is open. */
export function overviewOf(p: Period): Promise<Overview> {
  const key = `${p.from ?? ""}/${p.to ?? ""}`;
  let answer = overviews.get(key);
  if (!answer) {
    answer = overview(p);
    answer.catch(() => overviews.delete(key));
    overviews.set(key, answer);
  }
  return answer;
}
