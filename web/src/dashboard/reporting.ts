// The reporting API's answers as the dashboard reads them (GET /kpis/*, /targets); see its /docs.
import { getJson } from "@/shared/api";

export interface Ratio {
  numerator: number;
  denominator: number;
  percent: number | null;
}
export type Rates = Record<string, Ratio>;
export interface Wording {
  numerator: { zh: string; en: string };
  denominator: { zh: string; en: string };
}
export type Definitions = Record<string, Wording>;
export interface Kpis {
  rates: Rates;
  counts: Record<string, number>;
}
export interface EstateRow {
  estate_id: string;
  name: string;
  rank: number;
  kpis: Kpis;
  targets: Record<string, number>;
  below_target: string[];
}
export interface Overview {
  from: string;
  to: string;
  definitions: Definitions;
  group: Kpis;
  estates: EstateRow[];
}
export interface Trend {
  from: string;
  to: string;
  definitions: Definitions;
  months: { month: string; kpis: Kpis }[];
}
export interface DrillRow {
  key: string;
  name: string;
  rates: Rates;
  counts: { callbacks_completed: number; callbacks_overdue: number; callbacks_failed: number };
}
export interface DrillDown {
  estate_id: string;
  from: string;
  to: string;
  definitions: Definitions;
  rows: DrillRow[];
}
export interface Period {
  from?: string;
  to?: string;
}

/** Every rate of the API, in the order the reporting domain computes them (`rates`). */
export const METRICS = [
  "overall_satisfaction",
  "callback_satisfaction",
  "complaint_satisfaction",
  "timeliness",
  "success_rate",
  "coverage",
  "return_rate",
] as const;
/** The rates a drill-down answers (callbacks only). */
export const DRILL_METRICS = ["callback_satisfaction", "complaint_satisfaction", "timeliness", "success_rate", "coverage"] as const;

export const overview = (p: Period) => getJson<Overview>("/kpis/overview", { ...p });
export const trend = (p: Period, estateId?: string) => getJson<Trend>("/kpis/trend", { ...p, estate_id: estateId });
export const drill = (estateId: string, p: Period, department?: string) =>
  getJson<DrillDown>(`/kpis/estates/${encodeURIComponent(estateId)}`, {
    ...p,
    by: department ? "staff" : "department",
    department,
  });
export const targets = (estateId = "*") =>
  getJson<{ estate_id: string; targets: Record<string, number> }>("/targets", { estate_id: estateId });

/** A rate below its target; a rate with nothing counted is never below (R-SV-5). */
export function isBelow(ratio: Ratio | undefined, target: number | undefined): boolean {
  return ratio?.percent != null && target !== undefined && ratio.percent < target;
}

export interface Complaints {
  received: number;
  grade: Record<string, number>;
  validity: Record<string, number>;
  category: Record<string, number>;
  overdue_callbacks: number;
}
export interface CorrectiveAction {
  action_id: string;
  estate_id: string;
  period: string;
  metric: string;
  dimension?: string;
  target_percent: number;
  actual_percent: number;
  numerator: number;
  denominator: number;
  deadline: string;
  verified_at?: string | null;
  effective?: boolean | null;
}

export const complaints = (p: Period, estateId: string) =>
  getJson<Complaints>("/kpis/complaints", { ...p, estate_id: estateId });
/** An estate's notices of the months in the period (R-SV-5). */
export async function actionsOf(p: Period, estateId: string): Promise<CorrectiveAction[]> {
  const { actions } = await getJson<{ actions: CorrectiveAction[] }>("/corrective-actions");
  return actions.filter(
    (a) => a.estate_id === estateId && (!p.from || a.period >= p.from) && (!p.to || a.period <= p.to),
  );
}
