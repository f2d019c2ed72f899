// The page of `logs-insights serve`. Plain browser JavaScript, served as is from the package.
// Log lines are hostile input: every value reaches the page as text (textContent, DOM nodes),
// never as HTML. The page's state (query, since, until) lives in its address.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const DEFAULT_QUERY = 'fields @timestamp, @message\n| sort @timestamp desc\n| limit 20';
  let running; // the AbortController of the query under way

  /** An element with text children: strings become text nodes, never markup. */
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function stateOfAddress() {
    const params = new URLSearchParams(location.search);
    return {
      query: params.get('query') ?? '',
      since: params.get('since') ?? '',
      until: params.get('until') ?? '',
    };
  }

  function searchOf(state) {
    const params = new URLSearchParams();
    params.set('query', state.query);
    if (state.since.trim() !== '') params.set('since', state.since.trim());
    if (state.until.trim() !== '') params.set('until', state.until.trim());
    return `?${params}`;
  }

  function formState() {
    return { query: $('query').value, since: $('since').value, until: $('until').value };
  }

  function fillForm(state) {
    $('query').value = state.query;
    $('since').value = state.since;
    $('until').value = state.until;
  }

  function bytes(n) {
    if (n < 1024) return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
  }

  function showError(message, line, column) {
    const box = $('error');
    box.textContent = message;
    box.hidden = false;
    if (line !== undefined && column !== undefined) {
      // Put the cursor where the error is, as the caret shows it.
      const lines = $('query').value.split('\n');
      let offset = column - 1;
      for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
      $('query').focus();
      $('query').setSelectionRange(offset, offset);
    }
  }

  function showProgress(read, total) {
    $('progress').hidden = false;
    $('progress-bar').max = Math.max(total, 1);
    $('progress-bar').value = Math.min(read, total);
    $('progress-text').textContent = `${bytes(read)} of ${bytes(total)} read`;
  }

  /** The histogram as SVG: one rect per bin, its time and count in a <title>. */
  function drawHistogram(histogram) {
    const chart = $('histogram');
    chart.replaceChildren();
    const counts = histogram.counts;
    $('chart').hidden = counts.length === 0;
    if (counts.length === 0) return;
    const width = 1000;
    const top = 14;
    const height = 112;
    const max = Math.max(1, ...counts);
    const step = width / counts.length;
    const gap = step > 4 ? 1 : 0;
    const time = (ms) =>
      new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.000Z$|Z$/, '');
    counts.forEach((count, i) => {
      const h = (count / max) * height;
      const start = histogram.start + i * histogram.binMs;
      const bar = svg('rect', {
        class: 'bar',
        x: (i * step).toFixed(2),
        y: (top + height - h).toFixed(2),
        width: Math.max(step - gap, 0.5).toFixed(2),
        height: h.toFixed(2),
        'data-start': new Date(start).toISOString(),
        'data-count': count,
      });
      const title = svg('title', {});
      title.textContent = `${time(start)} UTC: ${count} event${count === 1 ? '' : 's'}`;
      bar.append(title);
      chart.append(bar);
    });
    const label = (x, anchor, text) => {
      const node = svg('text', { x, y: top + height + 12, 'text-anchor': anchor });
      node.textContent = text;
      chart.append(node);
    };
    label(0, 'start', time(histogram.start));
    label(width, 'end', time(histogram.start + counts.length * histogram.binMs));
    const peak = svg('text', { x: 2, y: 10 });
    peak.textContent = `${max}`;
    chart.append(peak);
    const seconds = histogram.binMs / 1000;
    const bin =
      seconds % 86400 === 0
        ? `${seconds / 86400}d`
        : seconds % 3600 === 0
          ? `${seconds / 3600}h`
          : seconds % 60 === 0
            ? `${seconds / 60}m`
            : `${seconds}s`;
    $('chart-caption').textContent = `Matching events per ${bin} (UTC); the highest bar: ${max}`;
  }

  function drawFields(fields) {
    $('fields').replaceChildren(
      ...fields.map(([name, count]) =>
        el('li', '', el('span', 'name', name), el('span', 'count', String(count))),
      ),
    );
  }

  /** The table: a row opens (click, Enter) into every field of its event. */
  function drawTable(columns, rows, rowFields) {
    const head = el('tr', '', el('th', 'toggle', ''), ...columns.map((column) => el('th', '', column)));
    $('results').tHead.replaceChildren(head);
    const body = $('results').tBodies[0];
    body.replaceChildren();
    rows.forEach((row, i) => {
      const tr = el(
        'tr',
        'row',
        el('td', 'toggle', '▸'),
        ...columns.map((column) => el('td', '', row[column] ?? '')),
      );
      tr.tabIndex = 0;
      const open = () => {
        const next = tr.nextElementSibling;
        if (next !== null && next.classList.contains('detail')) {
          next.remove();
          tr.firstChild.textContent = '▸';
          return;
        }
        const fields = rowFields[i] ?? row;
        const table = el(
          'table',
          'fields',
          ...Object.keys(fields).map((name) => el('tr', '', el('th', '', name), el('td', '', fields[name]))),
        );
        const cell = el('td', '', table);
        cell.colSpan = columns.length + 1;
        tr.after(el('tr', 'detail', cell));
        tr.firstChild.textContent = '▾';
      };
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') open();
      });
      body.append(tr);
    });
  }

  function showResult(result) {
    drawHistogram(result.histogram);
    drawFields(result.fields);
    drawTable(result.columns, result.rows, result.rowFields ?? []);
    const rows = result.rows.length;
    $('summary').textContent =
      `${rows} row${rows === 1 ? '' : 's'} · ${result.matched} of ${result.scanned} events matched · ` +
      `${bytes(result.bytesRead)} read in ${(result.elapsedMs / 1000).toFixed(2)} s`;
  }

  function clear() {
    $('error').hidden = true;
    $('summary').textContent = '';
    $('chart').hidden = true;
    $('fields').replaceChildren();
    $('results').tHead.replaceChildren();
    $('results').tBodies[0].replaceChildren();
  }

  /** Runs the form's query: the address first (pushState for a new query), then the NDJSON stream. */
  async function run(how) {
    const state = formState();
    const search = searchOf(state);
    if (how === 'push' && search !== location.search) history.pushState(state, '', search);
    else history.replaceState(state, '', search);
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    clear();
    document.body.dataset.state = 'running';
    $('cancel').hidden = false;
    showProgress(0, 0);
    try {
      const response = await fetch(`api/query${search}`, { signal: controller.signal });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline = buffer.indexOf('\n');
        while (newline !== -1) {
          const message = JSON.parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (message.type === 'start') {
            $('files').textContent =
              `${message.files.length} file${message.files.length === 1 ? '' : 's'}, ${bytes(message.totalBytes)}`;
            $('files').title = message.files.map((file) => file.name).join('\n');
            showProgress(0, message.totalBytes);
          } else if (message.type === 'progress') showProgress(message.bytesRead, message.totalBytes);
          else if (message.type === 'error') showError(message.text, message.line, message.column);
          else if (message.type === 'result') showResult(message);
        }
      }
      document.body.dataset.state = $('error').hidden ? 'done' : 'error';
    } catch (err) {
      if (controller.signal.aborted) return;
      showError(`the server did not answer: ${err.message}`);
      document.body.dataset.state = 'error';
    } finally {
      if (running === controller) {
        running = undefined;
        $('progress').hidden = true;
        $('cancel').hidden = true;
      }
    }
  }

  async function loadSavedQueries() {
    const response = await fetch('api/queries');
    const queries = await response.json();
    const select = $('saved');
    for (const { name, query } of queries) {
      const option = el('option', '', name);
      option.value = query;
      select.append(option);
    }
    select.addEventListener('change', () => {
      if (select.value !== '') $('query').value = select.value;
    });
  }

  $('query-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run('push');
  });
  $('query').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run('push');
    }
  });
  $('cancel').addEventListener('click', () => {
    if (running) running.abort();
    document.body.dataset.state = 'cancelled';
  });
  window.addEventListener('popstate', () => {
    fillForm(stateOfAddress());
    if ($('query').value.trim() !== '') run('replace');
  });

  loadSavedQueries().catch((err) => showError(`the saved queries did not load: ${err.message}`));
  const initial = stateOfAddress();
  if (initial.query.trim() !== '') {
    // A link reproduces a query: opening it runs it.
    fillForm(initial);
    run('replace');
  } else {
    fillForm({ ...initial, query: DEFAULT_QUERY });
    document.body.dataset.state = 'idle';
  }
})();
