// Chinese first; English on the switch. Every label the console shows is a key here: [zh, en].
"use strict";
const TEXT = {
  "brand": ["回访工作台", "Callback console"],
  "nav.queue": ["我的回访", "My queue"], "nav.duty": ["值班", "Duty"], "nav.manage": ["管理", "Manage"],
  "nav.password": ["改密码", "Password"], "nav.signout": ["退出", "Sign out"],
  "login.title": ["员工登录", "Staff sign-in"], "login.user": ["用户名（工号）", "User name (staff id)"],
  "login.password": ["密码", "Password"], "login.submit": ["登录", "Sign in"],
  "login.bad": ["用户名或密码错误", "Wrong user name or password"],
  "login.inactive": ["账号已停用", "Account inactive"],
  "pw.title": ["修改密码", "Change password"], "pw.current": ["当前密码", "Current password"],
  "pw.new": ["新密码（至少8位，含字母和数字）", "New password (8+ characters, letters and digits)"],
  "pw.submit": ["保存", "Save"], "pw.done": ["密码已修改", "Password changed"],
  "pw.must": ["首次登录，请先修改密码", "First sign-in: choose your own password"],
  "queue.title": ["我的回访任务", "My callbacks"], "queue.overdue": ["已超时", "Overdue"],
  "queue.due_today": ["今日到期", "Due today"], "queue.upcoming": ["即将到期", "Upcoming"],
  "queue.empty": ["暂无", "None"], "queue.deadline": ["截止", "Deadline"], "queue.unit": ["房号", "Unit"],
  "queue.attempts": ["已联系", "Attempts"], "queue.round": ["第{n}轮", "Round {n}"],
  "queue.accept": ["接单", "Accept"], "queue.release": ["退回", "Release"], "queue.record": ["记录回访", "Record"],
  "queue.accepted": ["已接单", "Accepted"], "queue.released": ["已退回，转给 ", "Released to "],
  "queue.apology": ["需致歉", "Apology"], "queue.dept": ["责任部门", "Department"],
  "rec.title": ["回访记录", "Callback record"], "rec.source": ["原始单据", "Original request"],
  "rec.history": ["往次回访", "Earlier rounds"], "rec.attempts": ["往次联系", "Earlier attempts"],
  "rec.none": ["无", "None"], "rec.result": ["联系结果", "Result"], "rec.method": ["回访方式", "Method"],
  "rec.answered_by": ["接听/接待人", "Who answered"], "rec.relation": ["与业主关系", "Relation"],
  "rec.duration": ["时长（分钟）", "Duration (minutes)"], "rec.ratings": ["满意度评价", "Ratings"],
  "rec.comments": ["业主意见", "Comments"], "rec.suggestions": ["业主建议", "Suggestions"],
  "rec.raise": ["业主提出新投诉（转投诉，上报主管）", "Raise a new complaint (escalated)"],
  "rec.issue": ["投诉内容", "Complaint"], "rec.issue_cat": ["投诉类别", "Category"],
  "rec.submit": ["提交记录", "Submit record"], "rec.saved": ["已提交", "Submitted"],
  "rec.failed": ["提交失败，已填写内容已保留，请修改后重试", "Not saved; what you typed is kept — fix and retry"],
  "rec.offline": ["网络错误，已填写内容已保留", "Network error; what you typed is kept"],
  "rec.checklist": ["上门回访规范（seed 000 §4.9）", "Door-visit conduct (seed 000 §4.9)"],
  "rec.timer": ["谈话计时", "Talk timer"], "rec.start": ["开始谈话", "Start talk"], "rec.stop": ["结束谈话", "End talk"],
  "rec.reminder": ["谈话已超过10分钟，请注意控制时间，主动道别", "Over 10 minutes: keep it short and take your leave"],
  "rec.back": ["返回队列", "Back to queue"],
  "dim.punctuality": ["及时性", "Punctuality"], "dim.attitude": ["服务态度", "Attitude"],
  "dim.quality": ["服务质量", "Quality"], "dim.overall": ["总体评价", "Overall"],
  "err.ratings": ["接通后须评价，至少选择总体评价", "Reached: rate at least overall"],
  "err.ratings.overall": ["请选择总体评价", "Choose the overall rating"],
  "err.result": ["请选择联系结果", "Choose the result"], "err.method": ["请选择回访方式", "Choose the method"],
  "err.relation": ["请选择与业主关系", "Choose the relation"], "err.duration_seconds": ["时长不能为负", "Duration ≥ 0"],
  "err.new_issues": ["只有接通时才能登记新投诉", "New complaints need a reached contact"],
  "err.answered_by": ["请填写接听人", "Who answered?"], "err.generic": ["此项填写有误", "Check this field"],
  "err.contacted_at": ["联系时间有误", "Contact time is wrong"],
  "duty.title": ["今日值班", "Today's duty"], "duty.onduty": ["在岗人员", "On duty"],
  "duty.log": ["值班记录", "Duty log"], "duty.add": ["添加记录", "Add entry"], "duty.body": ["记录内容", "Entry"],
  "duty.correct": ["更正", "Correct"], "duty.correcting": ["更正第 {n} 条", "Correcting entry {n}"],
  "duty.corrects": ["更正 #{n}", "corrects #{n}"], "duty.append_only": ["值班记录只能追加和更正，不能修改或删除（R-OP-3）",
    "The duty log is append-only: add or correct, never edit or delete (R-OP-3)"],
  "duty.handover": ["交接班", "Shift handover"], "duty.incoming": ["接班人", "Incoming"],
  "duty.notes": ["交接说明", "Notes"], "duty.item": ["新增交接事项", "New open item"],
  "duty.important": ["重要", "Important"], "duty.sign_out": ["交班签字", "Sign as outgoing"],
  "duty.sign_in": ["接班签字", "Sign as incoming"], "duty.open_items": ["未结事项（自动转交）", "Open items (carried over)"],
  "duty.awaiting": ["待接班签字", "Awaiting incoming"], "duty.completed": ["已交接", "Completed"],
  "man.title": ["管理视图", "Manager views"], "man.unassigned": ["待分派队列", "Unassigned queue"],
  "man.reason": ["原因", "Reason"], "man.reassign": ["改派", "Reassign"], "man.to": ["改派给", "Assign to"],
  "man.overdue": ["超时未回访（按人员）", "Overdue by person"], "man.policy": ["本项目回访策略", "Estate policy in force"],
  "man.preview": ["策略预演（示例事件）", "Policy preview (sample events)"], "man.estate": ["项目", "Estate"],
  "man.load": ["在办数", "Open"], "man.none": ["暂无", "None"], "man.nopolicy": ["无法读取策略：", "Policy unavailable: "],
  "common.loading": ["加载中…", "Loading…"], "common.error": ["出错了：", "Error: "], "common.save": ["保存", "Save"],
};

let LANG = new URLSearchParams(location.search).get("lang") || localStorage.getItem("huifang.lang") || "zh";

function t(key, vars) {
  const pair = TEXT[key];
  let s = pair ? pair[LANG === "en" ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace("{" + k + "}", v);
  return s;
}

function applyText(root) {
  for (const el of (root || document).querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.documentElement.lang = LANG === "en" ? "en" : "zh-CN";
  document.getElementById("lang").textContent = LANG === "en" ? "中文" : "EN";
}

function setLang(lang) {
  LANG = lang;
  localStorage.setItem("huifang.lang", lang);
}
