// Huifang reporting dashboard: reads the KPI API with the bearer token, draws tables and ECharts.
// Chinese first (zh-CN), English with ?lang=en. Every rate is shown as "percent% (numerator/denominator)".
"use strict";

const LANG = document.body.dataset.lang === "en" ? "en" : "zh";
const T = {
  zh: { title: "回访报表看板", from: "起始月", to: "截止月", reload: "刷新", overview: "集团总览（按满意率排名）",
        trend: "指标趋势", drill: "下钻", rank: "排名", estate: "项目", department: "部门", staff: "员工",
        overall_satisfaction: "总体满意率", callback_satisfaction: "回访满意率", complaint_satisfaction: "投诉处理满意率",
        timeliness: "回访及时率", success_rate: "回访成功率", coverage: "回访覆盖率", return_rate: "问卷回收率",
        below: "低于目标", callbacks: "回访记录汇总表", complaints: "投诉调度记录月总结表", quarterly: "回访报告表",
        none: "无数据", loading: "加载中…", ready: "已更新" },
  en: { title: "Callback reporting dashboard", from: "From", to: "To", reload: "Reload",
        overview: "Group overview (ranked by satisfaction)", trend: "KPI trends", drill: "Drill-down", rank: "Rank",
        estate: "Estate", department: "Department", staff: "Staff", overall_satisfaction: "Overall satisfaction",
        callback_satisfaction: "Callback satisfaction", complaint_satisfaction: "Complaint satisfaction",
        timeliness: "Timeliness", success_rate: "Success rate", coverage: "Coverage", return_rate: "Return rate",
        below: "Below target", callbacks: "Monthly callback summary", complaints: "Monthly complaint summary",
        quarterly: "Quarterly callback report", none: "no data", loading: "Loading…", ready: "Updated" },
}[LANG];
const METRICS = ["overall_satisfaction", "callback_satisfaction", "timeliness", "success_rate", "coverage"];
const DRILL_METRICS = ["callback_satisfaction", "timeliness", "success_rate", "coverage"];

const params = new URLSearchParams(location.search);
if (params.get("token")) sessionStorage.setItem("huifang-token", params.get("token"));
const TOKEN = sessionStorage.getItem("huifang-token") || "";

function api(path) {
  return fetch(path, { headers: { Authorization: "Bearer " + TOKEN } }).then((r) => {
    if (!r.ok) throw new Error(path + " → " + r.status);
    return r;
  });
}

function ratio(r) {
  return r.percent === null ? T.none : `${r.percent.toFixed(2)}% (${r.numerator}/${r.denominator})`;
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function header(table, names) {
  table.tHead.innerHTML = "";
  const tr = table.tHead.insertRow();
  for (const n of names) { const th = document.createElement("th"); th.textContent = n; tr.appendChild(th); }
}

function range() {
  return `from=${document.getElementById("from").value}&to=${document.getElementById("to").value}`;
}

async function loadOverview() {
  const data = await (await api(`/kpis/overview?${range()}`)).json();
  const table = document.getElementById("overview");
  header(table, [T.rank, T.estate, ...METRICS.map((m) => T[m])]);
  const body = table.tBodies[0];
  body.innerHTML = "";
  for (const e of data.estates) {
    const tr = body.insertRow();
    tr.dataset.estate = e.estate_id;
    tr.className = "clickable" + (e.below_target.length ? " below" : "");
    tr.title = e.below_target.length ? T.below + ": " + e.below_target.map((m) => T[m]).join(", ") : "";
    tr.appendChild(cell(String(e.rank)));
    tr.appendChild(cell(e.name, "name" + (e.below_target.length ? " flag" : "")));
    for (const m of METRICS) {
      const td = cell(ratio(e.kpis.rates[m]));
      td.dataset.metric = m;
      tr.appendChild(td);
    }
    tr.addEventListener("click", () => drill(e.estate_id, e.name));
  }
  return data;
}

async function loadTrend() {
  const data = await (await api(`/kpis/trend?${range()}`)).json();
  const chart = echarts.init(document.getElementById("trend-chart"));
  chart.setOption({
    animation: false, // a figure, not a show: what is drawn is at once what the API said
    tooltip: { trigger: "axis" },
    legend: { data: METRICS.map((m) => T[m]) },
    xAxis: { type: "category", data: data.months.map((x) => x.month) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: METRICS.map((m) => ({
      name: T[m], type: "line", connectNulls: true, data: data.months.map((x) => x.kpis.rates[m].percent),
    })),
  });
  window.__trendChart = chart;
  return data;
}

async function drill(estateId, name, department) {
  document.getElementById("drill-title").textContent = name + (department ? " › " + department : "");
  const by = department ? "staff" : "department";
  const dep = department ? `&department=${encodeURIComponent(department)}` : "";
  const data = await (await api(`/kpis/estates/${encodeURIComponent(estateId)}?by=${by}${dep}&${range()}`)).json();
  const table = document.getElementById(department ? "staff" : "departments");
  header(table, [department ? T.staff : T.department, ...DRILL_METRICS.map((m) => T[m])]);
  const body = table.tBodies[0];
  body.innerHTML = "";
  for (const row of data.rows) {
    const tr = body.insertRow();
    tr.dataset.key = row.key;
    tr.appendChild(cell(row.name || "—", "name"));
    for (const m of DRILL_METRICS) tr.appendChild(cell(ratio(row.rates[m])));
    if (!department) { tr.className = "clickable"; tr.addEventListener("click", () => drill(estateId, name, row.key)); }
  }
  if (!department) { document.getElementById("staff").tBodies[0].innerHTML = ""; exportsFor(estateId); }
}

function exportsFor(estateId) {
  const month = document.getElementById("to").value;
  const [year, mon] = month.split("-").map(Number);
  const quarter = `${year}-Q${Math.ceil(mon / 3)}`;
  const box = document.getElementById("exports");
  box.innerHTML = "";
  const links = [["callbacks", month], ["complaints", month], ["quarterly", quarter]];
  for (const [kind, period] of links) {
    for (const fmt of ["xlsx", "csv"]) {
      const a = document.createElement("a");
      a.textContent = `${T[kind]} (${fmt.toUpperCase()})`;
      a.dataset.href = `/summaries/${kind}/${encodeURIComponent(estateId)}/${period}?format=${fmt}`;
      a.addEventListener("click", async () => {
        const blob = await (await api(a.dataset.href)).blob();
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = `${kind}-${estateId}-${period}.${fmt}`;
        link.click();
      });
      box.appendChild(a);
    }
  }
}

async function reload() {
  const status = document.getElementById("status");
  status.textContent = T.loading;
  try {
    await Promise.all([loadOverview(), loadTrend()]);
    status.textContent = T.ready;
    document.body.dataset.loaded = "true";
  } catch (err) {
    status.textContent = String(err);
  }
}

for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = T[el.dataset.i18n];
const now = new Date();
const current = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
document.getElementById("to").value = params.get("to") || current;
document.getElementById("from").value = params.get("from") || document.getElementById("to").value;
document.getElementById("reload").addEventListener("click", reload);
reload();
