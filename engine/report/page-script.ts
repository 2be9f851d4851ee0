/**
 * The page's script, inline: sortable tables, the lineage panel (a click on a figure or its
 * "lineage" button lists the tasks behind it with their params, timings, hosts, backends and code
 * fingerprints), and on the live page the server-sent events that redraw it.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var dataEl = document.getElementById('ff-data');
  var data = JSON.parse(dataEl.textContent);
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  function num(s) { var t = s.trim(); return t !== '' && !isNaN(Number(t)) ? Number(t) : null; }

  document.addEventListener('click', function (e) {
    var th = e.target.closest && e.target.closest('table.sortable th');
    if (th) return sortBy(th);
    var link = e.target.closest && e.target.closest('.lineage-link, .ff-figure');
    if (link) return showLineage(link.getAttribute('data-task'));
    if (e.target.closest && e.target.closest('#lineage .close')) document.getElementById('lineage').classList.remove('open');
  });

  function sortBy(th) {
    var table = th.closest('table'), body = table.tBodies[0], col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var dir = th.classList.contains('asc') ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.classList.remove('asc', 'desc'); });
    th.classList.add(dir === 1 ? 'asc' : 'desc');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].textContent, y = b.cells[col].textContent, nx = num(x), ny = num(y);
      return dir * (nx !== null && ny !== null ? nx - ny : x.localeCompare(y));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function paramsText(p) {
    if (p === null || typeof p !== 'object') return p === undefined ? '' : JSON.stringify(p);
    return Object.keys(p).map(function (k) { var v = p[k]; return k + '=' + (typeof v === 'string' ? v : JSON.stringify(v)); }).join(', ');
  }

  var ROWS_PER_STEP = 200;
  function showLineage(taskName) {
    var ids = data.lineage[taskName];
    var panel = document.getElementById('lineage');
    if (!ids) { panel.innerHTML = '<button class="close">close</button><p>no lineage for ' + esc(taskName) + ' yet</p>'; panel.classList.add('open'); return; }
    var steps = [], byStep = {};
    ids.forEach(function (i) { var t = data.tasks[i]; if (!byStep[t.step]) { byStep[t.step] = []; steps.push(t.step); } byStep[t.step].push(t); });
    var html = '<button class="close">close</button><h3>lineage of ' + esc(taskName) + '</h3><p class="note">' + ids.length + ' tasks: the output cell and everything upstream of it</p>';
    var nodes = {};
    steps.forEach(function (s) {
      var ts = byStep[s]; nodes[ts[0].node] = true;
      html += '<h4>' + esc(s) + ' <small>(node ' + esc(ts[0].node) + ', ' + ts.length + ' cell' + (ts.length === 1 ? '' : 's') + ')</small></h4>';
      html += '<table class="ff-table sortable lineage-table" data-step="' + esc(s) + '"><thead><tr><th>task</th><th>state</th><th>params</th><th>ms</th><th>host</th><th>backends</th></tr></thead><tbody>';
      ts.slice(0, ROWS_PER_STEP).forEach(function (t) {
        html += '<tr><td>' + esc(t.name) + '</td><td>' + esc(t.state) + (t.error ? ': ' + esc(t.error) : '') + '</td><td class="params">' + esc(paramsText(t.params)) + '</td><td class="num">' + (t.durationMs === undefined ? '' : t.durationMs) + '</td><td>' + esc(t.host || '') + '</td><td>' + esc(t.backends ? paramsText(t.backends) : '') + '</td></tr>';
      });
      html += '</tbody></table>';
      if (ts.length > ROWS_PER_STEP) html += '<p class="note">… and ' + (ts.length - ROWS_PER_STEP) + ' more cells of ' + esc(s) + '</p>';
    });
    html += '<h4>code fingerprints</h4>';
    Object.keys(nodes).forEach(function (n) {
      var f = data.fingerprints[n];
      if (!f) return;
      html += '<details><summary>' + esc(n) + '</summary><pre>' + Object.keys(f.files).map(function (p) { return esc(p) + '  ' + f.files[p].slice(0, 12); }).join('\n') +
        '\n' + Object.keys(f.depVersions).map(function (d) { return esc(d) + '@' + esc(f.depVersions[d]); }).join('\n') + '</pre></details>';
    });
    panel.innerHTML = html;
    panel.classList.add('open');
  }
  window.ffShowLineage = showLineage;

  if (!window.FF_LIVE) return;
  var redraws = 0;
  var log = document.getElementById('live-log');
  var source = new EventSource('/events');
  source.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.type === 'reload') { source.close(); location.reload(); }
    else if (m.type === 'steps') document.getElementById('dag').innerHTML = m.svg;
    else if (m.type === 'output') {
      var section = document.getElementById('out-' + m.name);
      if (section) { section.querySelector('.ff-cells').innerHTML = m.html; redraws++; document.body.setAttribute('data-redraws', String(redraws)); }
    } else if (m.type === 'data') { data = m.data; }
    else if (m.type === 'status') {
      var s = document.getElementById('run-status'); s.textContent = m.status; s.className = 'status ' + m.status;
      document.body.setAttribute('data-run-status', m.status); document.body.setAttribute('data-run-count', String(m.run));
    } else if (m.type === 'log') {
      var line = document.createElement('div'); line.textContent = m.text; log.appendChild(line);
      while (log.childNodes.length > 200) log.removeChild(log.firstChild);
      log.scrollTop = log.scrollHeight;
    }
  };
})();
`;
