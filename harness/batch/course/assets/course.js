// heapgrade course page: sorts the student table by a clicked column,
// filters it by text and status, and names the student under the pointer in
// the scatter plots. The rows and charts are already in the page (drawn on
// the server); this only reorders, hides and labels. No network.
(function () {
  'use strict';
  var table = document.getElementById('student-table');
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var filter = document.getElementById('filter');
  var status = document.getElementById('status-filter');
  var shown = document.getElementById('shown');
  var keys;
  // Each row's sort keys and search text, read once, on the first sort or filter (the page shows before).
  function rowKeys() {
    if (keys) return keys;
    keys = Array.prototype.map.call(body.rows, function (tr) {
      var cells = tr.cells, k = [], text = '';
      for (var i = 0; i < cells.length; i++) {
        var v = cells[i].getAttribute('data-v') || '';
        k.push(heads[i] && heads[i].getAttribute('data-type') === 'num' ? parseFloat(v) : v.toLowerCase());
        text += v.toLowerCase() + '\n';
      }
      return { tr: tr, k: k, text: text, status: tr.getAttribute('data-status') };
    });
    return keys;
  }

  function sortBy(col) {
    var th = heads[col];
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var sorted = rowKeys().slice().sort(function (a, b) {
      var x = a.k[col], y = b.k[col];
      return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.k[0] < b.k[0] ? -1 : a.k[0] > b.k[0] ? 1 : 0);
    });
    var frag = document.createDocumentFragment();
    for (var j = 0; j < sorted.length; j++) frag.appendChild(sorted[j].tr);
    body.appendChild(frag);
  }

  function applyFilter() {
    var q = filter.value.trim().toLowerCase(), s = status.value, n = 0, all = rowKeys();
    for (var i = 0; i < all.length; i++) {
      var show = (!s || all[i].status === s) && (!q || all[i].text.indexOf(q) >= 0);
      all[i].tr.classList.toggle('filtered-out', !show);
      if (show) n++;
    }
    shown.textContent = n + ' of ' + all.length + ' shown';
  }

  for (var c = 0; c < heads.length; c++) {
    (function (col) {
      heads[col].addEventListener('click', function () { sortBy(col); });
      heads[col].addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(col); } });
    })(c);
  }
  filter.addEventListener('input', applyFilter);
  status.addEventListener('change', applyFilter);

  // One tooltip for every scatter point (textContent: a student's name stays text).
  var tip = document.createElement('div');
  tip.className = 'tooltip';
  document.body.appendChild(tip);
  document.addEventListener('mouseover', function (e) {
    var label = e.target.getAttribute && e.target.getAttribute('data-tip');
    if (!label) { tip.style.display = 'none'; return; }
    tip.textContent = label;
    tip.style.left = (e.pageX + 12) + 'px';
    tip.style.top = (e.pageY + 12) + 'px';
    tip.style.display = 'block';
  });
  document.documentElement.setAttribute('data-rendered', 'true');
})();
