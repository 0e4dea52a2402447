// Host the self-check widget on the handbook's static page: no server, no kernel.
//
// anywidget modules only use get/set/on/off/save_changes/send on their model,
// so a few lines stand in for the Jupyter widget manager (3.6 MB embed-amd.js
// otherwise). The rule pack comes from a <script type="application/json">
// inside the host element if present, or from rulepack.json next to this file:
// gzipped (rulepack.json.gz, about a third of the size) where the browser can
// unzip it, the plain file where it cannot.

import widget from "./self_check.js";

/** A minimal anywidget model: a key/value store that emits change:<key> events. */
export function createModel(initial = {}) {
  const state = { ...initial };
  const listeners = new Map();
  return {
    get: (key) => state[key],
    set(key, value) {
      if (state[key] === value) return;
      state[key] = value;
      for (const callback of [...(listeners.get(`change:${key}`) ?? [])]) callback(value);
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    off(event, callback) {
      if (!event) listeners.clear();
      else if (!callback) listeners.delete(event);
      else listeners.get(event)?.delete(callback);
    },
    save_changes() {}, // nothing to sync with: the page has no kernel
    send() {},
  };
}

async function fetchOk(name) {
  const url = new URL(name, import.meta.url);
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`could not load the rules (${response.status} from ${url})`);
  return response;
}

// The gzip magic number: a server may already have unzipped the file on the way.
const isGzip = (bytes) => bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b;

async function loadRulePack(host) {
  const inline = host.querySelector('script[type="application/json"]');
  if (inline) return JSON.parse(inline.textContent);
  const plain = host.dataset.rulePack || "rulepack.json";
  if (typeof DecompressionStream !== "function") return (await fetchOk(plain)).json();
  const bytes = new Uint8Array(await (await fetchOk(`${plain}.gz`)).arrayBuffer());
  if (!isGzip(bytes)) return JSON.parse(new TextDecoder().decode(bytes));
  const unzipped = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(unzipped).json();
}

function showError(host, message) {
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.textContent = `The self-check could not start: ${message}. Please reload the page.`;
  host.replaceChildren(note);
}

/** Render the widget into every [data-self-check-host] element on the page. */
export async function mountAll(root = document) {
  for (const host of root.querySelectorAll("[data-self-check-host]")) {
    try {
      const pack = await loadRulePack(host);
      const model = createModel({
        rule_pack: pack,
        text: "",
        handbook_url: host.dataset.handbookUrl ?? "policy.html",
        verdict: "ok",
        categories: [],
      });
      widget.render({ model, el: host });
    } catch (error) {
      showError(host, error.message);
    }
  }
}

mountAll();
