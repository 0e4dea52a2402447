// One list entry per rule: what was found, the guideline it goes against (quoted and
// linked), and what to do instead, with the office email as a mailto link.

import { h } from "./self_check_dom.js";

/** Distinct quotes listed per rule; the highlighted copy of the draft shows every one. */
const MAX_QUOTES = 3;

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
export function groupByRule(findings) {
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

export function buildFinding(pack, group, handbookUrl) {
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
