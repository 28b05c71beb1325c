/* mkdocs-garden: small accessibility repairs to what Material and mkdocs-jupyter emit.
   - Material's search dialog has role="dialog" but no accessible name.
   - Scrollable notebook code cells cannot be reached with the keyboard.
   Re-applied on every page change of Material's instant navigation. */
(function () {
  "use strict";

  function repair() {
    const search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    // They scroll sideways when a line is long, so the keyboard must be able to focus them.
    for (const block of document.querySelectorAll(".highlight-ipynb, .jp-OutputArea-output pre")) {
      if (!block.hasAttribute("tabindex")) block.setAttribute("tabindex", "0");
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(repair);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", repair);
  } else {
    repair();
  }
})();
