// The draft shown back with the words behind each finding highlighted.
// Findings count Unicode code points; JavaScript strings count UTF-16 units.

import { h } from "./self_check_dom.js";

/** Drafts longer than this (UTF-16 units) are shown back as excerpts around the findings. */
const MIRROR_FULL_LENGTH = 5000;
const MAX_EXCERPTS = 20;
const EXCERPT_CONTEXT = 60;

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
export function buildMirror(container, text, findings) {
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
