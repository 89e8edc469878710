/// `fanmc view`: one self-contained HTML page that steps through a `ViewModel`. The model is
/// embedded as JSON; inline JavaScript draws the lanes, the state panels and the wait-for graph
/// (SVG), with inline CSS. The page loads nothing: its only addresses are the source links.
///
/// Stepping: the buttons, ←/→ (or k/j), Home and End; `#step=N` in the address opens step N.
/// `#do=key:ArrowRight*3,click:prev` dispatches those key presses and button clicks once the page
/// has loaded (after `step=` when both are given), so that a test or a link can step the page
/// through its own event handlers; `<body data-step>` and `data-actions` then say where it is
/// and how many actions ran.
public enum HTMLViewer {
  /// The page for `model`.
  public static func render(_ model: ViewModel) -> String {
    // Inside <script>, "<" could close the element: every "<" of the JSON (only ever inside
    // strings) is written as the JSON escape \u003c.
    let json = model.json().replacingOccurrences(of: "<", with: "\\u003c")
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>fanmc view: \(escape(model.scenario))</title>
      <style>
      \(css)
      </style>
      </head>
      <body data-step="0" data-actions="0">
      <noscript>This page draws the path with JavaScript: enable it, or run fanmc explain.</noscript>
      <header>
        <h1 id="scenario"></h1>
        <p id="question"></p>
        <p id="meta"></p>
        <p id="path"></p>
      </header>
      <nav id="controls">
        <button id="btn-first" title="first step (Home)">first</button>
        <button id="btn-prev" title="previous step (← or k)">◀ prev</button>
        <span id="step-number"></span>
        <button id="btn-next" title="next step (→ or j)">next ▶</button>
        <button id="btn-last" title="last step (End)">last</button>
        <input id="slider" type="range" min="0" value="0" aria-label="step">
        <span class="hint">← → / k j step · Home End · #step=N links here</span>
      </nav>
      <main>
        <section id="lanes-box"><table id="lanes"></table></section>
        <aside id="detail">
          <section id="step">
            <h2 id="step-title"></h2>
            <p id="step-description"></p>
            <p class="label">kernel functions</p>
            <p id="step-functions" class="mono"></p>
            <p class="label">locks its task holds after the step</p>
            <p id="step-locks" class="mono"></p>
            <p id="step-violations"></p>
          </section>
          <section id="waitfor-box">
            <h3>Wait-for graph</h3>
            <div id="waitfor"></div>
            <details><summary>lockdep-style report</summary><pre id="waitfor-report"></pre></details>
          </section>
          <h3>Event queues</h3>
          <div id="queues"></div>
          <h3>Files: pages and page cache</h3>
          <div id="files"></div>
          <p class="legend"><span class="page remote">remote</span> stub, not filled
          <span class="page filled">filled</span> by the listener
          <span class="page written">written</span> by an application
          <span class="page hole">hole</span> zeros</p>
          <h3>Superblock</h3>
          <p id="superblock" class="mono"></p>
          <h3>Tasks</h3>
          <table id="tasks"></table>
        </aside>
      </main>
      <script type="application/json" id="model">
      \(json)
      </script>
      <script>
      \(script)
      </script>
      </body>
      </html>
      """
  }

  /// `text` with HTML's special characters escaped.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static let css = """
    :root { --fg: #1d2230; --muted: #6a7080; --line: #d8dbe3; --now: #fff4c2; --accent: #2456c8;
      --remote: #f6c4c0; --filled: #c5e8c8; --written: #c4d8f6; --hole: #e4e4e4; --bad: #c0271d; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: #fafbfc;
      height: 100vh; display: flex; flex-direction: column; }
    header { padding: 10px 16px 4px; }
    h1 { font-size: 20px; margin: 0; font-family: ui-monospace, monospace; }
    h2 { font-size: 16px; margin: 0 0 4px; }
    h3 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em;
      color: var(--muted); }
    header p { margin: 2px 0; }
    #question { font-style: italic; }
    #meta, #path { color: var(--muted); font-size: 13px; }
    .mono, pre, #lanes td, #tasks td { font-family: ui-monospace, monospace; font-size: 12px; }
    #controls { display: flex; gap: 8px; align-items: center;
      padding: 6px 16px; background: #eef1f6; border-bottom: 1px solid var(--line); }
    #controls button { font-size: 14px; padding: 3px 10px; cursor: pointer; }
    #step-number { font-weight: 600; min-width: 110px; text-align: center; }
    #slider { flex: 1; max-width: 400px; }
    .hint { color: var(--muted); font-size: 12px; }
    main { flex: 1; min-height: 0; display: grid; gap: 12px; padding: 8px 16px 8px;
      grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); }
    #lanes-box { overflow: auto; border: 1px solid var(--line); background: #fff; }
    #lanes { border-collapse: collapse; width: 100%; }
    #lanes th, #lanes td { border-bottom: 1px solid var(--line); padding: 3px 6px;
      vertical-align: top; text-align: left; }
    #lanes thead { position: sticky; top: 0; z-index: 1; background: #f3f5f9;
      box-shadow: 0 1px 0 var(--line); }
    #lanes th.listener { color: #7a3fb0; }
    #lanes .num { color: var(--muted); width: 2.5em; text-align: right; }
    #lanes tr.row { cursor: pointer; }
    #lanes tr.future td { color: #b3b7c2; }
    #lanes tr.current td { background: var(--now); }
    #lanes tr.now td { font-size: 11px; color: var(--muted); }
    #lanes td .fn { color: var(--muted); font-size: 11px; }
    #lanes td.bad { color: var(--bad); }
    #detail { min-width: 0; overflow: auto; padding-right: 4px; }
    #step { background: #fff; border: 1px solid var(--line); padding: 8px 10px; }
    #step-description { font-size: 15px; margin: 2px 0 6px; }
    .label { margin: 6px 0 0; font-size: 11px; color: var(--muted); }
    #step-functions, #step-locks { margin: 0; }
    #step-functions a { color: var(--accent); }
    #step-violations { color: var(--bad); font-weight: 600; margin: 4px 0 0; }
    #tasks { border-collapse: collapse; width: 100%; background: #fff; }
    #tasks td, #tasks th { border: 1px solid var(--line); padding: 2px 5px; text-align: left;
      vertical-align: top; }
    #tasks th { font-size: 12px; background: #f3f5f9; }
    .status-waits { color: var(--bad); font-weight: 600; }
    .changed { outline: 2px solid #e0a800; outline-offset: -2px; }
    .group, .file { background: #fff; border: 1px solid var(--line); padding: 4px 8px;
      margin-bottom: 6px; }
    .group ul { margin: 2px 0; padding-left: 18px; font-family: ui-monospace, monospace;
      font-size: 12px; }
    .empty { color: var(--muted); font-size: 12px; }
    .pages { display: flex; gap: 4px; align-items: center; margin: 3px 0; }
    .pages .what { width: 60px; font-size: 11px; color: var(--muted); }
    .page { display: inline-flex; min-width: 84px; height: 22px; border: 1px solid #9aa0ad;
      font: 11px ui-monospace, monospace; align-items: center; justify-content: center;
      overflow: hidden; padding: 0 3px; }
    .page.split { padding: 0; }
    .page.split { width: 180px; justify-content: flex-start; }
    .page.split span { height: 100%; display: flex; align-items: center; justify-content: center;
      min-width: 22px; overflow: hidden; }
    .page.split span.no { flex: none; min-width: 0; padding: 0 3px; background: #fff; }
    .page.absent { border-style: dashed; color: var(--muted); background: #fff; }
    .remote { background: var(--remote); } .filled { background: var(--filled); }
    .written { background: var(--written); } .hole { background: var(--hole); }
    .runs { color: var(--muted); font-size: 11px; }
    .legend { font-size: 12px; color: var(--muted); }
    .legend .page { min-width: 60px; height: 18px; margin-left: 6px; }
    #waitfor-box { display: none; background: #fff; border: 2px solid var(--bad); padding: 4px 8px;
      margin-top: 8px; }
    #waitfor-box.shown { display: block; }
    #waitfor svg { width: 100%; height: auto; }
    #waitfor .node rect { fill: #fff; stroke: #444; stroke-width: 1.5; }
    #waitfor .node.onpath rect { stroke: var(--bad); stroke-width: 2.5; }
    #waitfor text { font: 12px ui-monospace, monospace; fill: var(--fg); }
    #waitfor text.held { fill: var(--muted); font-size: 11px; }
    #waitfor path { fill: none; stroke: #666; stroke-width: 1.5; }
    #waitfor path.onpath { stroke: var(--bad); stroke-width: 2.5; }
    #waitfor text.edge { font-size: 11px; fill: #444; }
    #waitfor text.edge.onpath { fill: var(--bad); }
    pre { white-space: pre-wrap; font-size: 11px; }
    """

  static let script = """
    'use strict';
    const model = JSON.parse(document.getElementById('model').textContent);
    const last = model.snapshots.length - 1;
    let current = 0;
    let actions = 0;
    const $ = (id) => document.getElementById(id);

    // An element with attributes and children (strings become text nodes: no HTML parsing).
    function el(tag, attrs, ...children) {
      const e = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) {
        if (v !== null && v !== undefined) e.setAttribute(k, v);
      }
      for (const c of children.flat()) {
        if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
      }
      return e;
    }
    function svg(tag, attrs, ...children) {
      const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
      for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
      for (const c of children) e.append(c instanceof Node ? c : String(c));
      return e;
    }
    // A kernel function chain: its functions linked to their source.
    function chain(segments) {
      return segments.map((s) => s.url
        ? el('a', { href: s.url, target: '_blank', rel: 'noopener', title: 'source of ' + s.text },
          s.text)
        : s.text);
    }

    function header() {
      $('scenario').textContent = model.scenario;
      $('question').textContent = model.question;
      $('meta').textContent = 'profile ' + model.profile + ': ' + model.profileSummary +
        (model.sourceTree ? ' · kernel functions link to ' + model.sourceTree : '') +
        ' · ' + model.file;
      $('path').append(model.title + ' ', el('span', { class: 'mono' }, model.schedule),
        ' · outcome: ' + model.outcome +
        (model.violated.length ? ' · violated: ' + model.violated.join(', ') : '') +
        ' · replay: ', el('span', { class: 'mono' }, model.replay),
        model.leftOut.length ? ' · left out (not needed): ' + model.leftOut.join('; ') : '');
      $('slider').max = last;
    }

    // The lanes: one column per task, one row per step; built once, restyled on every step.
    function lanes() {
      const head = el('tr', {}, el('th', { class: 'num' }, '#'),
        model.tasks.map((t) => el('th', { class: t.listenerOf ? 'listener' : null },
          t.name + (t.listenerOf ? ' (listener)' : ''))));
      const now = el('tr', { class: 'now' }, el('td', { class: 'num' }, 'now'),
        model.tasks.map((t, i) => el('td', { id: 'lane-now-' + i })));
      const body = el('tbody');
      model.snapshots.forEach((s, i) => {
        const row = el('tr', { class: 'row', id: 'row-' + i, 'data-step': i },
          el('td', { class: 'num' }, i === 0 ? '' : i));
        if (s.task === null || s.task === undefined) {
          row.append(el('td', { colspan: model.tasks.length }, 'setup: ' + model.setup.join(' · ')));
        } else {
          model.tasks.forEach((t, lane) => {
            if (lane !== s.task) { row.append(el('td')); return; }
            const fn = s.kernelFunction.map((x) => x.text).join('');
            row.append(el('td', { class: s.violatedHere.length ? 'bad' : null }, s.description,
              s.violatedHere.length ? ' (' + s.violatedHere.join(', ') + ')' : '',
              el('div', { class: 'fn' }, fn)));
          });
        }
        row.addEventListener('click', () => go(i));
        body.append(row);
      });
      $('lanes').append(el('thead', {}, head, now), body);
    }

    function changed(a, b) { return JSON.stringify(a) !== JSON.stringify(b); }

    function render() {
      const s = model.snapshots[current];
      const before = model.snapshots[Math.max(0, current - 1)];
      document.body.dataset.step = current;
      $('step-number').textContent = 'step ' + current + ' of ' + last;
      $('slider').value = current;
      $('btn-prev').disabled = current === 0;
      $('btn-first').disabled = current === 0;
      $('btn-next').disabled = current === last;
      $('btn-last').disabled = current === last;
      for (let i = 0; i <= last; i++) {
        const row = $('row-' + i);
        row.classList.toggle('current', i === current);
        row.classList.toggle('future', i > current);
      }
      // Keep the current row in view inside the lanes' box (the page itself does not scroll).
      const box = $('lanes-box'), row = $('row-' + current);
      const top = row.offsetTop - box.querySelector('thead').offsetHeight;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) {
        box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
      }

      const task = s.task === null || s.task === undefined ? null : model.tasks[s.task].name;
      $('step-title').textContent = current === 0 ? 'Before the first step'
        : 'Step ' + current + ' · ' + task;
      $('step-description').textContent = s.description;
      $('step-functions').replaceChildren(...(s.kernelFunction.length
        ? chain(s.kernelFunction) : ['—']));
      $('step-locks').textContent = current === 0 ? '—'
        : (s.locksHeld.length ? s.locksHeld.join(', ') : 'nothing');
      $('step-violations').textContent = s.violatedHere.length
        ? 'violates ' + s.violatedHere.join(', ') + ' here' : '';

      // Tasks: status, held locks, what each waits for.
      const rows = [el('tr', {}, el('th', {}, 'task'), el('th', {}, 'state'),
        el('th', {}, 'holds'), el('th', {}, 'waits for'))];
      s.tasks.forEach((t, i) => {
        const moved = i === s.task || changed(t, before.tasks[i]);
        rows.push(el('tr', { id: 'task-' + i, class: current > 0 && moved ? 'changed' : null },
          el('td', {}, model.tasks[i].name), el('td', { class: 'status-' + t.status }, t.status),
          el('td', {}, t.held.length ? t.held.join(', ') : '—'), el('td', {}, t.wait || '')));
        $('lane-now-' + i).textContent = t.status +
          (t.held.length ? ' · holds ' + t.held.join(', ') : '');
      });
      $('tasks').replaceChildren(...rows);

      // Queues: every group's unread and unanswered events.
      $('queues').replaceChildren(...s.queues.map((q, g) => {
        const info = model.groups[g];
        const items = q.events.map((e) => el('li', {}, [e.mask, e.file, e.range,
          e.task ? (e.status === 'notification' ? 'from ' + e.task : e.task + ' waits') : null,
          e.status].filter((x) => x).join(' · ')));
        return el('div', { class: 'group' + (current > 0 && changed(q, before.queues[g])
          ? ' changed' : ''), id: 'queue-' + g },
          el('b', {}, q.group), ' ' + info.groupClass + (q.closed ? ' · closed' : '') +
            (info.listener ? ' · listener ' + info.listener.split(':')[0] : ' · no listener'),
          items.length ? el('ul', {}, items) : el('div', { class: 'empty' }, 'queue empty'));
      }));

      // Files: one box per page, coloured by content state, then the page cache.
      $('files').replaceChildren(...s.files.map((f, i) => {
        const pages = f.pages.map((p, n) => pageBox(p, n, false));
        const cache = f.pages.map((p, n) => pageBox(p, n, true));
        return el('div', { class: 'file' + (current > 0 && changed(f, before.files[i])
          ? ' changed' : ''), id: 'file-' + i },
          el('b', {}, f.name), ' i_size ' + f.size,
          el('div', { class: 'pages' }, el('span', { class: 'what' }, 'pages'),
            pages.length ? pages : el('span', { class: 'empty' }, 'no pages')),
          el('div', { class: 'pages' }, el('span', { class: 'what' }, 'cache'), cache),
          f.pages.filter((p) => p.states.length > 1).length
            ? el('div', { class: 'runs mono' }, f.pages.map((p, n) => p.states.length > 1
              ? 'page ' + n + ': ' + p.content : null).filter((x) => x).join(' · '))
            : null);
      }));
      $('superblock').textContent = 'sb_writers: ' + s.superblock;

      const graph = current === last && model.waitFor;
      $('waitfor-box').classList.toggle('shown', !!graph);
      if (graph) drawWaitFor(model.waitFor);
    }

    // A page (or its page-cache slot): one colour per run of content.
    function pageBox(p, n, cache) {
      const title = 'page ' + n + ': ' + p.content + (p.cached ? ', cached' : ', not cached');
      if (cache && !p.cached) {
        return el('span', { class: 'page absent', title: title }, '—');
      }
      const runs = [...p.content.matchAll(/([a-z]+)\\[(\\d+),(\\d+)\\)/g)];
      if (runs.length === 0) {
        return el('span', { class: 'page ' + p.content, title: title }, n + ': ' + p.content);
      }
      // Each run as wide as its bytes, but never too thin to see.
      return el('span', { class: 'page split', title: title }, el('span', { class: 'no' }, n + ':'),
        runs.map((r) => el('span', { class: r[1], style: 'flex:' + (r[3] - r[2]) + ' 1 0' },
          r[1])));
    }

    // The wait-for graph: tasks on a circle, one arrow per wait, the cycle in red.
    function drawWaitFor(g) {
      const n = g.nodes.length;
      const widths = g.nodes.map((node) =>
        Math.max(node.name.length, ('holds ' + node.held).length) * 7 + 16);
      const W = 680, H = n <= 2 ? 200 : 300;
      // Tasks on an ellipse as wide as their boxes allow.
      const rx = Math.max(80, W / 2 - Math.max(...widths) / 2 - 10), ry = H / 2 - 40;
      const at = {};
      g.nodes.forEach((node, i) => {
        const a = n === 2 ? Math.PI * i : -Math.PI / 2 + 2 * Math.PI * i / n;
        at[node.task] = { x: W / 2 + rx * Math.cos(a), y: H / 2 + ry * Math.sin(a), w: widths[i],
          h: 38, lines: [node.name, 'holds ' + node.held], onPath: g.path.includes(node.task) };
      });
      const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
        'aria-label': 'wait-for graph' });
      root.append(svg('defs', {}, ...['plain', 'onpath'].map((k) => svg('marker', { id: 'arrow-' + k,
        viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z',
        style: 'fill:' + (k === 'onpath' ? '#c0271d' : '#666') + ';stroke:none' })))));
      // Where the line from a node's centre towards (dx, dy) leaves its box.
      function clip(p, dx, dy) {
        const t = Math.min(p.w / 2 / Math.abs(dx || 1e-9), p.h / 2 / Math.abs(dy || 1e-9));
        return { x: p.x + dx * t, y: p.y + dy * t };
      }
      g.edges.forEach((e) => {
        const a = at[e.from], b = at[e.to];
        if (!a || !b) return;
        const cls = e.onPath ? 'onpath' : 'plain';
        let d, lx, ly;
        if (e.from === e.to) {
          d = 'M' + (a.x - 10) + ',' + (a.y - a.h / 2) + ' C' + (a.x - 30) + ',' + (a.y - 80) +
            ' ' + (a.x + 30) + ',' + (a.y - 80) + ' ' + (a.x + 10) + ',' + (a.y - a.h / 2);
          lx = a.x; ly = a.y - 70;
        } else {
          // Bend every edge a little to its left, so that two opposite waits do not overlap.
          const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
          const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
          const cx = mx + (b.y - a.y) / len * 28, cy = my - (b.x - a.x) / len * 28;
          const s = clip(a, cx - a.x, cy - a.y), t = clip(b, cx - b.x, cy - b.y);
          d = 'M' + s.x + ',' + s.y + ' Q' + cx + ',' + cy + ' ' + t.x + ',' + t.y;
          lx = (s.x + 2 * cx + t.x) / 4; ly = (s.y + 2 * cy + t.y) / 4;
        }
        // The label sits on the outer side of its arrow, away from the middle of the graph.
        const ox = lx - W / 2, oy = ly - H / 2;
        const anchor = Math.abs(ox) < 40 ? 'middle' : (ox > 0 ? 'start' : 'end');
        lx += anchor === 'middle' ? 0 : Math.sign(ox) * 8;
        ly += anchor === 'middle' ? (oy > 0 ? 16 : -6) : 4;
        root.append(svg('path', { d: d, class: e.onPath ? 'onpath' : '',
          'marker-end': 'url(#arrow-' + cls + ')' }));
        const label = svg('text', { x: lx, y: ly, 'text-anchor': anchor,
          class: 'edge' + (e.onPath ? ' onpath' : '') },
          e.function.map((x) => x.text).join(''));
        label.append(svg('title', {}, e.what));
        root.append(label);
      });
      g.nodes.forEach((node) => {
        const p = at[node.task];
        const group = svg('g', { class: 'node' + (p.onPath ? ' onpath' : ''),
          'data-task': model.tasks[node.task].name });
        group.append(svg('rect', { x: p.x - p.w / 2, y: p.y - p.h / 2, width: p.w, height: p.h,
          rx: 4 }));
        group.append(svg('text', { x: p.x, y: p.y - 4, 'text-anchor': 'middle' }, p.lines[0]));
        group.append(svg('text', { x: p.x, y: p.y + 12, 'text-anchor': 'middle', class: 'held' },
          p.lines[1]));
        root.append(group);
      });
      $('waitfor').replaceChildren(el('p', { id: 'waitfor-kind' }, g.kind === 'deadlock'
        ? 'DEADLOCK: ' + g.path.map((t) => model.tasks[t].name).concat(
          [model.tasks[g.path[0]].name]).join(' → ')
        : 'HANG: ' + g.path.map((t) => model.tasks[t].name).join(' → ')), root);
      $('waitfor-report').textContent = model.waitForReport || '';
    }

    function go(n) {
      current = Math.max(0, Math.min(last, n));
      render();
      try { history.replaceState(null, '', '#step=' + current); } catch (e) { /* file: URLs */ }
    }

    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const to = { ArrowRight: current + 1, j: current + 1, ArrowLeft: current - 1,
        k: current - 1, Home: 0, End: last }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      go(to);
    });
    $('btn-first').addEventListener('click', () => go(0));
    $('btn-prev').addEventListener('click', () => go(current - 1));
    $('btn-next').addEventListener('click', () => go(current + 1));
    $('btn-last').addEventListener('click', () => go(last));
    $('slider').addEventListener('input', (e) => go(Number(e.target.value)));

    // #step=N opens step N; do=key:K*n,click:B*n then presses keys and clicks buttons.
    function fromAddress() {
      const params = new URLSearchParams(location.hash.slice(1));
      go(params.has('step') ? parseInt(params.get('step'), 10) || 0 : current);
      for (const action of (params.get('do') || '').split(',').filter((x) => x)) {
        const m = /^(key|click):([A-Za-z]+)(?:\\*(\\d+))?$/.exec(action);
        if (!m) continue;
        for (let i = 0; i < (Number(m[3]) || 1); i++) {
          if (m[1] === 'key') {
            document.dispatchEvent(new KeyboardEvent('keydown', { key: m[2], bubbles: true }));
          } else {
            $('btn-' + m[2]).click();
          }
          actions += 1;
        }
      }
      document.body.dataset.actions = actions;
    }
    window.addEventListener('hashchange', fromAddress);
    header();
    lanes();
    fromAddress();
    """
}
