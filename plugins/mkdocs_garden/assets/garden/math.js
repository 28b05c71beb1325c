/* mkdocs-garden math.
   Typesets the TeX that pymdownx.arithmatex (generic mode) leaves in the page, with the KaTeX
   the garden vendors under vendor/katex/, so a published vault needs no CDN. Arithmatex writes
   <span class="arithmatex">\(...\)</span> for inline and <div class="arithmatex">\[...\]</div>
   for display math. A plain script with no build step; it must load after katex.min.js. */
(function () {
  "use strict";

  // Material may evaluate extra scripts again; one subscription to page loads is enough.
  if (window.gardenMath && typeof window.gardenMath.init === "function") return;

  // Arithmatex's default wrappers (tex_inline_wrap, tex_block_wrap), and the display mode each
  // one means. Without a known wrapper the element's tag decides: a block is display math.
  const WRAPPERS = [
    { open: "\\(", close: "\\)", display: false },
    { open: "\\[", close: "\\]", display: true },
  ];
  const DONE = "data-garden-math"; // KaTeX replaced the TeX: its text is no longer the source

  function texOf(element) {
    const text = element.textContent.trim();
    for (const { open, close, display } of WRAPPERS) {
      if (text.length >= open.length + close.length && text.startsWith(open) && text.endsWith(close)) {
        return { tex: text.slice(open.length, text.length - close.length), display };
      }
    }
    return { tex: text, display: element.tagName !== "SPAN" };
  }

  let warned = false;

  // Typesets every arithmatex element under `root` not typeset yet, and says how many it did.
  // Shared with the hover previews, which insert pages whose math is still TeX.
  function render(root) {
    const katex = window.katex;
    if (!katex || typeof katex.render !== "function") {
      if (!warned && (root || document).querySelector(".arithmatex")) {
        warned = true;
        console.warn("mkdocs-garden: KaTeX is not loaded (vendor/katex/katex.min.js), so math stays as TeX");
      }
      return 0;
    }
    let count = 0;
    for (const element of (root || document).querySelectorAll(".arithmatex")) {
      if (element.hasAttribute(DONE)) continue;
      const { tex, display } = texOf(element);
      try {
        // Bad TeX is shown in red in place (throwOnError: false), like Obsidian shows it, and
        // KaTeX's LaTeX-compatibility notes stay out of the reader's console (strict).
        katex.render(tex, element, { displayMode: display, throwOnError: false, strict: "ignore" });
        element.setAttribute(DONE, "");
        count += 1;
      } catch (error) {
        // Only misuse of KaTeX itself throws here; the TeX stays readable.
        element.setAttribute(DONE, "error");
        element.title = String(error && error.message ? error.message : error);
      }
    }
    return count;
  }

  function init() {
    render(document);
  }

  window.gardenMath = { init, render };

  // Material's instant navigation announces each new page on document$; without it, the
  // page is loaded once.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => init());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init, { once: true });
  } else {
    init();
  }
})();
