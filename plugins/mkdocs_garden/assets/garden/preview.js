/* mkdocs-garden hover previews.
   Hovering (or keyboard-focusing) a link to another page of the garden shows that page in a
   small popover, as Obsidian Publish and Quartz do. The target page is fetched once, parsed
   inert with DOMParser, reduced to its article, cleaned and kept; each preview imports a copy.
   A plain script with no build step: one closure, in sections by concept. */
(function () {
  "use strict";

  // Material may evaluate extra scripts again; one subscription to page loads is enough.
  if (window.gardenPreview && typeof window.gardenPreview.init === "function") return;

  /* ---------- Settings ---------- */

  const OPEN_DELAY_MS = 300; // a pointer passing over a link is not a request to read it
  const HIDE_GRACE_MS = 300; // time to cross from the link into the popover
  const CACHE_LIMIT = 40; // pages kept parsed; the least recently previewed go first
  const GAP_PX = 6; // between the link and the popover
  const MARGIN_PX = 8; // kept free at the viewport's edges
  const LINKS = ".md-content article a[href]";
  // Links that are chrome rather than content, or that the graph widget already handles.
  const NOT_PREVIEWED = [
    ".garden-graph", "nav", ".md-nav", ".md-sidebar", ".md-header", ".md-footer", "a.headerlink", "a.md-content__button",
  ].join(", ");
  // What a preview leaves out: the target's own mentions and graph, its title permalink, edit
  // buttons and revision dates, and anything active or global (scripts, frames, styles, metadata).
  const DROPPED = [
    ".garden-mentions", ".garden-local-graph", "h1 > a.headerlink", "a.md-content__button", ".md-source-file",
    "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "style", "link", "meta", "base",
  ].join(", ");
  const URL_ATTRIBUTES = new Set([
    "href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href",
  ]);
  const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);
  const MEDIA_ATTRIBUTES = new Set(["src", "poster"]); // where data: URLs (inline images) are fine
  const PAGE_PATH = /(?:\/|\.html?|\/[^/.]+)$/i; // directory URLs, .html pages, or no extension
  const ID = "garden-preview";

  /* ---------- Small helpers ---------- */

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  // The site's root: Material records it as __md_scope; without Material, the whole origin.
  function siteRoot() {
    const scope = window.__md_scope;
    return scope instanceof URL ? scope : new URL("/", location.href);
  }

  // The page a link shows in a preview, or null: same site, a page (not a PDF, an image, a
  // notebook file), not this page itself, not navigation chrome.
  function previewTarget(link) {
    if (!(link instanceof HTMLAnchorElement) || !link.matches(LINKS) || link.closest(NOT_PREVIEWED)) return null;
    const href = link.getAttribute("href") || "";
    if (href === "" || href.startsWith("#") || link.hasAttribute("download")) return null;
    let url;
    try {
      url = new URL(href, document.baseURI);
    } catch (error) {
      return null;
    }
    const root = siteRoot();
    if (url.origin !== location.origin || !url.pathname.startsWith(root.pathname)) return null;
    // Instant navigation rewrites every href to an absolute URL, so a jump within this page
    // (a heading, a footnote) is recognised by its path, not by a leading '#'.
    if (url.pathname === location.pathname && url.search === location.search) return null;
    return PAGE_PATH.test(url.pathname) ? url : null;
  }

  // An attribute's URL made absolute against the page it came from, or null if it is not a
  // kind of URL a preview may keep (javascript:, vbscript:, data: outside media, ...).
  function absoluteUrl(value, base, attribute) {
    let url;
    try {
      url = new URL(value.trim(), base);
    } catch (error) {
      return null;
    }
    if (SAFE_PROTOCOLS.has(url.protocol)) return url.href;
    return url.protocol === "data:" && MEDIA_ATTRIBUTES.has(attribute) ? url.href : null;
  }

  function absoluteSrcset(value, base) {
    const candidates = [];
    for (const candidate of value.split(/,\s+/)) {
      const [address, ...descriptor] = candidate.trim().split(/\s+/);
      const url = address ? absoluteUrl(address, base, "src") : null;
      if (url) candidates.push([url, ...descriptor].join(" "));
    }
    return candidates.join(", ");
  }

  /* ---------- Pages: fetched once per URL, cleaned, kept inert ---------- */

  // Parsed pages live in a document of their own that never renders, so images in the cache
  // do not load until a preview shows them.
  const inert = document.implementation.createHTMLDocument("garden previews");
  const pageCache = new Map(); // page URL without fragment -> cleaned article (in `inert`)

  async function loadPage(pageUrl, signal) {
    const cached = pageCache.get(pageUrl);
    if (cached) {
      pageCache.delete(pageUrl); // re-inserted: Map order is recency order
      pageCache.set(pageUrl, cached);
      return cached;
    }
    const response = await fetch(pageUrl, { signal, mode: "same-origin", credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${pageUrl}`);
    if (!/html/i.test(response.headers.get("content-type") || "text/html")) throw new Error(`not a page: ${pageUrl}`);
    const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
    // A redirect (a missing trailing slash) moves the base that relative URLs resolve against.
    const article = cleanArticle(parsed, response.url || pageUrl);
    if (!article) throw new Error(`no article in ${pageUrl}`);
    pageCache.set(pageUrl, article);
    while (pageCache.size > CACHE_LIMIT) pageCache.delete(pageCache.keys().next().value);
    return article;
  }

  function cleanArticle(parsed, base) {
    const article = parsed.querySelector("article.md-content__inner") || parsed.querySelector(".md-content article");
    if (!article) return null;
    for (const node of article.querySelectorAll(DROPPED)) node.remove();
    for (const element of [article, ...article.querySelectorAll("*")]) cleanElement(element, base);
    return inert.adoptNode(article);
  }

  // The page is our own, but a note may carry raw HTML: handlers and script URLs are dropped
  // all the same. Relative URLs are made absolute, since the preview shows them on another
  // page. Ids move to a data attribute: a copy in this document must not answer to the host
  // page's anchors, labels and radio groups (content tabs), nor take them over.
  function cleanElement(element, base) {
    const inSvg = element.closest("svg") !== null;
    for (const { name, value } of [...element.attributes]) {
      const lower = name.toLowerCase();
      if (lower.startsWith("on") || lower === "srcdoc") {
        element.removeAttribute(name);
      } else if (URL_ATTRIBUTES.has(lower)) {
        // SVG refers to its own parts by fragment (<use href="#icon">): those stay.
        if (inSvg && value.trim().startsWith("#")) continue;
        const url = absoluteUrl(value, base, lower);
        if (url === null) element.removeAttribute(name);
        else element.setAttribute(name, url);
      } else if (lower === "srcset") {
        element.setAttribute(name, absoluteSrcset(value, base));
      } else if (!inSvg && (lower === "id" || lower === "for" || lower === "name")) {
        if (lower === "id") element.setAttribute("data-garden-preview-id", value);
        element.removeAttribute(name);
      }
    }
  }

  /* ---------- The popover: one per page, filled on demand ---------- */

  function createPopover() {
    const popover = document.createElement("div");
    popover.id = ID;
    popover.className = "garden-preview md-typeset";
    popover.setAttribute("role", "tooltip");
    popover.hidden = true;
    document.body.append(popover);
    return popover;
  }

  // The popover's content: a copy of the cached article, with the fragment's element marked.
  function fill(popover, article, hash) {
    const contents = document.createRange();
    contents.selectNodeContents(document.importNode(article, true));
    popover.replaceChildren(contents.extractContents());
    const id = hash ? decodeFragment(hash.slice(1)) : "";
    let target = null;
    for (const element of popover.querySelectorAll("[data-garden-preview-id]")) {
      if (!target && id && element.getAttribute("data-garden-preview-id") === id) target = element;
      element.removeAttribute("data-garden-preview-id");
    }
    if (target) target.classList.add("garden-preview__target");
    // Math is still TeX in a fetched page: typeset it before measuring.
    const math = window.gardenMath;
    if (math && typeof math.render === "function") math.render(popover);
    return target;
  }

  function decodeFragment(fragment) {
    try {
      return decodeURIComponent(fragment);
    } catch (error) {
      return fragment;
    }
  }

  // A screen reader hears a short description, not the whole page: where the link goes (the
  // heading or block, else the title) and the paragraph after it. Returns the ids to refer to.
  function describe(popover, target) {
    const start = target || popover.querySelector("h1");
    const follows = (p) => start.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING;
    const paragraphs = [...popover.querySelectorAll("p")];
    const lead = (start && paragraphs.find(follows)) || paragraphs[0];
    const ids = [];
    if (start) ids.push((start.id = `${ID}-start`));
    if (lead && lead !== start) ids.push((lead.id = `${ID}-lead`));
    return ids.length > 0 ? ids.join(" ") : ID;
  }

  // Below the link if it fits (or has more room there), else above, growing away from the
  // link; left-aligned with it and kept inside the viewport. A link wrapped over two lines is
  // measured on the line the pointer is on.
  function place(popover, anchor, pointer) {
    const rects = [...anchor.getClientRects()];
    const onLine = (r) => pointer && pointer.y >= r.top && pointer.y <= r.bottom;
    const rect = rects.find(onLine) || rects[0] || anchor.getBoundingClientRect();
    const viewWidth = document.documentElement.clientWidth;
    const viewHeight = window.innerHeight;
    Object.assign(popover.style, { top: "", bottom: "", left: "" });
    popover.style.removeProperty("--garden-preview-room");
    const natural = popover.offsetHeight;
    const below = viewHeight - rect.bottom - GAP_PX - MARGIN_PX;
    const above = rect.top - GAP_PX - MARGIN_PX;
    const downwards = natural <= below || below >= above;
    // The room on the chosen side caps the stylesheet's height, so images that load later
    // grow the popover up to it, never over the link.
    popover.style.setProperty("--garden-preview-room", `${Math.max(0, downwards ? below : above)}px`);
    if (downwards) popover.style.top = `${rect.bottom + GAP_PX}px`;
    else popover.style.bottom = `${viewHeight - rect.top + GAP_PX}px`;
    const rightmost = Math.max(MARGIN_PX, viewWidth - popover.offsetWidth - MARGIN_PX);
    popover.style.left = `${clamp(rect.left, MARGIN_PX, rightmost)}px`;
    popover.classList.toggle("garden-preview--above", !downwards);
  }

  function scrollToTarget(popover, target) {
    if (!target) return;
    const offset = target.getBoundingClientRect().top - popover.getBoundingClientRect().top;
    popover.scrollTop += offset - GAP_PX;
  }

  function inViewport(rect) {
    return rect.bottom > 0 && rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth;
  }

  /* ---------- Previews on one page: state, opening and closing ---------- */

  let page = null; // this page's listeners, popover and what it shows; null when disabled
  let sequence = 0; // each opening attempt's number: a slower, older answer is ignored

  function newPage() {
    return {
      listeners: new AbortController(),
      popover: createPopover(),
      anchor: null, // the link the popover shows, while it shows
      trigger: null, // "hover", "focus" or "api": what closes it differs
      describedBy: null, // the anchor's own aria-describedby, restored on close
      pending: null, // { link, trigger, timer, fetch }: an opening under way
      hideTimer: 0,
    };
  }

  // Opens a preview of `link` now; resolves to the popover, or null if there is nothing to show.
  async function open(link, trigger = "api", pointer = null) {
    if (!page) return null;
    cancelPending();
    const url = previewTarget(link);
    if (!url) return null;
    const current = page;
    const attempt = (sequence += 1);
    const controller = new AbortController();
    current.pending = { link, trigger, timer: 0, fetch: controller };
    const pageUrl = new URL(url.href);
    pageUrl.hash = "";
    let article;
    try {
      article = await loadPage(pageUrl.href, controller.signal);
    } catch (error) {
      // Aborted (the pointer left) or unavailable: no preview, and nothing for the console.
      if (attempt === sequence && current.pending) current.pending = null;
      return null;
    }
    if (attempt !== sequence || page !== current || !link.isConnected) return null;
    current.pending = null;
    show(link, article, url.hash, trigger, pointer);
    return current.popover;
  }

  function show(link, article, hash, trigger, pointer) {
    hide();
    const { popover } = page;
    const target = fill(popover, article, hash);
    popover.hidden = false;
    place(popover, link, pointer);
    scrollToTarget(popover, target);
    page.anchor = link;
    page.trigger = trigger;
    page.describedBy = link.getAttribute("aria-describedby");
    const description = [page.describedBy, describe(popover, target)].filter(Boolean).join(" ");
    link.setAttribute("aria-describedby", description);
  }

  function hide() {
    if (!page) return;
    clearTimeout(page.hideTimer);
    page.hideTimer = 0;
    const { popover, anchor } = page;
    if (anchor) {
      if (page.describedBy) anchor.setAttribute("aria-describedby", page.describedBy);
      else anchor.removeAttribute("aria-describedby");
    }
    popover.hidden = true;
    popover.replaceChildren();
    Object.assign(page, { anchor: null, trigger: null, describedBy: null });
  }

  function schedule(link, trigger, pointer) {
    if (link === page.anchor) {
      cancelHide();
      return;
    }
    if (page.pending && page.pending.link === link) return;
    cancelPending();
    const timer = setTimeout(() => open(link, trigger, pointer), OPEN_DELAY_MS);
    page.pending = { link, trigger, timer, fetch: null };
  }

  // Stops an opening that has not shown yet, and its download.
  function cancelPending() {
    const pending = page && page.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    if (pending.fetch) pending.fetch.abort();
    page.pending = null;
    sequence += 1;
  }

  function scheduleHide() {
    clearTimeout(page.hideTimer);
    page.hideTimer = setTimeout(hide, HIDE_GRACE_MS);
  }

  function cancelHide() {
    clearTimeout(page.hideTimer);
    page.hideTimer = 0;
  }

  function dismiss() {
    cancelPending();
    hide();
  }

  /* ---------- Events: delegated from the document, one set per page ---------- */

  // Touch taps also send pointer events; they are not hovering.
  function isHoverPointer(event) {
    return event.pointerType === "mouse" || event.pointerType === "pen" || !event.pointerType;
  }

  function linkOf(node) {
    return node instanceof Element ? node.closest("a[href]") : null;
  }

  function onPointerOver(event) {
    if (!isHoverPointer(event)) return;
    if (page.popover.contains(event.target)) {
      cancelHide();
      return;
    }
    const link = linkOf(event.target);
    if (link && previewTarget(link)) schedule(link, "hover", { x: event.clientX, y: event.clientY });
  }

  function onPointerOut(event) {
    if (!isHoverPointer(event)) return;
    const to = event.relatedTarget;
    const link = linkOf(event.target);
    const pending = page.pending;
    const offLink = link && !(to instanceof Node && link.contains(to));
    if (pending && pending.trigger === "hover" && link === pending.link && offLink) cancelPending();
    const { anchor, popover } = page;
    if (page.trigger !== "hover") return;
    const leaving = (anchor && anchor.contains(event.target)) || popover.contains(event.target);
    const staying = to instanceof Node && ((anchor && anchor.contains(to)) || popover.contains(to));
    if (leaving && !staying) scheduleHide();
  }

  // Keyboard focus only: a mouse click also focuses the link, and has its hover preview.
  function onFocusIn(event) {
    const link = linkOf(event.target);
    if (!link || !previewTarget(link) || !focusVisible(link)) return;
    schedule(link, "focus", null);
  }

  function focusVisible(element) {
    try {
      return element.matches(":focus-visible");
    } catch (error) {
      return true;
    }
  }

  function onFocusOut(event) {
    const link = linkOf(event.target);
    // Focus moving into the popover is a click on one of its links: it must still be there.
    if (!link || (event.relatedTarget instanceof Node && page.popover.contains(event.relatedTarget))) return;
    if (page.pending && page.pending.link === link && page.pending.trigger === "focus") cancelPending();
    if (page.anchor === link && page.trigger !== "hover") hide();
  }

  function onKeyDown(event) {
    if (event.key === "Escape" && (page.pending || page.anchor)) dismiss();
  }

  // The popover is fixed to the viewport, so a page that scrolls under it leaves it pointing at
  // nothing. A keyboard user's preview follows its link while the link is in view (tabbing
  // scrolls the page); the popover's own scrolling is reading, not leaving.
  function onScroll(event) {
    const { anchor, popover } = page;
    if (!anchor || (event.target instanceof Node && popover.contains(event.target))) return;
    const moved = event.target === document || (event.target instanceof Node && event.target.contains(anchor));
    if (!moved) return;
    if (page.trigger !== "hover" && inViewport(anchor.getBoundingClientRect())) place(popover, anchor, null);
    else dismiss();
  }

  function listen(listeners) {
    const options = { signal: listeners.signal };
    document.addEventListener("pointerover", onPointerOver, options);
    document.addEventListener("pointerout", onPointerOut, options);
    document.addEventListener("focusin", onFocusIn, options);
    document.addEventListener("focusout", onFocusOut, options);
    document.addEventListener("keydown", onKeyDown, options);
    window.addEventListener("scroll", onScroll, { signal: listeners.signal, capture: true, passive: true });
    window.addEventListener("resize", dismiss, options);
  }

  /* ---------- Page lifecycle ---------- */

  // Readers who cannot hover (touch-only devices) would get previews on every tap instead.
  function previewsWanted() {
    return !window.matchMedia("(any-hover: none)").matches;
  }

  // Called for every page Material shows: the old page's listeners, timers, download and
  // popover go first, then this page gets its own.
  function init() {
    if (page) {
      dismiss();
      page.listeners.abort();
      page.popover.remove();
      page = null;
    }
    for (const stray of document.querySelectorAll(`#${ID}`)) stray.remove();
    if (!previewsWanted()) return;
    page = newPage();
    listen(page.listeners);
  }

  // What tests and other scripts may rely on; everything else is private.
  window.gardenPreview = {
    init,
    open: (anchor) => open(anchor, "api", null),
    current: () => (page && !page.popover.hidden ? page.popover : null),
  };

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
