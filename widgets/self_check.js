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

const DEBOUNCE_MS = 150;
/** Distinct quotes listed per rule; the highlighted copy of the draft shows every one. */
const MAX_QUOTES = 3;
/** Drafts longer than this (UTF-16 units) are shown back as excerpts around the findings. */
const MIRROR_FULL_LENGTH = 5000;
const MAX_EXCERPTS = 20;
const EXCERPT_CONTEXT = 60;
const STYLE_ID = "bypsc-style";

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

/** Each category in plain words, for parents who never read the rule pack. */
const CATEGORY_LABELS = {
  grievance: "A complaint about a teacher, child or parent",
  politics: "Politics or current affairs",
  private: "A private conversation",
  respect: "Respect and cultural sensitivity",
  abuse: "An abusive or personal comment",
  "offensive-language": "Swearing or offensive language",
  disrepute: "Could bring the school into disrepute",
  defamation: "Could be defamatory",
  "policy-challenge": "Challenging school policy in public",
  "individual-child": "About an individual child",
  threat: "Threatening or intimidating words",
  "off-topic": "Not for the whole group",
};

const CSS = `
.bypsc{font:inherit;color:#0b0c0c;max-width:46rem;box-sizing:border-box}
.bypsc *,.bypsc *::before,.bypsc *::after{box-sizing:border-box}
.bypsc-label{display:block;font-weight:700;font-size:1.1em;margin:0 0 .25rem}
.bypsc-hint{margin:0 0 .5rem;color:#484949}
.bypsc-draft{display:block;width:100%;min-height:8rem;padding:.5rem;font:inherit;
  color:#0b0c0c;background:#fff;border:2px solid #0b0c0c;border-radius:0;resize:vertical}
.bypsc a:focus,.bypsc button:focus,.bypsc-draft:focus{outline:3px solid #ffdd00;
  outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
.bypsc a:focus{background:#ffdd00;color:#0b0c0c}
.bypsc-privacy{margin:.5rem 0 1rem;color:#484949;font-size:.95em}
.bypsc-result{border-left:.4rem solid #505a5f;padding:.5rem .75rem;margin:0 0 1rem;background:#f3f2f1}
.bypsc-result[data-verdict=ok]{border-color:#00703c;background:#e8f4ec}
.bypsc-result[data-verdict=caution]{border-color:#b35900;background:#fff4e0}
.bypsc-result[data-verdict=stop]{border-color:#a3141c;background:#fdecec}
.bypsc-verdict{display:flex;align-items:center;gap:.5rem;margin:0;font-size:1.25em;font-weight:700}
.bypsc-icon{display:inline-flex;align-items:center;justify-content:center;flex:none;
  width:1.6em;height:1.6em;color:#fff;background:#505a5f;font-size:.9em;line-height:1}
[data-verdict=ok] .bypsc-icon{background:#00703c;border-radius:50%}
[data-verdict=caution] .bypsc-icon{background:#8a4500;clip-path:polygon(50% 0,100% 100%,0 100%);
  padding-top:.3em}
[data-verdict=stop] .bypsc-icon{background:#a3141c;
  clip-path:polygon(30% 0,70% 0,100% 30%,100% 70%,70% 100%,30% 100%,0 70%,0 30%)}
.bypsc-detail{margin:.35rem 0 0}
.bypsc-advice{margin:.35rem 0 0;font-size:.95em}
.bypsc .bypsc-heading{font-size:1.1em;margin:1rem 0 .5rem;line-height:1.3}
.bypsc-findings{margin:0;padding-left:1.25rem}
.bypsc-findings>li{margin:0 0 1rem}
.bypsc-findings p{margin:.2rem 0}
.bypsc-category{font-weight:700}
.bypsc-guideline{margin:.3rem 0;padding:.1rem 0 .1rem .6rem;border-left:3px solid #b1b4b6;font-style:italic}
.bypsc mark{background:#fff2a8;color:#0b0c0c;text-decoration:underline;text-decoration-thickness:2px;
  text-underline-offset:2px;padding:0 .05em}
.bypsc-mirror{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;max-height:18rem;
  overflow:auto;padding:.5rem;border:1px solid #b1b4b6;background:#fff}
.bypsc-mirror-note{font-style:italic;margin:.5rem 0 0;white-space:normal}
.bypsc-copy{font:inherit;font-weight:700;padding:.5rem 1rem;color:#fff;background:#00703c;
  border:0;border-bottom:2px solid #002d18;cursor:pointer;margin:.5rem 0 0}
.bypsc-copy:hover{background:#005a30}
.bypsc a{color:#1d4ed8;overflow-wrap:anywhere}
.bypsc-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
  clip:rect(0 0 0 0);white-space:nowrap;border:0}
.bypsc [hidden]{display:none!important}
`;

let instanceCount = 0;

/** Create an element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === undefined || value === null) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function ensureStyle(el) {
  const root = el.getRootNode();
  const scope = root instanceof ShadowRoot ? root : document.head;
  if (scope.querySelector?.(`#${STYLE_ID}`)) return;
  scope.append(h("style", { id: STYLE_ID, text: CSS }));
}

/** Offsets in the findings count Unicode code points; JS strings index UTF-16 units. */
function codePointToUnitIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
  const units = [0];
  let unit = 0;
  for (const char of text) {
    unit += char.length;
    units.push(unit);
  }
  return (offset) => units[Math.min(offset, units.length - 1)];
}

/** Merge overlapping [start, end) ranges so each word is highlighted once. */
function mergeRanges(ranges) {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Append text[from, to) to `parent`, with the given ranges in <mark>. */
function appendMarked(parent, text, ranges, from, to) {
  let cursor = from;
  for (const [start, end] of ranges) {
    if (end <= cursor || start >= to) continue;
    const markStart = Math.max(start, cursor);
    if (markStart > cursor) parent.append(document.createTextNode(text.slice(cursor, markStart)));
    cursor = Math.min(end, to);
    parent.append(h("mark", {}, text.slice(markStart, cursor)));
  }
  if (cursor < to) parent.append(document.createTextNode(text.slice(cursor, to)));
}

/** Move an index off the second half of a surrogate pair, so no emoji is cut in two. */
function snap(text, index) {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * The draft as text nodes, with the words behind each finding in <mark>.
 * A long paste shows only the first places, with some words either side:
 * thousands of marks would freeze a phone, and nobody reads them all.
 */
function buildMirror(container, text, findings) {
  const toUnit = codePointToUnitIndex(text);
  const ranges = mergeRanges(findings.map((f) => [toUnit(f.start), toUnit(f.end)]));
  const fragment = document.createDocumentFragment();
  if (text.length <= MIRROR_FULL_LENGTH) {
    appendMarked(fragment, text, ranges, 0, text.length);
  } else {
    const shown = ranges.slice(0, MAX_EXCERPTS);
    let lastEnd = 0;
    for (const [start, end] of shown) {
      if (end <= lastEnd) continue;
      const from = Math.max(lastEnd, snap(text, Math.max(0, start - EXCERPT_CONTEXT)));
      const to = snap(text, Math.min(text.length, end + EXCERPT_CONTEXT));
      if (from > lastEnd || lastEnd === 0) fragment.append(from > 0 ? "\n\u2026" : "");
      appendMarked(fragment, text, shown, from, to);
      lastEnd = to;
    }
    if (lastEnd < text.length) fragment.append("\u2026");
    if (ranges.length > shown.length) {
      const note = `Showing the first ${shown.length} of ${ranges.length} places in this long message.`;
      fragment.append(h("p", { class: "bypsc-mirror-note" }, note));
    }
  }
  container.replaceChildren(fragment);
}

/** The suggestion as text, with the school's email turned into a mailto link. */
function buildSuggestion(suggestion, email) {
  const paragraph = h("p", { class: "bypsc-suggestion" }, h("strong", {}, "What you could do: "));
  if (!email || !suggestion.includes(email)) {
    paragraph.append(document.createTextNode(suggestion));
    return paragraph;
  }
  const parts = suggestion.split(email);
  parts.forEach((part, index) => {
    if (part) paragraph.append(document.createTextNode(part));
    if (index < parts.length - 1) {
      paragraph.append(h("a", { href: `mailto:${encodeURI(email)}` }, email));
    }
  });
  return paragraph;
}

/** The school's office email, from school.yaml via the rule pack. */
function officeEmail(pack) {
  return pack?.school?.office_email ?? "";
}

/** The text of a cited clause (the rule pack carries every clause a rule cites). */
function clauseText(pack, clauseId) {
  return pack?.clauses?.[clauseId]?.text ?? "";
}

function categoryLabel(category) {
  return CATEGORY_LABELS[category] ?? category.replaceAll("-", " ");
}

function clauseLink(handbookUrl, clauseId, category) {
  if (!handbookUrl) return null;
  return h(
    "a",
    { href: `${handbookUrl}#${encodeURIComponent(clauseId)}`, class: "bypsc-clause-link" },
    "Read this guideline",
    h("span", { class: "bypsc-sr" }, ` (${category})`),
  );
}

/** One entry per rule: a long paste can repeat the same finding hundreds of times. */
function groupByRule(findings) {
  const groups = new Map();
  for (const finding of findings) {
    const group = groups.get(finding.rule);
    if (group) {
      group.count += 1;
      if (group.quotes.length < MAX_QUOTES && !group.quotes.includes(finding.quote)) {
        group.quotes.push(finding.quote);
      }
    } else {
      groups.set(finding.rule, { ...finding, quotes: [finding.quote], count: 1 });
    }
  }
  return [...groups.values()];
}

function buildQuotes(group) {
  const paragraph = h("p", {}, "You wrote ");
  group.quotes.forEach((quote, index) => {
    if (index > 0) paragraph.append(index === group.quotes.length - 1 ? " and " : ", ");
    paragraph.append(h("mark", {}, quote));
  });
  if (group.count > group.quotes.length) paragraph.append(` (${group.count} places in all)`);
  return paragraph;
}

function buildFinding(pack, group, handbookUrl) {
  const label = categoryLabel(group.category);
  const item = h(
    "li",
    { "data-rule": group.rule, "data-category": group.category, "data-clause": group.clause },
    h("p", { class: "bypsc-category" }, label),
    buildQuotes(group),
    h("p", {}, group.message ?? ""),
  );
  const guideline = clauseText(pack, group.clause);
  if (guideline) {
    item.append(h("p", {}, "It goes against this guideline:"));
    item.append(h("blockquote", { class: "bypsc-guideline" }, guideline));
  }
  const link = clauseLink(handbookUrl, group.clause, label.toLowerCase());
  if (link) item.append(h("p", {}, link));
  if (group.suggestion) item.append(buildSuggestion(group.suggestion, officeEmail(pack)));
  return item;
}

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

  function check() {
    const pack = model.get("rule_pack");
    const text = draft.value;
    const started = performance.now();
    const outcome = pack && Object.keys(pack).length ? checkMessage(pack, text) : null;
    root.dataset.engineMs = (performance.now() - started).toFixed(2);
    const verdict = outcome?.verdict ?? "ok";
    const findings = outcome?.findings ?? [];
    const categories = [...new Set(findings.map((f) => f.category))];
    const empty = text.trim() === "";

    result.dataset.verdict = verdict;
    result.dataset.categories = categories.join(" ");
    icon.textContent = VERDICTS[verdict].icon;
    title.textContent = empty ? "Nothing to check yet" : VERDICTS[verdict].title;
    detail.textContent = !outcome
      ? "The self-check rules have not loaded, so this message was not checked."
      : empty
        ? "Start typing and the result appears here."
        : VERDICTS[verdict].detail;
    advice.hidden = verdict === "ok";
    copyButton.hidden = verdict !== "ok" || empty || !outcome;
    copyButton.textContent = "Copy message";

    const handbookUrl = model.get("handbook_url") ?? "";
    const groups = groupByRule(findings);
    findingsList.replaceChildren(...groups.map((group) => buildFinding(pack, group, handbookUrl)));
    const hasFindings = findings.length > 0;
    findingsHeading.hidden = findingsList.hidden = !hasFindings;
    mirrorHeading.hidden = mirror.hidden = !hasFindings;
    if (hasFindings) buildMirror(mirror, text, findings);
    else mirror.replaceChildren();

    checks += 1;
    root.dataset.checks = String(checks);
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
