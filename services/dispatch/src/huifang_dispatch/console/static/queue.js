// My queue: overdue, due today, upcoming (the estate's day); accept, release, open the record form.
"use strict";
const BUCKETS = ["overdue", "due_today", "upcoming"];

async function queueScreen() {
  const queue = await must("dispatch", "GET", "/me/callbacks");
  const root = h("section", { id: "queue" }, h("h1", {}, t("queue.title")));
  for (const bucket of BUCKETS) {
    const items = queue[bucket];
    root.append(
      h("h2", { id: "h-" + bucket }, `${t("queue." + bucket)} (${items.length})`),
      h("div", { class: "queue-grid", id: "bucket-" + bucket },
        items.length ? items.map((c) => queueCard(c, bucket)) : h("div", { class: "empty" }, t("queue.empty"))));
  }
  return root;
}

function sourceLine(c) {
  const parts = [label("kind", c.kind)];
  if (c.grade) parts.push(label("grade", c.grade) + (LANG === "en" ? "" : "投诉"));
  if (c.category) parts.push(c.category + (c.subcategory ? " › " + c.subcategory : ""));
  return parts.filter(Boolean).join(" · ");
}

function queueCard(c, bucket) {
  // Recorded here as completed or failed: shown as sent until dispatch hears it from survey.
  if (doneIds().has(c.callback_id)) {
    return h("article", { class: "card muted", dataset: { callbackId: c.callback_id, bucket, sent: "true" } },
      `${c.unit_id || ""} ${c.requester_name || ""} · ${t("rec.saved")}`);
  }
  const status = h("span", { class: "muted", id: "status-" + c.callback_id }, c.accepted ? t("queue.accepted") : "");
  const card = h("article", { class: "card " + bucket, dataset: { callbackId: c.callback_id, bucket } },
    h("div", { class: "row" },
      h("span", { class: "badge" + (c.method === "door" ? " door" : "") }, label("method", c.method)),
      h("strong", {}, sourceLine(c)),
      c.round > 1 ? h("span", { class: "badge late" }, t("queue.round", { n: c.round })) : null,
      c.apology ? h("span", { class: "badge late" }, t("queue.apology")) : null),
    h("div", { class: "row" },
      h("span", {}, `${t("queue.deadline")} `, h("b", { class: "deadline" }, localText(c.deadline.local))),
      h("span", {}, `${t("queue.unit")} ${c.unit_id || "—"}`),
      h("span", {}, `${c.requester_name || ""} ${c.requester_phone || ""}`)),
    h("div", { class: "row muted" },
      h("span", {}, `${t("queue.attempts")} ${c.attempts_made}${c.max_attempts ? "/" + c.max_attempts : ""}`),
      c.department ? h("span", {}, `${t("queue.dept")} ${c.department}`) : null,
      h("span", {}, c.callback_id), status),
    h("div", { class: "actions" },
      h("a", { class: "button primary", href: "#/record/" + encodeURIComponent(c.callback_id), dataset: { action: "record" } },
        t("queue.record")),
      c.accepted ? null : h("button", { type: "button", dataset: { action: "accept" }, onclick: () => accept(c, card, status) },
        t("queue.accept")),
      h("button", { type: "button", dataset: { action: "release" }, onclick: () => release(c, card, status) },
        t("queue.release"))));
  return card;
}

async function accept(c, card, status) {
  const r = await api("dispatch", "POST", `/callbacks/${encodeURIComponent(c.callback_id)}/accept`);
  status.textContent = r.ok ? t("queue.accepted") : t("common.error") + (r.data && r.data.detail);
  if (r.ok) { const b = card.querySelector("[data-action=accept]"); if (b) b.remove(); }
}

async function release(c, card, status) {
  const r = await api("dispatch", "POST", `/callbacks/${encodeURIComponent(c.callback_id)}/release`);
  if (r.ok) card.replaceChildren(h("div", { class: "muted" }, t("queue.released") + r.data.assignee_id));
  else status.textContent = t("common.error") + (r.data && r.data.detail);
}
