// The self-check's only front end: an anywidget ES module (`render({ model, el })`).
//
// Three hosts load this same file: the handbook's static page (through
// static_host.js and a tiny stand-in model), a Jupyter notebook and a Voila
// app (through policybook.widget.SelfCheckWidget). The model carries:
//   rule_pack    the compiled rule pack (read)
//   text         a draft to start from (read; the typed draft is never written back,
//                so the message stays in the browser)
//   handbook_url the handbook's policy page, for "Read this guideline" links (read)
//   verdict, categories  the latest check (written back for the Python side)
//
// The parent's words are only ever put on the page as text nodes, never as HTML.

import { checkMessage } from "./engine.js";
import { buildFinding, groupByRule } from "./self_check_findings.js";
import { buildMirror } from "./self_check_mirror.js";
import { h } from "./self_check_dom.js";
import { ensureStyle } from "./self_check_style.js";

const DEBOUNCE_MS = 150;

/** What each verdict says. The icon is a shape as well as a colour. */
const VERDICTS = {
  ok: {
    title: "Fine to post",
    icon: "\u2713",
    detail: "We found nothing in this message that goes against our policy.",
  },
  caution: {
    title: "Think again",
    icon: "!",
    detail:
      "Parts of this message may go against our policy. Have a look at the points below before you post.",
  },
  stop: {
    title: "Don't post this",
    icon: "\u2715",
    detail:
      "This message goes against our policy. We suggest you don't post it as it is.",
  },
};

let instanceCount = 0;

/** Put text on the clipboard; fall back to a selection copy on old or locked-down browsers. */
async function copyText(text, fallbackField) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallbackField.focus();
    fallbackField.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

function summarise(verdict, findings) {
  const title = VERDICTS[verdict].title;
  if (!findings.length) return `${title}.`;
  const count = findings.length === 1 ? "1 thing" : `${findings.length} things`;
  return `${title}. ${count} to look at.`;
}

/** The widget: a labelled draft box, a live verdict and findings, and a copy button. */
function render({ model, el }) {
  ensureStyle(el);
  const id = `bypsc-${++instanceCount}`;
  const draft = h("textarea", {
    id: `${id}-draft`,
    class: "bypsc-draft",
    rows: 6,
    spellcheck: "true",
    "aria-describedby": `${id}-hint ${id}-privacy`,
  });
  const icon = h("span", { class: "bypsc-icon", "aria-hidden": "true" });
  const title = h("span", { class: "bypsc-title" });
  const detail = h("p", { class: "bypsc-detail" });
  const advice = h(
    "p",
    { class: "bypsc-advice", hidden: true },
    "This is advice only: you can still post your message. Please read the points below first.",
  );
  const copyButton = h("button", { type: "button", class: "bypsc-copy", hidden: true }, "Copy message");
  const result = h(
    "div",
    { class: "bypsc-result", "data-verdict": "ok", "data-categories": "" },
    h("p", { class: "bypsc-verdict" }, icon, title),
    detail,
    advice,
    copyButton,
  );
  const findingsHeading = h("h2", { hidden: true, class: "bypsc-heading" }, "What we noticed");
  const findingsList = h("ol", { class: "bypsc-findings", hidden: true });
  const mirrorHeading = h("h2", { hidden: true, class: "bypsc-heading" }, "Your message, with those words highlighted");
  const mirror = h("div", { class: "bypsc-mirror", hidden: true });
  const status = h("p", { class: "bypsc-sr", role: "status", "aria-live": "polite" });

  const root = h(
    "div",
    { class: "bypsc", "data-self-check": "", "data-checks": "0" },
    h("label", { class: "bypsc-label", for: draft.id }, "Your draft message"),
    h(
      "p",
      { class: "bypsc-hint", id: `${id}-hint` },
      "Type or paste the message you plan to post. We check it as you type.",
    ),
    draft,
    h(
      "p",
      { class: "bypsc-privacy", id: `${id}-privacy` },
      "This check runs on your device. Your message is not sent or stored.",
    ),
    result,
    findingsHeading,
    findingsList,
    mirrorHeading,
    mirror,
    status,
  );
  el.replaceChildren(root);

  let checks = 0;
  let lastAnnouncement = "";

  function announce(message) {
    if (message === lastAnnouncement) return;
    lastAnnouncement = message;
    status.textContent = message;
  }

  /** The verdict box: words and a shape, the copy button only when the draft is fine. */
  function showVerdict(verdict, checked, empty) {
    icon.textContent = VERDICTS[verdict].icon;
    if (!checked) {
      title.textContent = "Not checked";
      detail.textContent = "The self-check rules have not loaded, so this message was not checked.";
    } else if (empty) {
      title.textContent = "Nothing to check yet";
      detail.textContent = "Start typing and the result appears here.";
    } else {
      title.textContent = VERDICTS[verdict].title;
      detail.textContent = VERDICTS[verdict].detail;
    }
    advice.hidden = verdict === "ok";
    copyButton.hidden = verdict !== "ok" || empty || !checked;
    copyButton.textContent = "Copy message";
  }

  /** One entry per rule, then the draft with the words highlighted. */
  function showFindings(pack, text, findings, groups) {
    const handbookUrl = model.get("handbook_url") ?? "";
    findingsList.replaceChildren(...groups.map((group) => buildFinding(pack, group, handbookUrl)));
    const hasFindings = findings.length > 0;
    findingsHeading.hidden = findingsList.hidden = !hasFindings;
    mirrorHeading.hidden = mirror.hidden = !hasFindings;
    if (hasFindings) buildMirror(mirror, text, findings);
    else mirror.replaceChildren();
  }

  function check() {
    const pack = model.get("rule_pack");
    const text = draft.value;
    const started = performance.now();
    const outcome = pack && Object.keys(pack).length ? checkMessage(pack, text) : null;
    root.dataset.engineMs = (performance.now() - started).toFixed(2);
    const verdict = outcome?.verdict ?? "ok";
    const findings = outcome?.findings ?? [];
    const categories = [...new Set(findings.map((f) => f.category))];
    const groups = groupByRule(findings);
    const empty = text.trim() === "";

    result.dataset.verdict = verdict;
    result.dataset.categories = categories.join(" ");
    showVerdict(verdict, outcome !== null, empty);
    showFindings(pack, text, findings, groups);

    checks += 1;
    root.dataset.checks = String(checks);
    root.dataset.checkedLength = String(text.length);
    root.dataset.checkMs = (performance.now() - started).toFixed(2);
    if (!empty) announce(summarise(verdict, groups));

    model.set("verdict", verdict);
    model.set("categories", categories);
    model.save_changes();
  }

  let timer = null;
  function scheduleCheck() {
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  function loadText() {
    const text = model.get("text") ?? "";
    if (text !== draft.value) draft.value = text;
    check();
  }

  draft.addEventListener("input", scheduleCheck);
  copyButton.addEventListener("click", async () => {
    const copied = await copyText(draft.value, draft);
    copyButton.textContent = copied ? "Copied" : "Copy message";
    announce(copied ? "Message copied." : "Could not copy. Select the message and copy it yourself.");
  });
  model.on("change:text", loadText);
  model.on("change:rule_pack", check);
  model.on("change:handbook_url", check);
  loadText();

  return () => {
    clearTimeout(timer);
    model.off("change:text", loadText);
    model.off("change:rule_pack", check);
    model.off("change:handbook_url", check);
  };
}

export default { render };
