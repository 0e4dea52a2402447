// The self-check's styles, added once per document (or shadow root) by the widget itself,
// so every host (static page, Jupyter, Voila) looks the same without a separate CSS file.
// Colours meet WCAG AA contrast; the verdict also has a shape and words, never colour alone.

const STYLE_ID = "bypsc-style";

const CSS = `
.bypsc{font:inherit;color:#0b0c0c;background:#fff;max-width:46rem;box-sizing:border-box;
  padding:.75rem;border-radius:4px}
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
.bypsc-guideline{margin:.3rem 0;padding:.1rem 0 .1rem .6rem;border-left:3px solid #b1b4b6;font-style:italic;
  color:#0b0c0c;background:#fff}
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

/** Add the styles next to `el` unless an earlier widget already did. */
export function ensureStyle(el) {
  const root = el.getRootNode();
  const scope = root instanceof ShadowRoot ? root : document.head;
  if (scope.querySelector?.(`#${STYLE_ID}`)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  scope.append(style);
}
