/* mkdocs-garden link graph.
   Draws site/garden/graph.json on a Canvas 2D: a global view of the whole garden and a local
   view of each note's neighbourhood. The layout is computed at build time, so the browser only
   projects, draws and lets the reader pan, zoom, drag, hover and follow links. A plain script
   with no build step: one closure, in sections by concept. */
(function () {
  "use strict";

  // Material may evaluate extra scripts again; one subscription to page loads is enough.
  if (window.gardenGraph && typeof window.gardenGraph.init === "function") return;

  /* ---------- Settings ---------- */

  const KIND = { note: 0, notebook: 1, tag: 2, unwritten: 3 };
  const TAU = Math.PI * 2;
  const CLICK_SLOP_PX = { mouse: 4, pen: 6, touch: 10 }; // how far a press may wander and click
  const PICK_SLOP_PX = { mouse: 3, pen: 5, touch: 10 }; // how near a node a press must land
  const ZOOM_MIN = 0.25; // relative to the zoom that fits the whole graph
  const ZOOM_MAX = 40;
  const KEY_PAN_PX = 60;
  const KEY_ZOOM = 1.25;
  const FIT_PADDING_PX = 28;
  const NODE_RADIUS_MAX_PX = 14; // at zoom 1 and full density; hubs grow with sqrt(degree)
  const LAYER_MARGIN = 0.25; // share of the view drawn beyond each edge, for panning
  const HAIRLINE_EDGES = 2000; // past this many edges in view, edges are device hairlines
  const ZOOM_SETTLE_MS = 150; // a wheel quiet this long ends a zoom; the picture is redrawn
  const LABEL_LIMIT = 250; // labels per frame: more is unreadable and slow
  const LABEL_MIN_RADIUS_PX = 5; // smaller nodes go unlabelled unless they stand out
  const LABEL_ALL_BELOW = 40; // graphs this small label every node that has room
  const LABEL_MAX_CHARS = 40;
  const LABEL_CELL_PX = 8;
  const LIST_LIMIT = 1500; // accessible link list: beyond this its DOM costs more than it helps
  const LEGEND_LIMIT = 8;
  const COLOUR_MODES = { folder: "Folder", tag: "Tag", community: "Community", stage: "Growth stage" };

  /* ---------- Small helpers ---------- */

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  /* ---------- Graph data: fetched once per URL, indexed for fast walks ---------- */

  const graphCache = new Map();

  // Widgets share one parsed graph: instant navigation re-creates widgets, not downloads.
  function loadGraph(url) {
    let promise = graphCache.get(url);
    if (!promise) {
      promise = fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
          return response.json();
        })
        .then(indexGraph);
      // A failed download is forgotten, so that the next page may try again.
      promise.catch(() => graphCache.delete(url));
      graphCache.set(url, promise);
    }
    return promise;
  }

  // Edges become typed columns and adjacency a compressed list (CSR), so drawing and
  // neighbourhood walks read contiguous memory instead of thousands of small objects.
  function indexGraph(json) {
    if (!json || !Array.isArray(json.nodes)) throw new Error("graph.json has no node list");
    const nodes = json.nodes.map(readNode);
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const edges = readEdges(Array.isArray(json.edges) ? json.edges : [], index);
    const adjacency = buildAdjacency(nodes.length, edges.source, edges.target);
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].degree < 0) nodes[i].degree = adjacency.offsets[i + 1] - adjacency.offsets[i];
    }
    return { nodes, index, edges, adjacency };
  }

  function readNode(raw, i) {
    const kind = KIND[raw.kind] ?? KIND.note;
    const placed = Number.isFinite(raw.x) && Number.isFinite(raw.y);
    return {
      id: String(raw.id),
      title: String(raw.title ?? raw.id),
      url: kind !== KIND.unwritten && typeof raw.url === "string" ? raw.url : null,
      kind,
      tags: Array.isArray(raw.tags) ? raw.tags.map(String) : [],
      folder: typeof raw.folder === "string" ? raw.folder : "",
      community: Number.isInteger(raw.community) ? raw.community : null,
      degree: Number.isFinite(raw.degree) ? raw.degree : -1,
      // A node without a precomputed position still gets a stable one: a golden-angle spiral.
      x: placed ? raw.x : 0.05 * Math.sqrt(i) * Math.cos(i * 2.39996),
      y: placed ? raw.y : 0.05 * Math.sqrt(i) * Math.sin(i * 2.39996),
    };
  }

  function readEdges(raw, index) {
    const source = new Int32Array(raw.length);
    const target = new Int32Array(raw.length);
    const isTag = new Uint8Array(raw.length);
    let count = 0;
    for (const edge of raw) {
      const from = index.get(String(edge.source));
      const to = index.get(String(edge.target));
      // Edges to nodes the file does not list, and links to oneself, have nothing to draw.
      if (from === undefined || to === undefined || from === to) continue;
      source[count] = from;
      target[count] = to;
      isTag[count] = edge.kind === "tag" ? 1 : 0;
      count += 1;
    }
    return { source: source.slice(0, count), target: target.slice(0, count), isTag: isTag.slice(0, count) };
  }

  // Undirected: a note's neighbours include the notes that link to it.
  function buildAdjacency(nodeCount, source, target) {
    const offsets = new Int32Array(nodeCount + 1);
    for (let e = 0; e < source.length; e++) {
      offsets[source[e] + 1] += 1;
      offsets[target[e] + 1] += 1;
    }
    for (let i = 0; i < nodeCount; i++) offsets[i + 1] += offsets[i];
    const next = offsets.slice(0, nodeCount);
    const neighbours = new Int32Array(offsets[nodeCount]);
    for (let e = 0; e < source.length; e++) {
      neighbours[next[source[e]]++] = target[e];
      neighbours[next[target[e]]++] = source[e];
    }
    return { offsets, neighbours };
  }

  // Breadth-first, so the list starts with the note itself, then its nearest neighbours.
  function neighbourhood(adjacency, start, depth) {
    const { offsets, neighbours } = adjacency;
    const seen = new Set([start]);
    let frontier = [start];
    for (let step = 0; step < depth && frontier.length > 0; step++) {
      const next = [];
      for (const node of frontier) {
        for (let k = offsets[node]; k < offsets[node + 1]; k++) {
          if (!seen.has(neighbours[k])) {
            seen.add(neighbours[k]);
            next.push(neighbours[k]);
          }
        }
      }
      frontier = next;
    }
    return [...seen];
  }

  /* ---------- Scene: the nodes and edges one widget shows, in its own coordinates ---------- */

  // Each widget copies positions, so dragging a node in one view never moves it in another.
  function buildScene(graph, members) {
    const nodes = members.map((g) => graph.nodes[g]);
    const count = nodes.length;
    const local = new Int32Array(graph.nodes.length).fill(-1);
    members.forEach((g, i) => { local[g] = i; });
    const edges = sceneEdges(graph.edges, local);
    return {
      nodes,
      edges,
      adjacency: buildAdjacency(count, edges.source, edges.target),
      x: Float32Array.from(nodes, (node) => node.x),
      y: Float32Array.from(nodes, (node) => node.y),
      radius: Float32Array.from(nodes, (node) => nodeRadius(node.degree)),
      // Most connected first: they get labels and search focus before the rest.
      order: Int32Array.from(nodes.keys()).sort((a, b) => nodes[b].degree - nodes[a].degree || a - b),
      searchText: nodes.map((node) => node.title.toLowerCase()),
      sx: new Float32Array(count),
      sy: new Float32Array(count),
      sr: new Float32Array(count),
      visible: new Uint8Array(count),
      labelWidths: new Float32Array(count),
      labelFont: "",
    };
  }

  function nodeRadius(degree) {
    return Math.min(2.5 + 1.3 * Math.sqrt(Math.max(0, degree)), NODE_RADIUS_MAX_PX);
  }

  function sceneEdges(edges, local) {
    const source = [];
    const target = [];
    const isTag = [];
    for (let e = 0; e < edges.source.length; e++) {
      const from = local[edges.source[e]];
      const to = local[edges.target[e]];
      if (from < 0 || to < 0) continue;
      source.push(from);
      target.push(to);
      isTag.push(edges.isTag[e]);
    }
    return { source: Int32Array.from(source), target: Int32Array.from(target), isTag: Uint8Array.from(isTag) };
  }

  // A local graph is centred on its note. Distances from it are compressed (square root), so
  // close neighbours spread out and far ones come in, while keeping their precomputed direction.
  function centreScene(scene, centre) {
    const { x, y } = scene;
    const originX = x[centre];
    const originY = y[centre];
    let farthest = 0;
    for (let i = 0; i < x.length; i++) farthest = Math.max(farthest, Math.hypot(x[i] - originX, y[i] - originY));
    for (let i = 0; i < x.length; i++) {
      const distance = Math.hypot(x[i] - originX, y[i] - originY);
      const stretch = distance > 0 ? Math.sqrt(farthest / distance) : 0;
      x[i] = (x[i] - originX) * stretch;
      y[i] = (y[i] - originY) * stretch;
    }
  }

  // Centre and half-size of the scene in layout units: what "fit to view" has to show.
  function sceneExtent(scene, centred) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < scene.x.length; i++) {
      minX = Math.min(minX, scene.x[i]); maxX = Math.max(maxX, scene.x[i]);
      minY = Math.min(minY, scene.y[i]); maxY = Math.max(maxY, scene.y[i]);
    }
    if (centred) {
      return { cx: 0, cy: 0, halfX: Math.max(-minX, maxX, 0.05), halfY: Math.max(-minY, maxY, 0.05) };
    }
    return {
      cx: (minX + maxX) / 2, cy: (minY + maxY) / 2,
      halfX: Math.max((maxX - minX) / 2, 0.05), halfY: Math.max((maxY - minY) / 2, 0.05),
    };
  }

  /* ---------- Camera: layout coordinates to CSS pixels on the canvas ---------- */

  class Camera {
    constructor() {
      Object.assign(this, { cx: 0, cy: 0, zoom: 1, fitScale: 1, width: 0, height: 0, halfX: 1, halfY: 1 });
    }

    get scale() {
      return this.fitScale * this.zoom;
    }

    // Zoom 1 shows the whole extent; a resize keeps the zoom, so content grows with the box.
    frame({ cx, cy, halfX, halfY }) {
      Object.assign(this, { cx, cy, halfX, halfY, zoom: 1 });
      this.refit();
    }

    resize(width, height) {
      Object.assign(this, { width, height });
      this.refit();
    }

    refit() {
      const roomX = Math.max(this.width / 2 - FIT_PADDING_PX, this.width / 4);
      const roomY = Math.max(this.height / 2 - FIT_PADDING_PX, this.height / 4);
      this.fitScale = Math.max(Math.min(roomX / this.halfX, roomY / this.halfY), 1e-6);
    }

    toScreen(wx, wy) {
      return { x: (wx - this.cx) * this.scale + this.width / 2, y: (wy - this.cy) * this.scale + this.height / 2 };
    }

    toWorld(sx, sy) {
      return { x: (sx - this.width / 2) / this.scale + this.cx, y: (sy - this.height / 2) / this.scale + this.cy };
    }

    panBy(dx, dy) {
      this.cx -= dx / this.scale;
      this.cy -= dy / this.scale;
    }

    // The layout point under the cursor stays under it.
    zoomAt(sx, sy, factor) {
      const anchor = this.toWorld(sx, sy);
      this.zoom = clamp(this.zoom * factor, ZOOM_MIN, ZOOM_MAX);
      this.cx = anchor.x - (sx - this.width / 2) / this.scale;
      this.cy = anchor.y - (sy - this.height / 2) / this.scale;
    }
  }

  /* ---------- Spatial grid: the nodes near a point, without scanning them all ---------- */

  // A uniform grid over the layout with about two nodes per cell: hover and click look at a
  // few cells instead of every node, and a dragged node just changes cell.
  class SpatialGrid {
    constructor(x, y) {
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      for (let i = 0; i < x.length; i++) {
        minX = Math.min(minX, x[i]); maxX = Math.max(maxX, x[i]);
        minY = Math.min(minY, y[i]); maxY = Math.max(maxY, y[i]);
      }
      const side = clamp(Math.ceil(Math.sqrt(x.length / 2)), 1, 256);
      this.minX = minX;
      this.minY = minY;
      this.size = Math.max(maxX - minX, maxY - minY, 1e-3) / side;
      this.cols = Math.max(1, Math.ceil((maxX - minX) / this.size));
      this.rows = Math.max(1, Math.ceil((maxY - minY) / this.size));
      this.cells = Array.from({ length: this.cols * this.rows }, () => []);
      for (let i = 0; i < x.length; i++) this.cells[this.cellOf(x[i], y[i])].push(i);
    }

    // Points outside the grid (a node dragged away) belong to the nearest border cell.
    column(wx) {
      return clamp(Math.floor((wx - this.minX) / this.size), 0, this.cols - 1);
    }

    row(wy) {
      return clamp(Math.floor((wy - this.minY) / this.size), 0, this.rows - 1);
    }

    cellOf(wx, wy) {
      return this.row(wy) * this.cols + this.column(wx);
    }

    move(i, from, to) {
      const before = this.cellOf(from.x, from.y);
      const after = this.cellOf(to.x, to.y);
      if (before === after) return;
      const cell = this.cells[before];
      cell.splice(cell.indexOf(i), 1);
      this.cells[after].push(i);
    }

    forEachNear(wx, wy, reach, visit) {
      const lastColumn = this.column(wx + reach);
      const lastRow = this.row(wy + reach);
      for (let r = this.row(wy - reach); r <= lastRow; r++) {
        for (let c = this.column(wx - reach); c <= lastColumn; c++) {
          for (const i of this.cells[r * this.cols + c]) visit(i);
        }
      }
    }
  }

  /* ---------- Colours: Material's palette, and a categorical scale that suits it ---------- */

  const colourProbe = document.createElement("canvas").getContext("2d");

  // Material keeps its scheme in custom properties on <body>: read at draw time, so the frame
  // after a scheme toggle uses the new colours.
  function readPalette() {
    const style = getComputedStyle(document.body);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const fg = read("--md-default-fg-color", style.color || "#222");
    const bg = read("--md-default-bg-color", "#fff");
    return {
      fg,
      bg,
      fgLight: read("--md-default-fg-color--light", fg),
      accent: read("--md-accent-fg-color", fg),
      primary: read("--md-primary-fg-color", fg),
      dark: luminance(bg) < 0.5,
      font: style.fontFamily || "sans-serif",
    };
  }

  // The canvas normalises any CSS colour to #rrggbb or rgba(), which is easy to read back.
  function luminance(colour) {
    colourProbe.fillStyle = "#fff";
    colourProbe.fillStyle = colour;
    const value = colourProbe.fillStyle;
    const channels = value.startsWith("#")
      ? [1, 3, 5].map((at) => parseInt(value.slice(at, at + 2), 16))
      : value.match(/[\d.]+/g).slice(0, 3).map(Number);
    return (0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]) / 255;
  }

  // Golden-angle hues keep neighbouring ranks apart; lighter on dark backgrounds.
  function categoryColour(rank, dark) {
    return `hsl(${Math.round((210 + rank * 137.508) % 360)}, 62%, ${dark ? 66 : 44}%)`;
  }

  const CATEGORY_KEY = {
    folder: (node) => node.folder,
    tag: (node) => (node.tags.length > 0 ? node.tags[0] : null),
    community: (node) => node.community,
    stage: (node) => node.stage || null,
  };

  // Groups ranked by size in the whole garden, so the biggest get the most distinct hues and a
  // folder has the same colour on every page. Nodes without a category share the group after
  // the last; unwritten notes are group -1, drawn hollow.
  function colourGroups(nodes, mode, garden) {
    const keyOf = CATEGORY_KEY[mode];
    const counts = new Map();
    for (const node of garden) {
      const key = node.kind === KIND.unwritten ? null : keyOf(node);
      if (key != null) counts.set(key, (counts.get(key) || 0) + 1);
    }
    const ranked = [...counts.keys()]
      .sort((a, b) => counts.get(b) - counts.get(a) || String(a).localeCompare(String(b)));
    const rank = new Map(ranked.map((key, r) => [key, r]));
    const groupOf = Int32Array.from(nodes, (node) => {
      if (node.kind === KIND.unwritten) return -1;
      const key = keyOf(node);
      return key == null ? ranked.length : rank.get(key);
    });
    return { mode, names: ranked.map(String), groupOf };
  }

  /* ---------- Drawing: one batched path per style, only what is on screen ---------- */

  // Screen position and radius of every node for a view whose top-left corner lies `margin`
  // CSS px beyond the canvas's, and whether any of the node falls inside that view.
  function project(frame, margin) {
    const { scene, camera, radiusFactor } = frame;
    const { x, y, sx, sy, sr, visible, radius } = scene;
    const scale = camera.scale;
    const offsetX = camera.width / 2 + margin.x - camera.cx * scale;
    const offsetY = camera.height / 2 + margin.y - camera.cy * scale;
    const width = camera.width + 2 * margin.x;
    const height = camera.height + 2 * margin.y;
    for (let i = 0; i < x.length; i++) {
      const px = x[i] * scale + offsetX;
      const py = y[i] * scale + offsetY;
      const r = Math.max(1, radius[i] * radiusFactor);
      sx[i] = px;
      sy[i] = py;
      sr[i] = r;
      visible[i] = px > -r && px < width + r && py > -r && py < height + r ? 1 : 0;
    }
    frame.bounds = { width, height };
  }

  // An edge is skipped when both ends lie beyond the same side of the view.
  function edgeOffView(frame, a, b) {
    const { sx, sy } = frame.scene;
    const { width, height } = frame.bounds;
    return (sx[a] < 0 && sx[b] < 0) || (sx[a] > width && sx[b] > width)
      || (sy[a] < 0 && sy[b] < 0) || (sy[a] > height && sy[b] > height);
  }

  // Every edge in two batches, links and the fainter tag edges; not those of a node being
  // dragged (`lifted`), which the hover emphasis draws.
  function drawEdges(frame) {
    const { ctx, scene, palette, lifted } = frame;
    const { source, target, isTag } = scene.edges;
    const { sx, sy } = scene;
    const links = new Path2D();
    const tags = new Path2D();
    let drawn = 0;
    for (let e = 0; e < source.length; e++) {
      const a = source[e];
      const b = target[e];
      if (a === lifted || b === lifted || edgeOffView(frame, a, b)) continue;
      const path = isTag[e] ? tags : links;
      path.moveTo(sx[a], sy[a]);
      path.lineTo(sx[b], sy[b]);
      drawn += 1;
    }
    // Dense graphs get fainter edges, so thousands of lines read as texture, not ink, and one
    // device pixel wide: Skia draws those as hairlines, many times faster than wider strokes.
    const alpha = clamp(10 / Math.sqrt(drawn || 1), 0.07, 0.35);
    const width = drawn > HAIRLINE_EDGES ? 1 / frame.dpr : 1;
    strokePath(ctx, links, palette.fg, alpha, width);
    strokePath(ctx, tags, palette.fg, alpha / 2, width);
  }

  // The hovered node's edges, or the edges between search hits.
  function drawStrongEdges(frame) {
    const { scene, hovered, emphasis } = frame;
    const { sx, sy } = scene;
    const path = new Path2D();
    const line = (a, b) => {
      path.moveTo(sx[a], sy[a]);
      path.lineTo(sx[b], sy[b]);
    };
    if (hovered >= 0) {
      const { offsets, neighbours } = scene.adjacency;
      for (let k = offsets[hovered]; k < offsets[hovered + 1]; k++) line(hovered, neighbours[k]);
    } else {
      const { source, target } = scene.edges;
      for (let e = 0; e < source.length; e++) {
        const a = source[e];
        const b = target[e];
        if (emphasis[a] && emphasis[b] && !edgeOffView(frame, a, b)) line(a, b);
      }
    }
    strokePath(frame.ctx, path, frame.palette.accent, 0.9, 1.5);
  }

  function strokePath(ctx, path, colour, alpha, width) {
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.stroke(path);
    ctx.globalAlpha = 1;
  }

  // Notes are discs, tags diamonds; tiny discs become squares, which look the same and are
  // much cheaper to fill.
  function addShape(path, kind, x, y, r) {
    if (kind === KIND.tag) {
      path.moveTo(x, y - r * 1.25);
      path.lineTo(x + r * 1.25, y);
      path.lineTo(x, y + r * 1.25);
      path.lineTo(x - r * 1.25, y);
      path.closePath();
    } else if (r < 1.6) {
      path.rect(x - r, y - r, 2 * r, 2 * r);
    } else {
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, TAU);
    }
  }

  // One path per colour group, so thousands of nodes cost a handful of fills. Notes not
  // written yet (group -1) are hollow and grey: there is nothing to open.
  function drawNodes(frame, indices) {
    const { ctx, scene, palette, colouring, lifted } = frame;
    const { sx, sy, sr, visible, nodes } = scene;
    const paths = new Map();
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!visible[i] || i === lifted) continue;
      const group = colouring.groupOf[i];
      if (!paths.has(group)) paths.set(group, new Path2D());
      addShape(paths.get(group), nodes[i].kind, sx[i], sy[i], sr[i]);
    }
    for (const [group, path] of paths) {
      ctx.fillStyle = group < 0 ? palette.bg : frame.groupColour(group);
      ctx.fill(path);
      if (group >= 0) continue;
      ctx.strokeStyle = palette.fgLight;
      ctx.lineWidth = 1.2;
      ctx.stroke(path);
    }
  }

  // What stands out (hover, search) is drawn again over a veil that dims everything else.
  function drawEmphasis(frame) {
    const { ctx, camera, palette } = frame;
    ctx.globalAlpha = 0.8;
    ctx.fillStyle = palette.bg;
    ctx.fillRect(0, 0, camera.width, camera.height);
    ctx.globalAlpha = 1;
    drawStrongEdges(frame);
    drawNodes(frame, frame.emphasised);
  }

  // Rings mark the local graph's own note, the hovered node and search hits.
  function drawRings(frame) {
    const { ctx, scene, palette, hovered, centre, matches } = frame;
    const path = new Path2D();
    const ring = (i) => {
      if (i < 0 || !scene.visible[i]) return;
      const r = scene.sr[i] + 3;
      path.moveTo(scene.sx[i] + r, scene.sy[i]);
      path.arc(scene.sx[i], scene.sy[i], r, 0, TAU);
    };
    ring(centre);
    ring(hovered);
    for (const i of matches) ring(i);
    ctx.strokeStyle = palette.accent;
    ctx.lineWidth = 2;
    ctx.stroke(path);
  }

  // Labels for the most connected visible nodes, skipping any that would overlap one already
  // placed; the hovered node's label comes first.
  function drawLabels(frame) {
    const { ctx, scene, palette, hovered } = frame;
    const font = `12px ${palette.font}`;
    if (scene.labelFont !== font) {
      scene.labelWidths.fill(0);
      scene.labelFont = font;
    }
    Object.assign(ctx, { font, textAlign: "center", textBaseline: "top", lineJoin: "round", lineWidth: 3 });
    ctx.strokeStyle = palette.bg;
    ctx.fillStyle = palette.fg;
    const taken = new Set();
    let placed = hovered >= 0 && placeLabel(frame, hovered, taken) ? 1 : 0;
    for (let k = 0; k < scene.order.length && placed < LABEL_LIMIT; k++) {
      const i = scene.order[k];
      if (i !== hovered && wantsLabel(frame, i) && placeLabel(frame, i, taken)) placed += 1;
    }
  }

  function wantsLabel(frame, i) {
    const { scene, emphasis } = frame;
    if (!scene.visible[i]) return false;
    if (emphasis) return emphasis[i] === 1;
    return scene.nodes.length < LABEL_ALL_BELOW || scene.sr[i] >= LABEL_MIN_RADIUS_PX;
  }

  function placeLabel(frame, i, taken) {
    const { ctx, scene } = frame;
    const title = scene.nodes[i].title;
    const text = title.length > LABEL_MAX_CHARS ? `${title.slice(0, LABEL_MAX_CHARS - 1)}…` : title;
    if (!scene.labelWidths[i]) scene.labelWidths[i] = ctx.measureText(text).width;
    const width = scene.labelWidths[i];
    const top = scene.sy[i] + scene.sr[i] + 2;
    if (!claimCells(taken, scene.sx[i] - width / 2, top, width, 14)) return false;
    ctx.strokeText(text, scene.sx[i], top);
    ctx.fillText(text, scene.sx[i], top);
    return true;
  }

  // Labels claim coarse cells of the canvas; a label whose cells are taken is not drawn.
  function claimCells(taken, left, top, width, height) {
    const cells = [];
    for (let r = Math.floor(top / LABEL_CELL_PX); r <= Math.floor((top + height) / LABEL_CELL_PX); r++) {
      for (let c = Math.floor(left / LABEL_CELL_PX); c <= Math.floor((left + width) / LABEL_CELL_PX); c++) {
        const key = r * 100003 + c;
        if (taken.has(key)) return false;
        cells.push(key);
      }
    }
    for (const key of cells) taken.add(key);
    return true;
  }

  /* ---------- Layer: the costly picture, drawn once and moved as pixels ---------- */

  // Every edge and node at one zoom, drawn into an offscreen canvas a margin larger than the
  // view. A pan then copies pixels instead of rasterising tens of thousands of lines again
  // (in software that takes a tenth of a second or more), a zoom in progress scales the copy
  // until the wheel rests, and a dragged node is lifted out of it for the drag. It is drawn
  // again when it no longer covers the view or its inputs (`key`: positions, colours, size,
  // the lifted node) change.
  class Layer {
    constructor() {
      this.canvas = document.createElement("canvas");
      this.context = this.canvas.getContext("2d");
      this.key = "";
      this.view = null;
      this.renders = 0;
    }

    render(frame, key, dpr) {
      const { camera } = frame;
      const margin = { x: Math.round(camera.width * LAYER_MARGIN), y: Math.round(camera.height * LAYER_MARGIN) };
      const width = Math.round((camera.width + 2 * margin.x) * dpr);
      const height = Math.round((camera.height + 2 * margin.y) * dpr);
      if (this.canvas.width !== width || this.canvas.height !== height) {
        Object.assign(this.canvas, { width, height });
      }
      const ctx = this.context;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const layerFrame = { ...frame, ctx, lifted: frame.dragged };
      project(layerFrame, margin);
      drawEdges(layerFrame);
      drawNodes(layerFrame, frame.scene.order);
      this.key = key;
      const { cx, cy, scale } = camera;
      this.view = { cx, cy, scale, width: camera.width, height: camera.height, margin };
      this.renders += 1;
    }

    // Where the layer lands on the canvas for `camera`, in CSS px, and at what scale.
    placement(camera) {
      const { cx, cy, scale, width, height, margin } = this.view;
      const k = camera.scale / scale;
      return {
        x: (-width / 2 - margin.x) * k + (cx - camera.cx) * camera.scale + camera.width / 2,
        y: (-height / 2 - margin.y) * k + (cy - camera.cy) * camera.scale + camera.height / 2,
        width: (width + 2 * margin.x) * k,
        height: (height + 2 * margin.y) * k,
        k,
      };
    }

    usableFor(camera, key, zooming) {
      if (this.key !== key || !this.view) return false;
      const at = this.placement(camera);
      const covers = at.x <= 0 && at.y <= 0
        && at.x + at.width >= camera.width && at.y + at.height >= camera.height;
      return covers && (at.k === 1 || zooming);
    }

    // Whole device pixels when not scaling, so a pan stays as crisp as a fresh drawing.
    paint(ctx, camera, dpr) {
      const at = this.placement(camera);
      const snap = (value) => (at.k === 1 ? Math.round(value * dpr) : value * dpr);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(this.canvas, snap(at.x), snap(at.y), at.width * dpr, at.height * dpr);
    }

    release() {
      Object.assign(this.canvas, { width: 0, height: 0 });
    }
  }

  /* ---------- The widget: one container, its canvas, controls and interactions ---------- */

  class GraphWidget {
    constructor(container) {
      this.container = container;
      this.mode = container.dataset.mode === "local" ? "local" : "global";
      this.abort = new AbortController();
      this.observers = [];
      this.camera = new Camera();
      this.layer = new Layer();
      this.pointers = new Map();
      Object.assign(this, {
        scene: null, gardenNodes: [], grid: null, colouring: null, palette: null,
        dpr: 1, density: 1, centre: -1, hovered: -1, gesture: null,
        matches: null, matchList: [], matchAt: 0, emphasis: null, emphasised: [],
        version: 0, zooming: false, settleTimer: 0, frameRequest: 0,
        drawnFrames: 0, lastDrawMs: 0, disposed: false,
      });
      this.parts = this.buildDom();
      this.root = this.siteRoot();
      this.api = this.publicApi();
    }

    // Both attributes are relative to the page, so the site works under any subpath. Without
    // data-root, the site root is the folder above garden/graph.json.
    graphUrl() {
      return new URL(this.container.dataset.graphUrl || "graph.json", location.href).href;
    }

    siteRoot() {
      const root = this.container.dataset.root;
      return root === undefined ? new URL("../", this.graphUrl()) : new URL(root, location.href);
    }

    // Controls on the global page only; a local graph is just the picture and its link list.
    buildDom() {
      this.canvas = element("canvas", {
        class: "garden-graph__canvas", tabindex: "0", role: "application", "aria-roledescription": "link graph",
      });
      this.context = this.canvas.getContext("2d");
      this.tooltip = element("div", { class: "garden-graph__tooltip", role: "tooltip", hidden: "" });
      this.stage = element("div", { class: "garden-graph__stage" }, [this.canvas, this.tooltip]);
      this.list = element("nav", { class: "garden-graph__list" });
      const parts = [this.stage, this.list];
      if (this.mode === "global") parts.unshift(this.buildControls());
      this.container.classList.add(`garden-graph--${this.mode}`);
      this.container.append(...parts);
      return parts;
    }

    buildControls() {
      this.search = element("input", {
        class: "garden-graph__search", type: "search", placeholder: "Find a note",
        "aria-label": "Find a note in the graph", autocomplete: "off",
      });
      const options = Object.entries(COLOUR_MODES).map(([value, text]) => element("option", { value, text }));
      this.colourSelect = element("select", { class: "garden-graph__colour" }, options);
      this.status = element("span", { class: "garden-graph__status", "aria-live": "polite" });
      this.legend = element("ul", { class: "garden-graph__legend", "aria-label": "Colours" });
      const colourLabel = element("label", { class: "garden-graph__label" }, ["Colour by ", this.colourSelect]);
      const controls = [this.search, colourLabel, this.status, this.legend];
      return element("div", { class: "garden-graph__controls" }, controls);
    }

    async start() {
      let graph;
      try {
        graph = await loadGraph(this.graphUrl());
      } catch {
        if (!this.disposed) this.showMessage("The link graph could not be loaded.");
        return;
      }
      if (this.disposed) return;
      if (!this.useGraph(graph)) return;
      this.bindEvents();
      this.observe();
    }

    // Picks this widget's part of the graph; false when a local graph's note is not in it.
    useGraph(graph) {
      let members = graph.nodes.map((_, i) => i);
      if (this.mode === "local") {
        const start = graph.index.get(this.container.dataset.note);
        if (start === undefined) {
          this.showMessage("This note is not in the link graph.");
          return false;
        }
        const depth = clamp(parseInt(this.container.dataset.depth, 10) || 1, 1, 5);
        members = neighbourhood(graph.adjacency, start, depth);
        this.centre = 0;
      }
      this.scene = buildScene(graph, members);
      if (this.centre >= 0) centreScene(this.scene, this.centre);
      this.grid = new SpatialGrid(this.scene.x, this.scene.y);
      this.gardenNodes = graph.nodes;
      this.colouring = colourGroups(this.scene.nodes, "folder", graph.nodes);
      this.camera.frame(sceneExtent(this.scene, this.mode === "local"));
      this.describe();
      return true;
    }

    showMessage(text) {
      this.stage.replaceChildren(element("p", { class: "garden-graph__message", text }));
    }

    // What a screen reader hears, and links it can follow instead of the picture.
    describe() {
      const { nodes } = this.scene;
      const subject = this.mode === "local" ? `Links around ${nodes[0].title}` : "Link graph of the garden";
      const keys = "Arrow keys pan, plus and minus zoom, 0 resets.";
      this.canvas.setAttribute("aria-label", `${subject}: ${nodes.length} notes. ${keys}`);
      if (this.mode === "global" && nodes.length > LIST_LIMIT) return;
      const items = nodes.map((node) => element("li", {}, [
        node.url === null
          ? `${node.title} (not written yet)`
          : element("a", { href: this.href(node), text: node.title }),
      ]));
      this.list.setAttribute("aria-label", `${subject}: notes`);
      this.list.replaceChildren(element("ul", {}, items));
    }

    href(node) {
      return new URL(node.url, this.root).href;
    }

    /* --- Events --- */

    // Every listener shares one AbortSignal, so dispose() removes them all at once.
    bindEvents() {
      const listen = (target, type, handler, options) =>
        target.addEventListener(type, handler.bind(this), { signal: this.abort.signal, ...options });
      listen(this.canvas, "pointerdown", this.onPointerDown);
      listen(this.canvas, "pointermove", this.onPointerMove);
      listen(this.canvas, "pointerup", this.onPointerUp);
      listen(this.canvas, "pointercancel", this.onPointerUp);
      listen(this.canvas, "pointerleave", this.onPointerLeave);
      listen(this.canvas, "wheel", this.onWheel, { passive: false });
      listen(this.canvas, "keydown", this.onKeyDown);
      if (this.search) {
        listen(this.search, "input", this.onSearch);
        listen(this.search, "keydown", this.onSearchKey);
        listen(this.colourSelect, "change", this.onColourBy);
      }
    }

    // Redraw on resize (HiDPI-aware) and when Material's colour scheme changes.
    observe() {
      const resize = new ResizeObserver(() => this.resize());
      resize.observe(this.canvas);
      const scheme = new MutationObserver(() => this.requestDraw());
      scheme.observe(document.body, {
        attributes: true,
        attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"],
      });
      this.observers.push(resize, scheme);
    }

    pointOf(event) {
      const box = this.canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    onPointerDown(event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      const point = this.pointOf(event);
      this.canvas.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, point);
      if (this.pointers.size === 2) {
        this.gesture = { type: "pinch" };
        return;
      }
      const node = this.pick(point, event.pointerType);
      const world = this.camera.toWorld(point.x, point.y);
      // Where the node was grabbed, so that dragging does not jump its centre to the pointer.
      const grabX = node >= 0 ? this.scene.x[node] - world.x : 0;
      const grabY = node >= 0 ? this.scene.y[node] - world.y : 0;
      const type = node >= 0 ? "node" : "pan";
      this.gesture = { type, node, start: point, moved: false, pointerType: event.pointerType, grabX, grabY };
      this.canvas.classList.toggle("is-grabbing", node < 0);
    }

    onPointerMove(event) {
      const point = this.pointOf(event);
      const previous = this.pointers.get(event.pointerId);
      if (!previous) {
        this.hover(this.pick(point, event.pointerType));
        return;
      }
      this.pointers.set(event.pointerId, point);
      const gesture = this.gesture;
      if (!gesture || gesture.type === "after-pinch") return;
      if (gesture.type === "pinch") {
        this.pinch(event.pointerId, previous, point);
      } else {
        if (!this.beyondClick(gesture, point)) return;
        if (gesture.type === "node") this.dragNode(gesture, point);
        else this.camera.panBy(point.x - previous.x, point.y - previous.y);
      }
      this.requestDraw();
    }

    // A press that wanders further than a click would is a drag from then on.
    beyondClick(gesture, point) {
      const slop = CLICK_SLOP_PX[gesture.pointerType] || CLICK_SLOP_PX.mouse;
      gesture.moved = gesture.moved || Math.hypot(point.x - gesture.start.x, point.y - gesture.start.y) > slop;
      return gesture.moved;
    }

    onPointerUp(event) {
      if (!this.pointers.delete(event.pointerId)) return;
      const gesture = this.gesture;
      // After a pinch the remaining finger does nothing until it is lifted.
      this.gesture = this.pointers.size > 0 ? { type: "after-pinch" } : null;
      this.canvas.classList.remove("is-grabbing");
      if (!gesture || gesture.type !== "node") return;
      // A dragged node goes back into the layer where it was dropped.
      if (gesture.moved) {
        this.version += 1;
        this.requestDraw();
      } else if (event.type === "pointerup") {
        this.open(gesture.node, event);
      }
    }

    onPointerLeave() {
      if (this.pointers.size === 0) this.hover(-1);
    }

    onWheel(event) {
      event.preventDefault();
      const point = this.pointOf(event);
      const step = event.deltaMode === 1 ? 0.05 : 0.002; // lines or pixels
      this.camera.zoomAt(point.x, point.y, Math.exp(-event.deltaY * step));
      this.hover(-1);
      this.previewZoom();
    }

    // While a wheel or pinch zoom goes on, frames scale the last picture; once it rests, the
    // picture is drawn afresh at the new zoom.
    previewZoom() {
      this.zooming = true;
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => {
        this.zooming = false;
        this.requestDraw();
      }, ZOOM_SETTLE_MS);
      this.requestDraw();
    }

    onKeyDown(event) {
      const { width, height } = this.camera;
      const actions = {
        ArrowLeft: () => this.camera.panBy(KEY_PAN_PX, 0),
        ArrowRight: () => this.camera.panBy(-KEY_PAN_PX, 0),
        ArrowUp: () => this.camera.panBy(0, KEY_PAN_PX),
        ArrowDown: () => this.camera.panBy(0, -KEY_PAN_PX),
        "+": () => this.camera.zoomAt(width / 2, height / 2, KEY_ZOOM),
        "=": () => this.camera.zoomAt(width / 2, height / 2, KEY_ZOOM),
        "-": () => this.camera.zoomAt(width / 2, height / 2, 1 / KEY_ZOOM),
        0: () => this.camera.frame(sceneExtent(this.scene, this.mode === "local")),
      };
      const action = actions[event.key];
      if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      action();
      this.requestDraw();
    }

    // Two fingers: zoom by the change in their distance, pan by the move of their midpoint.
    pinch(id, previous, point) {
      const other = [...this.pointers].find(([key]) => key !== id);
      if (!other) return;
      const fixed = other[1];
      const before = Math.hypot(previous.x - fixed.x, previous.y - fixed.y) || 1;
      const after = Math.hypot(point.x - fixed.x, point.y - fixed.y) || 1;
      this.camera.panBy((point.x - previous.x) / 2, (point.y - previous.y) / 2);
      this.camera.zoomAt((point.x + fixed.x) / 2, (point.y + fixed.y) / 2, after / before);
      this.previewZoom();
    }

    dragNode(gesture, point) {
      const { scene, grid } = this;
      const i = gesture.node;
      const from = { x: scene.x[i], y: scene.y[i] };
      const world = this.camera.toWorld(point.x, point.y);
      scene.x[i] = world.x + gesture.grabX;
      scene.y[i] = world.y + gesture.grabY;
      grid.move(i, from, { x: scene.x[i], y: scene.y[i] });
      this.hover(i);
    }

    // The node under a point: within its drawn radius plus a little slack, nearest first.
    pick(point, pointerType) {
      if (!this.scene) return -1;
      const { scene, camera } = this;
      const slop = PICK_SLOP_PX[pointerType] || PICK_SLOP_PX.mouse;
      const world = camera.toWorld(point.x, point.y);
      const reach = (NODE_RADIUS_MAX_PX * this.radiusFactor() + slop) / camera.scale;
      let best = -1;
      let bestGap = Infinity;
      this.grid.forEachNear(world.x, world.y, reach, (i) => {
        const distance = Math.hypot(scene.x[i] - world.x, scene.y[i] - world.y) * camera.scale;
        const gap = distance - Math.max(1, scene.radius[i] * this.radiusFactor());
        if (gap <= slop && gap < bestGap) {
          best = i;
          bestGap = gap;
        }
      });
      return best;
    }

    hover(i) {
      if (i !== this.hovered) {
        this.hovered = i;
        this.updateEmphasis();
        this.requestDraw();
      }
      const node = i >= 0 ? this.scene.nodes[i] : null;
      this.canvas.classList.toggle("is-over-link", Boolean(node && node.url !== null));
      this.placeTooltip(i);
    }

    // Above the node, kept inside the canvas so it never widens a narrow page.
    placeTooltip(i) {
      const { tooltip, scene } = this;
      if (i < 0) {
        tooltip.hidden = true;
        return;
      }
      const node = scene.nodes[i];
      const note = node.kind === KIND.unwritten ? "Not written yet" : node.kind === KIND.tag ? "Tag" : "";
      const lines = [element("strong", { text: node.title })];
      if (note) lines.push(element("span", { text: note }));
      tooltip.replaceChildren(...lines);
      tooltip.hidden = false;
      const at = this.camera.toScreen(scene.x[i], scene.y[i]);
      const radius = Math.max(1, scene.radius[i] * this.radiusFactor());
      const rightmost = Math.max(4, this.camera.width - tooltip.offsetWidth - 4);
      const left = clamp(at.x - tooltip.offsetWidth / 2, 4, rightmost);
      const above = at.y - radius - tooltip.offsetHeight - 8;
      tooltip.style.left = `${left}px`;
      tooltip.style.top = `${above >= 4 ? above : at.y + radius + 8}px`;
    }

    // Follow the link as if the reader clicked an <a>, so Material's instant navigation (when
    // on) takes it; a modified click opens a new tab as links do.
    open(i, event) {
      const node = this.scene.nodes[i];
      if (node.url === null) return;
      const href = this.href(node);
      if (event.ctrlKey || event.metaKey || event.shiftKey) {
        window.open(href, "_blank", "noopener");
        return;
      }
      const link = element("a", { href, hidden: "" });
      this.container.append(link);
      link.click();
      link.remove();
    }

    /* --- Search and colouring (global page) --- */

    // Matches light up and labels show; the view centres on the best hit (a title that starts
    // with the query, else the most connected match). Enter moves on to the next hit.
    onSearch() {
      const query = this.search.value.trim().toLowerCase();
      const { scene } = this;
      this.matches = null;
      this.matchList = [];
      if (query) {
        const order = Array.from(scene.order);
        const starts = (i) => scene.searchText[i].startsWith(query);
        const prefixed = order.filter(starts);
        const inside = order.filter((i) => !starts(i) && scene.searchText[i].includes(query));
        this.matchList = prefixed.concat(inside);
        this.matches = new Uint8Array(scene.nodes.length);
        for (const i of this.matchList) this.matches[i] = 1;
      }
      const count = this.matchList.length;
      this.status.textContent = query ? `${count} ${count === 1 ? "match" : "matches"}` : "";
      this.matchAt = 0;
      this.centreOnMatch();
      this.updateEmphasis();
      this.requestDraw();
    }

    onSearchKey(event) {
      if (event.key !== "Enter" || this.matchList.length === 0) return;
      event.preventDefault();
      this.matchAt = (this.matchAt + 1) % this.matchList.length;
      this.centreOnMatch();
      this.requestDraw();
    }

    centreOnMatch() {
      const i = this.matchList[this.matchAt];
      if (i === undefined) return;
      this.camera.cx = this.scene.x[i];
      this.camera.cy = this.scene.y[i];
    }

    onColourBy() {
      this.colouring = colourGroups(this.scene.nodes, this.colourSelect.value, this.gardenNodes);
      this.requestDraw();
    }

    // The nodes that stand out, as a mark per node and as a list to draw.
    updateEmphasis() {
      if (this.hovered < 0) {
        this.emphasis = this.matches;
        this.emphasised = this.matchList;
        return;
      }
      const { offsets, neighbours } = this.scene.adjacency;
      this.emphasised = [this.hovered, ...neighbours.subarray(offsets[this.hovered], offsets[this.hovered + 1])];
      this.emphasis = new Uint8Array(this.scene.nodes.length);
      for (const i of this.emphasised) this.emphasis[i] = 1;
    }

    // A short key to the biggest groups, redrawn only when colouring or scheme changes.
    updateLegend(groupColour) {
      if (!this.legend) return;
      const key = `${this.colouring.mode}:${this.palette.dark}`;
      if (this.legend.dataset.key === key) return;
      this.legend.dataset.key = key;
      const names = this.colouring.names.slice(0, LEGEND_LIMIT);
      this.legend.replaceChildren(...names.map((name, g) => {
        const swatch = element("span", { class: "garden-graph__swatch" });
        swatch.style.background = groupColour(g);
        return element("li", {}, [swatch, name === "" ? "(top level)" : name]);
      }));
    }

    /* --- Frames --- */

    dragged() {
      const gesture = this.gesture;
      return gesture && gesture.type === "node" && gesture.moved ? gesture.node : -1;
    }

    radiusFactor() {
      return this.density * Math.sqrt(this.camera.zoom);
    }

    // The backing store follows devicePixelRatio, so lines stay crisp on HiDPI screens. Drawn
    // at once rather than next frame: resizing clears the canvas, which must not flash.
    resize() {
      const width = this.canvas.clientWidth;
      const height = this.canvas.clientHeight;
      this.dpr = window.devicePixelRatio || 1;
      this.canvas.width = Math.round(width * this.dpr);
      this.canvas.height = Math.round(height * this.dpr);
      this.camera.resize(width, height);
      // Nodes shrink in crowded graphs so that thousands of them still read as dots.
      const spacing = Math.sqrt((width * height) / Math.max(1, this.scene.nodes.length));
      this.density = clamp(spacing / 28, 0.35, 1.1);
      cancelAnimationFrame(this.frameRequest);
      this.draw();
    }

    // Frames are drawn only when something changed, at most once per display frame.
    requestDraw() {
      if (this.frameRequest || this.disposed) return;
      this.frameRequest = requestAnimationFrame(() => this.draw());
    }

    // The layer (edges and nodes) is reused when it can be; emphasis, rings and labels are
    // cheap and drawn over it every frame.
    draw() {
      this.frameRequest = 0;
      const { width, height } = this.camera;
      if (!this.scene || width === 0 || height === 0) return;
      const started = performance.now();
      this.palette = readPalette();
      const frame = this.frameState();
      const { fg, bg, fgLight } = this.palette;
      const key = [this.version, frame.dragged, this.dpr, width, height, this.colouring.mode, fg, bg, fgLight]
        .join("|");
      if (!this.layer.usableFor(this.camera, key, this.zooming)) this.layer.render(frame, key, this.dpr);
      const ctx = this.context;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      this.layer.paint(ctx, this.camera, this.dpr);
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      project(frame, { x: 0, y: 0 });
      if (frame.emphasis) drawEmphasis(frame);
      drawRings(frame);
      drawLabels(frame);
      this.updateLegend(frame.groupColour);
      this.lastDrawMs = performance.now() - started;
      this.drawnFrames += 1;
      this.container.dataset.ready = "true";
    }

    frameState() {
      const groupCount = this.colouring.names.length;
      const palette = this.palette;
      return {
        ctx: this.context, scene: this.scene, camera: this.camera, palette, colouring: this.colouring,
        groupColour: (g) => (g < groupCount ? categoryColour(g, palette.dark) : palette.fgLight),
        emphasis: this.emphasis, emphasised: this.emphasised, matches: this.matchList, hovered: this.hovered,
        centre: this.centre, radiusFactor: this.radiusFactor(), dpr: this.dpr, lifted: -1, dragged: this.dragged(),
      };
    }

    dispose() {
      this.disposed = true;
      this.abort.abort();
      cancelAnimationFrame(this.frameRequest);
      clearTimeout(this.settleTimer);
      this.layer.release();
      for (const observer of this.observers) observer.disconnect();
      for (const part of this.parts) part.remove();
      this.container.classList.remove(`garden-graph--${this.mode}`);
      this.container.removeAttribute("data-ready");
    }

    // What tests and other scripts may rely on; everything else is private.
    publicApi() {
      const widget = this;
      return {
        get mode() { return widget.mode; },
        get nodeCount() { return widget.scene ? widget.scene.nodes.length : 0; },
        get edgeCount() { return widget.scene ? widget.scene.edges.source.length : 0; },
        get drawnFrames() { return widget.drawnFrames; },
        get lastDrawMs() { return widget.lastDrawMs; },
        // How many frames had to draw every edge and node afresh (the rest moved pixels).
        get layerDraws() { return widget.layer.renders; },
        get palette() { return widget.palette; },
        canvas: widget.canvas,
        container: widget.container,
        nodeScreenPosition(id) {
          const i = widget.scene ? widget.scene.nodes.findIndex((node) => node.id === id) : -1;
          return i < 0 ? null : widget.camera.toScreen(widget.scene.x[i], widget.scene.y[i]);
        },
      };
    }
  }

  /* ---------- Page lifecycle ---------- */

  const widgets = [];
  const instances = [];

  // Called for every page Material shows: the old page's widgets go first (listeners,
  // observers, frames and canvases), then each container on this page gets a new one.
  function init() {
    for (const widget of widgets) widget.dispose();
    widgets.length = 0;
    instances.length = 0;
    for (const container of document.querySelectorAll(".garden-graph")) {
      const widget = new GraphWidget(container);
      widgets.push(widget);
      instances.push(widget.api);
      widget.start();
    }
  }

  window.gardenGraph = { instances, init };

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
