// The self-check engine for the browser: a line-by-line port of
// src/policybook/selfcheck/{normalise,tokens,terms,engine}.py.
//
// It runs the compiled rule pack (`policybook rulepack`; format in
// src/policybook/selfcheck/compile.py) and must give exactly the findings the
// Python engine gives: tests/vectors/selfcheck_vectors.json is run through
// both. Offsets count Unicode code points (not UTF-16 units) and findings are
// sorted by (start, end, rule). No dependencies, no build step, no regular
// expressions from the rules: the message never leaves the device.

const INNER = new Set(["'", "@", "$", "!", "*", "#"]);
const MASKS = new Set(["*", "#"]);
const SPACED_GAPS = new Set([" ", ".", "-", "_", "*"]);
const TITLES = new Set(["mr", "mrs", "ms", "dr", "st", "miss", "mx", "prof"]);
const SENTENCE_ENDS = new Set([".", "!", "?", ";", "\n"]);
const SPECIAL_ATOMS = new Set(["*", "<name>", "<mention>"]);
const SEVERITY_RANK = { caution: 1, stop: 2 };
const LETTER = /^\p{L}$/u;

function isWordChar(ch) {
  if (ch < "\x80") return (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9");
  return LETTER.test(ch);
}

function isAlpha(word) {
  if (!word) return false;
  for (const ch of word) {
    if (ch < "\x80") {
      if (!((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z"))) return false;
    } else if (!LETTER.test(ch)) return false;
  }
  return true;
}

// ---- normalise.py -------------------------------------------------------

function unpackFold(packed) {
  const table = new Map();
  for (const [cp, target] of Object.entries(packed.multi)) table.set(Number(cp), target);
  for (const [start, chars] of packed.runs) {
    const list = Array.from(chars);
    list.forEach((ch, offset) => table.set(start + offset, ch));
  }
  return table;
}

function foldText(codePoints, fold, drop) {
  const chars = [];
  const origin = [];
  codePoints.forEach((ch, index) => {
    const cp = ch.codePointAt(0);
    if (cp < 0x80) {
      chars.push(ch >= "A" && ch <= "Z" ? ch.toLowerCase() : ch);
      origin.push(index);
      return;
    }
    if (drop.some(([lo, hi]) => lo <= cp && cp <= hi)) return;
    const target = fold.has(cp) ? fold.get(cp) : ch;
    for (const piece of Array.from(target)) {
      chars.push(piece);
      origin.push(index);
    }
  });
  return { chars, origin };
}

// ---- tokens.py ----------------------------------------------------------

function collapse(word, keep) {
  let result = "";
  let index = 0;
  while (index < word.length) {
    let end = index;
    while (end < word.length && word[end] === word[index]) end += 1;
    const length = end - index;
    result += word[index].repeat(length >= 3 ? Math.min(length, keep) : length);
    index = end;
  }
  return result;
}

function formsOf(word, leet) {
  const chars = Array.from(word);
  const hasLetter = chars.some((c) => !(c >= "0" && c <= "9") && !INNER.has(c));
  const bases = [word];
  if (hasLetter) {
    const deleeted = chars.map((c) => (Object.hasOwn(leet, c) ? leet[c] : c)).join("");
    if (deleeted !== word) bases.push(deleeted);
  }
  const readings = [];
  for (const base of bases) {
    const variants = [base];
    if (base.endsWith("'s") && Array.from(base).length > 2) variants.push(base.slice(0, -2));
    for (const variant of variants) {
      const baseChars = Array.from(variant);
      for (const candidate of [
        variant,
        collapse(baseChars, 2),
        collapse(baseChars, 1),
      ]) {
        if (candidate && !readings.includes(candidate)) readings.push(candidate);
      }
    }
  }
  return readings;
}

function scan(chars) {
  const spans = [];
  const n = chars.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(chars[i])) {
      i += 1;
      continue;
    }
    const start = i;
    i += 1;
    while (i < n) {
      const ch = chars[i];
      if (isWordChar(ch)) {
        i += 1;
        continue;
      }
      if (INNER.has(ch)) {
        let j = i;
        while (j < n && INNER.has(chars[j])) j += 1;
        if (j < n && isWordChar(chars[j])) {
          i = j;
          continue;
        }
        if (chars.slice(i, j).every((c) => MASKS.has(c))) i = j; // trailing mask: "f***"
        break;
      }
      break;
    }
    spans.push([start, i]);
  }
  return spans;
}

function joinSpaced(chars, spans) {
  const out = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    while (
      j + 1 < spans.length &&
      spans[j][1] - spans[j][0] === 1 &&
      spans[j + 1][1] - spans[j + 1][0] === 1 &&
      spans[j + 1][0] - spans[j][1] === 1 &&
      SPACED_GAPS.has(chars[spans[j][1]])
    ) {
      j += 1;
    }
    if (j - i >= 2 && spans[i][1] - spans[i][0] === 1) {
      out.push([spans[i][0], spans[j][1], true]);
      i = j + 1;
    } else {
      out.push([spans[i][0], spans[i][1], false]);
      i += 1;
    }
  }
  return out;
}

function sentenceBreaks(chars, spans) {
  const breaks = [];
  let previousWord = "";
  let spanIndex = 0;
  const n = chars.length;
  for (let i = 0; i < n; i += 1) {
    while (spanIndex < spans.length && spans[spanIndex][1] <= i) {
      previousWord = chars.slice(spans[spanIndex][0], spans[spanIndex][1]).join("");
      spanIndex += 1;
    }
    if (spanIndex < spans.length && spans[spanIndex][0] <= i) continue; // inside a word
    const ch = chars[i];
    if (!SENTENCE_ENDS.has(ch)) continue;
    if (ch === "." && ((i + 1 < n && !" \n\t".includes(chars[i + 1])) || TITLES.has(previousWord))) {
      continue;
    }
    breaks.push(i);
  }
  return breaks;
}

function tokenize(folded, original, leet, knownForms) {
  const chars = folded.chars;
  const spans = joinSpaced(chars, scan(chars));
  const breaks = sentenceBreaks(chars, spans);
  const tokens = [];
  let sentence = 0;
  let breakIndex = 0;
  for (const [start, end, joined] of spans) {
    while (breakIndex < breaks.length && breaks[breakIndex] < start) {
      sentence += 1;
      breakIndex += 1;
    }
    const raw = chars.slice(start, end);
    const text = (joined ? raw.filter((_, k) => k % 2 === 0) : raw).join("");
    let forms = knownForms.get(text);
    if (forms === undefined) {
      forms = formsOf(text, leet);
      knownForms.set(text, forms);
    }
    const origStart = folded.origin[start];
    const first = original[origStart];
    const masked = text.includes("*") || text.includes("#");
    tokens.push({
      text,
      forms,
      start,
      end,
      origStart,
      origEnd: folded.origin[end - 1] + 1,
      sentence,
      cap: first >= "A" && first <= "Z",
      mention: start > 0 && chars[start - 1] === "@",
      masked,
      visible: masked
        ? Array.from(text).filter((c) => !INNER.has(c)).length
        : Array.from(text).length,
    });
  }
  return tokens;
}

// ---- terms.py -----------------------------------------------------------

function glob(pattern, word) {
  const p_ = Array.from(pattern);
  const w_ = Array.from(word);
  let p = 0;
  let w = 0;
  let starP = -1;
  let starW = -1;
  while (w < w_.length) {
    if (p < p_.length && p_[p] === "*") {
      starP = p;
      starW = w;
      p += 1;
    } else if (
      p < p_.length &&
      (p_[p] === "?" || p_[p] === w_[w] || (MASKS.has(w_[w]) && p_[p] !== "'"))
    ) {
      p += 1;
      w += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starW += 1;
      w = starW;
    } else {
      return false;
    }
  }
  while (p < p_.length && p_[p] === "*") p += 1;
  return p === p_.length;
}

function parseTerm(text) {
  let parts = text.split(/ +/).filter(Boolean);
  const anchored = parts.length > 0 && parts[0] === "^";
  if (anchored) parts = parts.slice(1);
  const atoms = parts.map((part) =>
    SPECIAL_ATOMS.has(part)
      ? { alternatives: [], special: part }
      : { alternatives: part.split("|"), special: "" },
  );
  return { text, anchored, atoms };
}

function atomMatches(atom, token, common) {
  if (atom.special === "*") return true;
  if (atom.special === "<name>") {
    const base = token.text.endsWith("'s") ? token.text.slice(0, -2) : token.text;
    return token.cap && isAlpha(base) && !common.has(base);
  }
  if (atom.special === "<mention>") return token.mention;
  for (const form of token.forms) {
    for (const alternative of atom.alternatives) {
      if (
        alternative === form ||
        ((alternative.includes("*") || alternative.includes("?") || token.masked) &&
          glob(alternative, form))
      ) {
        return true;
      }
    }
  }
  return false;
}

// ---- engine.py ----------------------------------------------------------

function globKey(pattern) {
  const chars = Array.from(pattern);
  return chars.length > 1 && chars[1] !== "*" && chars[1] !== "?"
    ? chars.slice(0, 2).join("")
    : chars.slice(0, 1).join("");
}

function firstChars(form, count) {
  return Array.from(form).slice(0, count).join("");
}

function pushOnce(map, key, value) {
  if (!map.has(key)) map.set(key, []);
  const list = map.get(key);
  if (!list.includes(value)) list.push(value);
}

class Prepared {
  constructor(pack) {
    const norm = pack.normalise;
    this.fold = unpackFold(norm.fold);
    this.drop = norm.drop.map(([lo, hi]) => [lo, hi]);
    this.leet = { ...norm.leet };
    this.common = new Set(pack.common_words);
    this.terms = [];
    this.termIds = new Map();
    this.exact = new Map();
    this.globByPrefix = new Map();
    this.allByChar = new Map();
    this.byName = [];
    this.byMention = [];
    this.byAny = [];
    this.swearing = new Set();
    this.knownForms = new Map();
    this.knownCandidates = new Map();
    this.knownFits = new Map();
    this.allow = pack.allow.map((t) => this.add(t));
    this.rules = pack.rules.map((rule) => {
      const match = rule.match;
      const roles = {};
      for (const role of ["terms", "target", "cue"]) {
        roles[role] = (match[role] || []).map((t) => this.add(t));
      }
      roles.except = (rule.except || []).map((t) => this.add(t));
      if (rule.category === "offensive-language") {
        for (const t of roles.terms) this.swearing.add(t);
      }
      return { rule, roles };
    });
  }

  add(text) {
    if (this.termIds.has(text)) return this.termIds.get(text);
    const index = this.terms.length;
    const term = parseTerm(text);
    this.terms.push(term);
    this.termIds.set(text, index);
    const first = term.atoms[0];
    if (first.special) {
      ({ "<name>": this.byName, "<mention>": this.byMention, "*": this.byAny })[
        first.special
      ].push(index);
      return index;
    }
    for (const alternative of first.alternatives) {
      if (!alternative.includes("*") && !alternative.includes("?")) {
        pushOnce(this.exact, alternative, index);
      } else {
        pushOnce(this.globByPrefix, globKey(alternative), index);
      }
      pushOnce(this.allByChar, firstChars(alternative, 1), index);
    }
    return index;
  }
}

const PREPARED = new WeakMap();

function prepare(pack) {
  let prepared = PREPARED.get(pack);
  if (!prepared) {
    prepared = new Prepared(pack);
    PREPARED.set(pack, prepared);
  }
  return prepared;
}

function candidates(prepared, token) {
  const fitting = new Set();
  let maybe = new Set();
  const addAll = (set, list) => {
    for (const x of list || []) set.add(x);
  };
  if (token.masked) {
    for (const form of token.forms) addAll(maybe, prepared.allByChar.get(firstChars(form, 1)));
    if (token.visible < 2) maybe = new Set([...maybe].filter((t) => prepared.swearing.has(t)));
  } else {
    for (const form of token.forms) {
      addAll(fitting, prepared.exact.get(form));
      addAll(maybe, prepared.globByPrefix.get(firstChars(form, 1)));
      if (Array.from(form).length > 1) addAll(maybe, prepared.globByPrefix.get(firstChars(form, 2)));
    }
  }
  if (token.cap) addAll(maybe, prepared.byName);
  if (token.mention) addAll(maybe, prepared.byMention);
  addAll(maybe, prepared.byAny);
  for (const t of fitting) maybe.delete(t);
  return { fitting, maybe };
}

function findHits(prepared, tokens) {
  const hits = new Map();
  const count = tokens.length;
  const cache = prepared.knownCandidates;
  const known = prepared.knownFits;
  if (cache.size > 100000 || known.size > 200000) {
    cache.clear();
    known.clear();
  }
  tokens.forEach((token, index) => {
    const key = `${token.cap ? 1 : 0}${token.mention ? 1 : 0}${token.text}`;
    let found = cache.get(key);
    if (found === undefined) {
      const { fitting, maybe } = candidates(prepared, token);
      found = { ordered: [...fitting, ...maybe].sort((a, b) => a - b), maybe };
      cache.set(key, found);
    }
    const { ordered, maybe } = found;
    for (const termIndex of ordered) {
      const term = prepared.terms[termIndex];
      if (term.anchored && index !== 0) continue;
      const atoms = term.atoms;
      const last = index + atoms.length - 1;
      if (last >= count) continue;
      let matched = true;
      for (let offset = maybe.has(termIndex) ? 0 : 1; offset < atoms.length; offset += 1) {
        const other = tokens[index + offset];
        const fitKey = `${termIndex} ${offset} ${other.cap ? 1 : 0}${other.mention ? 1 : 0}${other.text}`;
        let fits = known.get(fitKey);
        if (fits === undefined) {
          fits = atomMatches(atoms[offset], other, prepared.common);
          known.set(fitKey, fits);
        }
        if (!fits) {
          matched = false;
          break;
        }
      }
      if (matched) {
        if (!hits.has(termIndex)) hits.set(termIndex, []);
        hits.get(termIndex).push({ first: index, last });
      }
    }
  });
  return hits;
}

function gather(hits, termIndexes, blocked) {
  const found = [];
  for (const termIndex of termIndexes) {
    for (const hit of hits.get(termIndex) || []) {
      let touches = false;
      for (let i = hit.first; i <= hit.last; i += 1) {
        if (blocked.has(i)) touches = true;
      }
      if (!touches) found.push(hit);
    }
  }
  found.sort((a, b) => a.first - b.first || b.last - a.last);
  const kept = [];
  for (const hit of found) {
    const top = kept[kept.length - 1];
    if (top && top.first <= hit.first && hit.last <= top.last) continue;
    kept.push(hit);
  }
  return kept;
}

function sentenceBounds(tokens) {
  const bounds = [];
  tokens.forEach((token, index) => {
    while (bounds.length <= token.sentence) bounds.push([index, index]);
    bounds[token.sentence] = [bounds[token.sentence][0], index];
  });
  return bounds;
}

function bisectLeft(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function near(targets, cues, tokens, bounds, within) {
  const pairs = [];
  const firsts = targets.map((t) => t.first);
  const longest = targets.reduce((m, t) => Math.max(m, t.last - t.first), 0);
  for (const cue of cues) {
    let low;
    let high;
    if (within === 0) [low, high] = bounds[tokens[cue.first].sentence];
    else [low, high] = [cue.first - within - longest, cue.last + within];
    let best = null;
    let bestGap = 0;
    for (let index = bisectLeft(firsts, low); index < targets.length; index += 1) {
      const target = targets[index];
      if (target.first > high) break;
      if (target.first <= cue.last && cue.first <= target.last) continue;
      const gap = target.last < cue.first ? cue.first - target.last : target.first - cue.last;
      if (within === 0) {
        if (tokens[target.first].sentence !== tokens[cue.first].sentence) continue;
      } else if (gap > within) continue;
      if (best === null || gap < bestGap) {
        best = target;
        bestGap = gap;
      }
    }
    if (best !== null) {
      pairs.push({
        first: Math.min(best.first, cue.first),
        last: Math.max(best.last, cue.last),
      });
    }
  }
  return tightest(pairs);
}

function tightest(pairs) {
  const seen = new Set();
  const unique = [];
  for (const p of pairs) {
    const key = `${p.first},${p.last}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push([p.first, p.last]);
    }
  }
  unique.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const kept = [];
  let smallestLast = null;
  for (const [first, last] of unique) {
    if (smallestLast === null || smallestLast > last) kept.push({ first, last });
    if (smallestLast === null || last < smallestLast) smallestLast = last;
  }
  return kept.reverse();
}

const isUpperAscii = (c) => c >= "A" && c <= "Z";
const isAsciiLetter = (c) => (c >= "a" && c <= "z") || isUpperAscii(c);

function metric(match, tokens, codePoints) {
  let letters = 0;
  let upper = 0;
  for (const c of codePoints) {
    if (isAsciiLetter(c)) letters += 1;
    if (isUpperAscii(c)) upper += 1;
  }
  if (letters < match.min_letters || upper < match.caps_share * letters) return [];
  const shouted = [];
  tokens.forEach((token, index) => {
    const asciiLetters = codePoints.slice(token.origStart, token.origEnd).filter(isAsciiLetter);
    if (asciiLetters.length >= 2 && asciiLetters.every(isUpperAscii)) shouted.push(index);
  });
  return shouted.length ? [{ first: shouted[0], last: shouted[shouted.length - 1] }] : [];
}

/**
 * The verdict ("ok", "caution" or "stop") and findings for one draft message.
 * @param {object} pack the compiled rule pack
 * @param {string} text the draft, exactly as typed
 */
export function checkMessage(pack, text) {
  const prepared = prepare(pack);
  const codePoints = Array.from(text);
  const folded = foldText(codePoints, prepared.fold, prepared.drop);
  const tokens = tokenize(folded, codePoints, prepared.leet, prepared.knownForms);
  if (prepared.knownForms.size > 100000) prepared.knownForms.clear();
  const hits = findHits(prepared, tokens);
  const blocked = new Set();
  for (const hit of gather(hits, prepared.allow, new Set())) {
    for (let i = hit.first; i <= hit.last; i += 1) blocked.add(i);
  }
  const bounds = sentenceBounds(tokens);
  const findings = [];
  for (const { rule, roles } of prepared.rules) {
    const match = rule.match;
    let found;
    if (match.kind === "terms") found = gather(hits, roles.terms, blocked);
    else if (match.kind === "near") {
      found = near(
        gather(hits, roles.target, blocked),
        gather(hits, roles.cue, blocked),
        tokens,
        bounds,
        match.within,
      );
    } else found = metric(match, tokens, codePoints);
    if (!found.length) continue;
    const excepted = new Set(
      gather(hits, roles.except, new Set()).map((h) => tokens[h.first].sentence),
    );
    const seen = new Set();
    for (const hit of found) {
      let skip = false;
      for (let s = tokens[hit.first].sentence; s <= tokens[hit.last].sentence; s += 1) {
        if (excepted.has(s)) skip = true;
      }
      if (skip) continue;
      const start = tokens[hit.first].origStart;
      const end = tokens[hit.last].origEnd;
      const key = `${start},${end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        category: rule.category,
        clause: rule.clause,
        severity: rule.severity,
        start,
        end,
        quote: codePoints.slice(start, end).join(""),
        message: rule.message,
        suggestion: rule.suggestion,
        rule: rule.id,
      });
    }
  }
  findings.sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  const rank = findings.reduce((m, f) => Math.max(m, SEVERITY_RANK[f.severity]), 0);
  return { verdict: ["ok", "caution", "stop"][rank], findings };
}
