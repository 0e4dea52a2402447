// The self-check engine for the browser: a port of
// src/policybook/selfcheck/{normalise,tokens,terms,engine}.py that follows the
// same algorithm step by step (tokens as columns, one memoised Word per
// spelling, a trie of runs of words), so a 100 KB paste stays fast in both.
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
const SPECIAL_ATOMS = new Set(["*", "<name>", "<cap>", "<mention>"]);
const SEVERITY_RANK = { caution: 1, stop: 2 };
const LETTER = /^\p{L}$/u;
const ASCII_LOWER = Array.from({ length: 0x80 }, (_, cp) =>
  String.fromCharCode(cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp),
);

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

function isDropped(cp, drop) {
  for (const [lo, hi] of drop) if (lo <= cp && cp <= hi) return true;
  return false;
}

function foldChar(ch, fold, drop) {
  const cp = ch.codePointAt(0);
  if (cp < 0x80) return ASCII_LOWER[cp];
  if (isDropped(cp, drop)) return "";
  return fold.has(cp) ? fold.get(cp) : ch;
}

const NON_ASCII = /[^\x00-\x7f]+/gu;

// Like normalise.Folder: ASCII runs are only lowered (one call each) and only the
// non-ASCII runs are folded code point by code point. The offset map is built only if a
// character was dropped or expanded; otherwise it is the identity (null).
function foldText(text, codePoints, fold, drop) {
  const pieces = [];
  let resized = false;
  let done = 0;
  for (const match of text.matchAll(NON_ASCII)) {
    pieces.push(text.slice(done, match.index).toLowerCase()); // on ASCII, exactly A-Z -> a-z
    for (const ch of match[0]) {
      const target = foldChar(ch, fold, drop);
      if (target !== ch && (target === "" || Array.from(target).length > 1)) resized = true;
      pieces.push(target);
    }
    done = match.index + match[0].length;
  }
  pieces.push(text.slice(done).toLowerCase());
  const joined = pieces.join("");
  const chars = Array.from(joined);
  if (!resized) return { chars, joined, origin: null };
  const origin = [];
  codePoints.forEach((ch, index) => {
    if (ch < "\x80") origin.push(index);
    else for (const _ of foldChar(ch, fold, drop)) origin.push(index);
  });
  return { chars, joined, origin };
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

// A token's spelling in context (text, capital, @mention); the engine memoises matching
// on it (`fits`, `prefix`), since every token spelt alike reads the same way.
function wordOf(text, cap, mention, leet) {
  const masked = text.includes("*") || text.includes("#");
  let visible = 0;
  for (const c of text) if (!masked || !INNER.has(c)) visible += 1;
  return { text, forms: formsOf(text, leet), cap, mention, masked, visible, fits: new Map(), prefix: null };
}

function scan(chars) {
  const starts = [];
  const ends = [];
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
    starts.push(start);
    ends.push(i);
  }
  return [starts, ends];
}

function joinSpaced(chars, starts, ends) {
  const singles = [];
  for (let i = 0; i < starts.length; i += 1) if (ends[i] - starts[i] === 1) singles.push(i);
  const count = starts.length;
  const newStarts = [];
  const newEnds = [];
  const joined = [];
  let done = 0; // tokens before this index are already in newStarts / newEnds
  let k = 0;
  while (k < singles.length) {
    const i = singles[k];
    let j = i;
    while (
      j + 1 < count &&
      ends[j + 1] - starts[j + 1] === 1 &&
      starts[j + 1] - ends[j] === 1 &&
      SPACED_GAPS.has(chars[ends[j]])
    ) {
      j += 1;
    }
    if (j - i >= 2) {
      for (let t = done; t < i; t += 1) {
        newStarts.push(starts[t]);
        newEnds.push(ends[t]);
      }
      joined.push(newStarts.length);
      newStarts.push(starts[i]);
      newEnds.push(ends[j]);
      done = j + 1;
      while (k < singles.length && singles[k] <= j) k += 1;
    } else {
      k += 1;
    }
  }
  if (!joined.length) return [starts, ends, joined];
  for (let t = done; t < count; t += 1) {
    newStarts.push(starts[t]);
    newEnds.push(ends[t]);
  }
  return [newStarts, newEnds, joined];
}

function bisectRight(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Each token's sentence number: how many sentence ends come before it. Only break
// characters are looked at closely (a binary search finds the word before each), and no
// word text is built except before a full stop.
function sentenceNumbers(chars, starts, ends) {
  const cuts = []; // for each sentence end, how many tokens come before it
  const n = chars.length;
  for (let i = 0; i < n; i += 1) {
    if (!SENTENCE_ENDS.has(chars[i])) continue;
    const before = bisectRight(starts, i); // words starting at or before i
    if (before && ends[before - 1] > i) continue; // inside a word
    if (chars[i] === ".") {
      if (i + 1 < n && !" \n\t".includes(chars[i + 1])) continue;
      if (before && TITLES.has(chars.slice(starts[before - 1], ends[before - 1]).join(""))) continue;
    }
    cuts.push(before);
    if (chars[i] === "?") cuts.push(before); // a question leaves a gap: next-sentence stops there
  }
  const sentences = [];
  cuts.forEach((cut, number) => {
    while (sentences.length < cut) sentences.push(number);
  });
  while (sentences.length < starts.length) sentences.push(cuts.length);
  return sentences;
}

// The tokens as parallel arrays (columns), one entry per token.
function tokenize(folded, original) {
  const { chars, origin } = folded;
  const [starts, ends, joined] = joinSpaced(chars, ...scan(chars));
  // Without UTF-16 pairs, code point offsets are string offsets: slice the folded string.
  const flat = folded.joined.length === chars.length ? folded.joined : null;
  const texts = starts.map((start, t) =>
    flat ? flat.slice(start, ends[t]) : chars.slice(start, ends[t]).join(""),
  );
  for (const t of joined) {
    texts[t] = chars.slice(starts[t], ends[t]).filter((_, k) => k % 2 === 0).join("");
  }
  // No offset map: nothing changed length, so the offsets are the same.
  const origStarts = origin ? starts.map((start) => origin[start]) : starts;
  return {
    texts,
    starts,
    ends,
    origStarts,
    origEnds: origin ? ends.map((end) => origin[end - 1] + 1) : ends,
    sentences: sentenceNumbers(chars, starts, ends),
    caps: origStarts.map((start) => original[start] >= "A" && original[start] <= "Z"),
    mentions: starts.map((start) => start > 0 && chars[start - 1] === "@"),
  };
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

// A word with no wildcard (`*` or `?`): it fits only itself.
const isPlain = (alternative) => !alternative.includes("*") && !alternative.includes("?");

function atomMatches(atom, token, common) {
  if (atom.special === "*") return true;
  if (atom.special === "<name>") {
    const base = token.text.endsWith("'s") ? token.text.slice(0, -2) : token.text;
    return token.cap && isAlpha(base) && !common.has(base);
  }
  if (atom.special === "<cap>") return token.cap;
  if (atom.special === "<mention>") return token.mention;
  for (const form of token.forms) {
    for (const alternative of atom.alternatives) {
      if (
        alternative === form ||
        ((!isPlain(alternative) || token.masked) && glob(alternative, form))
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

// [407, 4, 12, 1] -> [407, 408, 409, 410, 12] (compile.py's as_runs, undone).
function fromRuns(runs) {
  const indexes = [];
  for (let i = 0; i < runs.length; i += 2) {
    for (let step = 0; step < runs[i + 1]; step += 1) indexes.push(runs[i] + step);
  }
  return indexes;
}

// "0abandon 7ed 2c" -> ["abandon", "abandoned", "abc"] (wordlists.py's front_code,
// undone): each entry is the length of the prefix shared with the word before (one
// character, 0-9 then a-z) and the rest.
function frontDecode(text, separator) {
  const words = [];
  let previous = "";
  for (const entry of text ? text.split(separator) : []) {
    previous = previous.slice(0, parseInt(entry[0], 36)) + entry.slice(1);
    words.push(previous);
  }
  return words;
}

class Prepared {
  constructor(pack) {
    const norm = pack.normalise;
    this.fold = unpackFold(norm.fold);
    this.drop = norm.drop.map(([lo, hi]) => [lo, hi]);
    this.leet = { ...norm.leet };
    this.common = new Set(frontDecode(pack.common_words, " "));
    this.terms = [];
    this.termIds = new Map();
    this.exact = new Map();
    this.globByPrefix = new Map();
    this.allByChar = new Map();
    this.byName = [];
    this.byMention = [];
    this.byAny = [];
    this.swearing = new Set();
    this.sizes = []; // atoms per term
    this.anchored = [];
    // Each term's atoms as numbers; terms sharing an atom ("mum|dad|...") share its number,
    // so a word is tested against it once.
    this.atomIds = [];
    this.atomNumbers = new Map(); // atom text -> number
    // Words by spelling: one Map per (capital, mention), so no key string is built per token.
    this.words = [new Map(), new Map(), new Map(), new Map()];
    this.prefixes = 0; // trie nodes made, to bound the memory they take
    const texts = pack.terms.split("\n"); // each term once, referred to by index
    // A role is a list of terms a rule uses; equal lists are one role, gathered once per
    // message, and each term knows its roles so a message's hits are dealt out once.
    this.rolesOfTerm = [];
    this.roleSpans = []; // each role's span, by role number
    const shared = new Map();
    const addAll = (runs) => {
      const indexes = fromRuns(runs || []).map((t) => this.add(texts[t]));
      const key = indexes.join(",");
      if (!shared.has(key)) {
        // span: last - first of its longest hit (its longest term's words, less one)
        const span = indexes.reduce((most, t) => Math.max(most, this.sizes[t] - 1), 0);
        const role = { number: shared.size, terms: indexes, span };
        shared.set(key, role);
        this.roleSpans.push(span);
        for (const t of new Set(indexes)) this.rolesOfTerm[t].push(role.number);
      }
      return shared.get(key);
    };
    this.allow = addAll(pack.allow);
    this.rules = pack.rules.map((rule) => {
      const match = rule.match;
      const roles = {};
      for (const role of ["terms", "target", "cue"]) roles[role] = addAll(match[role]);
      roles.except = addAll(rule.except);
      roles.exceptNearby = addAll(rule.except_nearby ?? []);
      if (rule.category === "offensive-language") {
        for (const t of roles.terms.terms) this.swearing.add(t);
      }
      return { rule, roles };
    });
    this.wording = pack.wording ? new WordingModel(pack.wording, this.common) : null;
  }

  add(text) {
    if (this.termIds.has(text)) return this.termIds.get(text);
    const index = this.terms.length;
    const term = parseTerm(text);
    this.terms.push(term);
    this.termIds.set(text, index);
    this.atomIds.push(
      term.atoms.map((atom) => {
        const key = atom.special || atom.alternatives.join("|");
        if (!this.atomNumbers.has(key)) this.atomNumbers.set(key, this.atomNumbers.size);
        return this.atomNumbers.get(key);
      }),
    );
    this.sizes.push(term.atoms.length);
    this.anchored.push(term.anchored);
    this.rolesOfTerm.push([]);
    const first = term.atoms[0];
    if (first.special) {
      ({ "<name>": this.byName, "<cap>": this.byName, "<mention>": this.byMention, "*": this.byAny })[
        first.special
      ].push(index);
      return index;
    }
    for (const alternative of first.alternatives) {
      if (isPlain(alternative)) {
        pushOnce(this.exact, alternative, index);
      } else {
        pushOnce(this.globByPrefix, globKey(alternative), index);
      }
      pushOnce(this.allByChar, firstChars(alternative, 1), index);
    }
    return index;
  }

  // Does `word` fit atom `offset` of a term? Worked out once per word and atom.
  fits(termIndex, offset, word) {
    const number = this.atomIds[termIndex][offset];
    let known = word.fits.get(number);
    if (known === undefined) {
      known = atomMatches(this.terms[termIndex].atoms[offset], word, this.common);
      word.fits.set(number, known);
    }
    return known;
  }

  // The trie node for `terms`, which fit the first `depth` words; null if there are none.
  // `roles`: the roles of the terms that fit exactly the run so far (`startRoles`: the
  // same, with terms anchored to the start of the message), so a hit is dealt straight
  // to its roles; `pending`: the terms that need more words.
  prefix(terms, depth) {
    if (!terms.length) return null;
    this.prefixes += 1;
    const done = terms.filter((t) => this.sizes[t] === depth);
    const rolesOf = (list) =>
      [...new Set(list.flatMap((t) => this.rolesOfTerm[t]))].sort((a, b) => a - b);
    const startRoles = rolesOf(done);
    return {
      // as engine.py: only a node with an anchored term needs a second list
      roles: done.some((t) => this.anchored[t])
        ? rolesOf(done.filter((t) => !this.anchored[t]))
        : startRoles,
      startRoles,
      pending: terms.filter((t) => this.sizes[t] > depth),
      after: new Map(),
    };
  }

  // The word of every token, shared between tokens spelt alike (and across messages).
  wordsOf(tokens) {
    if (this.words.reduce((n, m) => n + m.size, 0) > 100000 || this.prefixes > 200000) {
      for (const known of this.words) known.clear();
      this.prefixes = 0;
    }
    const { texts, caps, mentions } = tokens;
    return texts.map((text, index) => {
      const known = this.words[(caps[index] ? 2 : 0) + (mentions[index] ? 1 : 0)];
      let word = known.get(text);
      if (word === undefined) {
        word = wordOf(text, caps[index], mentions[index], this.leet);
        word.prefix = this.prefix(firsts(this, word), 1);
        known.set(text, word);
      }
      return word;
    });
  }
}

// ---- wording.py ---------------------------------------------------------

const NAME = "<name>";
const MENTION = "<mention>";

/** Does the check look at a message with these words? About school, and no kind word. */
function applies(words, aboutSchool, kindWords) {
  return words.some((w) => aboutSchool.has(w)) && !words.some((w) => kindWords.has(w));
}

function featureWords(tokens, common) {
  return tokens.texts.map((text, i) =>
    tokens.mentions[i] ? MENTION : tokens.caps[i] && isAlpha(text) && !common.has(text) ? NAME : text,
  );
}

/** Each sentence's features (a Map in sentence order): its words and neighbouring pairs. */
function featuresBySentence(words, sentences) {
  const found = new Map();
  words.forEach((word, i) => {
    if (!found.has(sentences[i])) found.set(sentences[i], new Set());
    const sentence = found.get(sentences[i]);
    sentence.add(word);
    if (i && sentences[i - 1] === sentences[i]) sentence.add(`${words[i - 1]} ${word}`);
  });
  return found;
}

const sumOf = (weights, features) => {
  let total = 0;
  for (const f of features) total += weights.get(f) ?? 0;
  return total;
};

class WordingModel {
  constructor(section, common) {
    this.common = common;
    this.threshold = section.threshold;
    this.clearBelow = section.clear_below;
    this.bias = section.bias;
    this.aboutSchool = new Set(section.about_school.split(" "));
    this.kindWords = new Set(section.kind_words.split(" "));
    this.neverClear = new Set((section.never_clear ?? "").split(" ").filter(Boolean));
    const names = frontDecode(section.features, "\n");
    this.weights = new Map(names.map((name, i) => [name, section.weights[i]]));
    this.categories = section.categories.map((entry) => {
      const weights = new Map();
      let index = 0; // each entry is [gap from the index before, weight]
      for (let i = 0; i < entry.weights.length; i += 2) {
        index += entry.weights[i];
        weights.set(names[index], entry.weights[i + 1]);
      }
      return { category: entry.category, bias: entry.bias, weights };
    });
    this.texts = section.texts;
  }

  /** Do the flagged sentences of a message about school read plainly fine (cautions dropped)?
   * Never for a caution in a `never_clear` category (swearing). */
  readsFine(tokens, flagged, categories) {
    if (!tokens.texts.some((w) => this.aboutSchool.has(w))) return false;
    if (categories.some((c) => this.neverClear.has(c))) return false;
    const bySentence = this.bySentence(tokens);
    const features = new Set();
    for (const s of flagged) for (const f of bySentence.get(s) ?? []) features.add(f); // `?` skips one
    return this.bias + sumOf(this.weights, features) < this.clearBelow;
  }

  bySentence(tokens) {
    return featuresBySentence(featureWords(tokens, this.common), tokens.sentences);
  }

  /** {category, first, last} for a message the rules passed, or null if it reads as fine. */
  check(tokens) {
    if (!applies(tokens.texts, this.aboutSchool, this.kindWords)) return null;
    const bySentence = this.bySentence(tokens);
    const features = new Set();
    for (const sentence of bySentence.values()) for (const f of sentence) features.add(f);
    if (this.bias + sumOf(this.weights, features) < this.threshold) return null;
    let best = null;
    let bestScore = 0;
    for (const entry of this.categories) {
      const score = entry.bias + sumOf(entry.weights, features);
      if (best === null || score > bestScore) [best, bestScore] = [entry.category, score];
    }
    return { category: best, ...this.quote(tokens.sentences, bySentence) };
  }

  /** The sentence whose words weigh most (the first of equals), quoted whole. */
  quote(sentences, bySentence) {
    let best = null;
    let bestScore = 0;
    for (const [sentence, features] of bySentence) {
      const score = sumOf(this.weights, features);
      if (best === null || score > bestScore) [best, bestScore] = [sentence, score];
    }
    return { first: sentences.indexOf(best), last: sentences.lastIndexOf(best) };
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
  if (token.mention) {
    addAll(maybe, prepared.byMention);
    // An @handle is someone's name, never a swear word ("@PhuckedFame", "@hoes").
    for (const t of prepared.swearing) {
      fitting.delete(t);
      maybe.delete(t);
    }
  }
  addAll(maybe, prepared.byAny);
  for (const t of fitting) maybe.delete(t);
  return { fitting, maybe };
}

// Terms whose first atom fits the word, in term order.
function firsts(prepared, word) {
  const { fitting, maybe } = candidates(prepared, word);
  for (const t of maybe) if (prepared.fits(t, 0, word)) fitting.add(t);
  return [...fitting].sort((a, b) => a - b);
}

// Every place a term of each role matches: role number -> hits, in token order (by first
// token, then last) and each once, so no role needs sorting. Only tokens whose word
// starts a term are visited, and from each the trie of runs of words (memoised across
// messages) is followed for as long as some term still fits.
function findHits(prepared, words) {
  const byRole = new Map();
  const count = words.length;
  for (let index = 0; index < count; index += 1) {
    let node = words[index].prefix;
    let last = index;
    while (node !== null) {
      const roles = index ? node.roles : node.startRoles;
      if (roles.length) {
        const hit = { first: index, last };
        for (const number of roles) {
          const list = byRole.get(number);
          if (list === undefined) byRole.set(number, [hit]);
          else list.push(hit);
        }
      }
      last += 1;
      if (!node.pending.length || last >= count) break;
      const word = words[last];
      let next = node.after.get(word);
      if (next === undefined) {
        const depth = last - index;
        next = prepared.prefix(nextFitting(prepared, node, depth, word), depth + 1);
        node.after.set(word, next);
      }
      node = next;
    }
  }
  return byRole;
}

// The pending terms whose atom `depth` fits `word`, in term order. A node with many
// pending terms (after "the", say) looks the word up among their plain words instead of
// testing each term; the rest (wildcards, markers) are tested.
function nextFitting(prepared, node, depth, word) {
  if (word.masked || node.pending.length < 8) {
    return node.pending.filter((t) => prepared.fits(t, depth, word));
  }
  if (node.byWord === undefined) {
    node.byWord = new Map();
    node.loose = [];
    for (const t of node.pending) {
      const atom = prepared.terms[t].atoms[depth];
      if (atom.special || !atom.alternatives.every(isPlain)) node.loose.push(t);
      else for (const alternative of atom.alternatives) pushOnce(node.byWord, alternative, t);
    }
  }
  const found = new Set();
  for (const form of word.forms) for (const t of node.byWord.get(form) || []) found.add(t);
  for (const t of node.loose) if (prepared.fits(t, depth, word)) found.add(t);
  return [...found].sort((a, b) => a - b);
}

// A role's hits in order, minus any inside a longer one (at the same start, the longest
// is kept). The list given is in order, each hit once, and is not changed.
function gather(byRole, role) {
  const found = byRole.get(role.number);
  if (!found) return [];
  if (!role.span) return found; // one-word hits: none inside another
  const kept = [];
  let reach = -1; // the last token of the last hit kept
  for (const hit of found) {
    if (hit.last <= reach) continue; // inside a longer hit of the same rule
    if (kept.length && kept[kept.length - 1].first === hit.first) kept[kept.length - 1] = hit;
    else kept.push(hit);
    reach = hit.last;
  }
  return kept;
}

// The hits that touch no allowed token ("Dick King-Smith"), filtered once for all rules.
// A role's hits are in token order and none is longer than its longest term, so a
// binary search per allowed token finds the few hits that may touch it.
function unblocked(prepared, byRole, blocked) {
  if (!blocked.size) return byRole;
  const cuts = [...blocked];
  const open = new Map();
  for (const [number, found] of byRole) {
    const span = prepared.roleSpans[number];
    const touching = new Set();
    for (const cut of cuts) {
      let lo = 0;
      let hi = found.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (found[mid].first < cut - span) lo = mid + 1;
        else hi = mid;
      }
      for (let at = lo; at < found.length && found[at].first <= cut; at += 1) {
        if (found[at].last >= cut) touching.add(at);
      }
    }
    const kept = touching.size ? found.filter((_, at) => !touching.has(at)) : found;
    if (kept.length) open.set(number, kept);
  }
  return open;
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

// Pair each cue with its nearest target: at most `within` words apart or, when `within` is
// 0, at most `reach` sentences apart (0: the same sentence; 1: the next one too), a target
// in the cue's own sentence before any other; a sentence's tokens are found by binary
// search in the (sorted) sentence numbers.
function near(targets, cues, sentences, within, reach) {
  const pairs = [];
  const firsts = targets.map((t) => t.first);
  const longest = targets.reduce((m, t) => Math.max(m, t.last - t.first), 0);
  for (const cue of cues) {
    const sentence = sentences[cue.first];
    let low;
    let high;
    if (within === 0) {
      low = bisectLeft(sentences, sentence - reach);
      high = bisectRight(sentences, sentence + reach) - 1;
    } else [low, high] = [cue.first - within - longest, cue.last + within];
    let best = null;
    let bestGap = 0;
    for (let index = bisectLeft(firsts, low); index < targets.length; index += 1) {
      const target = targets[index];
      if (target.first > high) break;
      if (target.first <= cue.last && cue.first <= target.last) continue;
      let gap = target.last < cue.first ? cue.first - target.last : target.first - cue.last;
      if (within === 0) {
        if (sentences[target.first] !== sentence) {
          if (Math.abs(sentences[target.first] - sentence) > reach) continue;
          gap += sentences.length; // a target in the cue's own sentence comes first
        }
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

// Drop duplicates and any pair that contains another one (keep the tight quotes).
function tightest(pairs) {
  const unique = pairs
    .map((p) => [p.first, p.last])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
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
  tokens.origStarts.forEach((start, index) => {
    const asciiLetters = codePoints.slice(start, tokens.origEnds[index]).filter(isAsciiLetter);
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
  const folded = foldText(text, codePoints, prepared.fold, prepared.drop);
  const tokens = tokenize(folded, codePoints);
  // `allow` and `except` terms count everywhere; other terms only where nothing is allowed.
  const all = findHits(prepared, prepared.wordsOf(tokens));
  const blocked = new Set();
  for (const hit of gather(all, prepared.allow)) {
    for (let i = hit.first; i <= hit.last; i += 1) blocked.add(i);
  }
  const open = unblocked(prepared, all, blocked);
  const { sentences, origStarts, origEnds } = tokens;
  // Rules share lists such as @person: each role's hits are gathered once per message.
  const gathered = new Map();
  const exceptGathered = new Map(); // `except` terms count even where the allow list blocks
  const gatherOnce = (role, from = open) => {
    const cache = from === open ? gathered : exceptGathered;
    if (!cache.has(role.number)) cache.set(role.number, gather(from, role));
    return cache.get(role.number);
  };
  // The sentences each except list cancels, by role and reach, worked out once per message.
  const cancelledBy = new Map();
  const cancelled = (role, reach) => {
    const key = role.number * 2 + reach;
    if (!cancelledBy.has(key)) {
      const found = new Set();
      for (const h of gatherOnce(role, all)) {
        for (let step = -reach; step <= reach; step += 1) found.add(sentences[h.first] + step);
      }
      cancelledBy.set(key, found);
    }
    return cancelledBy.get(key);
  };
  const findings = [];
  const flagged = new Set(); // the sentences findings are in
  let rank = 0;
  for (const { rule, roles } of prepared.rules) {
    const match = rule.match;
    let found;
    if (match.kind === "terms") found = gatherOnce(roles.terms);
    else if (match.kind === "near") {
      const cues = gatherOnce(roles.cue);
      const targets = cues.length ? gatherOnce(roles.target) : [];
      found = targets.length ? near(targets, cues, sentences, match.within, match.reach ?? 0) : [];
    } else found = metric(match, tokens, codePoints);
    if (!found.length) continue;
    // Sentences the except terms cancel: theirs, and with except_reach 1 the ones next to
    // it; `except_nearby` terms always reach the sentences next to theirs.
    let excepted = cancelled(roles.except, rule.except_reach ?? 0);
    if (roles.exceptNearby.terms.length) {
      excepted = new Set([...excepted, ...cancelled(roles.exceptNearby, 1)]);
    }
    const seen = new Set();
    const count = findings.length;
    for (const hit of found) {
      let skip = false;
      if (excepted.size) {
        for (let s = sentences[hit.first]; s <= sentences[hit.last]; s += 1) {
          if (excepted.has(s)) skip = true;
        }
      }
      if (skip) continue;
      const start = origStarts[hit.first];
      const end = origEnds[hit.last];
      const key = `${start},${end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (let s = sentences[hit.first]; s <= sentences[hit.last]; s += 1) flagged.add(s);
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
    if (findings.length > count) rank = Math.max(rank, SEVERITY_RANK[rule.severity]);
  }
  if (
    findings.length &&
    rank === SEVERITY_RANK.caution &&
    prepared.wording?.readsFine(tokens, flagged, findings.map((f) => f.category))
  ) {
    findings.length = 0; // cautions only, in sentences that read plainly fine
    rank = 0;
  } else if (!findings.length && prepared.wording) {
    const found = prepared.wording.check(tokens);
    if (found) {
      const start = origStarts[found.first];
      const end = origEnds[found.last];
      const texts = prepared.wording.texts[found.category];
      findings.push({
        category: found.category,
        clause: pack.categories[found.category],
        severity: "caution",
        start,
        end,
        quote: codePoints.slice(start, end).join(""),
        message: texts.message,
        suggestion: texts.suggestion,
        rule: `wording.${found.category}`,
      });
      rank = SEVERITY_RANK.caution;
    }
  }
  findings.sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  return { verdict: ["ok", "caution", "stop"][rank], findings };
}
