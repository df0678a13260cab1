// heapgrade HTML report: draws each workload's heap over time and its curves
// from the JSON embedded in the page. Plain browser JavaScript, no network.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('heapgrade-data').textContent);
  var PAD = { left: 78, right: 12, top: 10, bottom: 26 };

  function fmtBytes(n) {
    var u = ['B', 'KB', 'MB', 'GB'], i = 0, v = n;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return i === 0 ? n + 'B' : (Number.isInteger(v) ? v : v.toFixed(1)) + u[i];
  }
  function hex(n) { return '0x' + n.toString(16); }
  function hue(id) { var h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) >>> 0; return (h % 360); }

  // Sizes the backing store to the element's CSS size and the device pixel ratio.
  function setup(canvas) {
    var r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(r.width * dpr));
    canvas.height = Math.max(1, Math.round(r.height * dpr));
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: r.width, h: r.height };
  }

  function scales(t, w, h) {
    var ops = Math.max(1, t.shownOps), ext = Math.max(1, t.peakHeap);
    var pw = w - PAD.left - PAD.right, ph = h - PAD.top - PAD.bottom;
    return {
      x: function (op) { return PAD.left + (op / ops) * pw; },
      y: function (off) { return PAD.top + ph - (off / ext) * ph; },
      op: function (px) { return ((px - PAD.left) / pw) * ops; },
      off: function (py) { return ((PAD.top + ph - py) / ph) * ext; },
      pw: pw, ph: ph, ops: ops, ext: ext,
    };
  }

  function axes(ctx, s, t, w, h, yLabel) {
    ctx.strokeStyle = '#9aa3b5'; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(PAD.left, PAD.top); ctx.lineTo(PAD.left, h - PAD.bottom); ctx.lineTo(w - PAD.right, h - PAD.bottom); ctx.stroke();
    ctx.fillStyle = '#5b6475'; ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (var k = 0; k <= 4; k++) {
      var off = (s.ext * k) / 4;
      ctx.fillText(yLabel(off), PAD.left - 6, s.y(off));
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (var j = 0; j <= 5; j++) {
      var op = Math.round((s.ops * j) / 5);
      ctx.fillText('op ' + op, Math.min(w - PAD.right - 20, Math.max(PAD.left + 10, s.x(op))), h - PAD.bottom + 6);
    }
  }

  function drawTimeline(canvas, t) {
    var g = setup(canvas), ctx = g.ctx, s = scales(t, g.w, g.h);
    ctx.clearRect(0, 0, g.w, g.h);
    axes(ctx, s, t, g.w, g.h, function (off) { return '+' + fmtBytes(Math.round(off)); });
    if (t.peakHeap === 0) { ctx.fillText('the heap never grew', g.w / 2, g.h / 2); return; }
    for (var i = 0; i < t.rects.length; i++) {
      var r = t.rects[i];
      var x0 = s.x(r.s), x1 = s.x(r.e), y0 = s.y(r.a + r.n), y1 = s.y(r.a);
      ctx.fillStyle = r.k ? 'rgba(70,100,150,0.55)' : 'hsl(' + hue(r.id) + ',60%,58%)';
      ctx.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }
    // Heap extent (brk - base) as a step line over the blocks.
    var se = t.series;
    ctx.strokeStyle = '#1d2330'; ctx.lineWidth = 1.5; ctx.beginPath();
    for (var k = 0; k < se.op.length; k++) {
      var xa = s.x(se.op[k]), xb = s.x(k + 1 < se.op.length ? se.op[k + 1] : s.ops), yy = s.y(se.heap[k]);
      if (k === 0) ctx.moveTo(xa, yy); else ctx.lineTo(xa, yy);
      ctx.lineTo(xb, yy);
    }
    ctx.stroke();
    if (t.violation) markViolation(ctx, s, t);
  }

  function markViolation(ctx, s, t) {
    var v = t.violation, at = Math.max(0, Math.min(v.op, s.ops - 1));
    var x0 = s.x(at), x1 = Math.max(s.x(at + 1), x0 + 3);
    ctx.fillStyle = 'rgba(198,40,40,0.18)'; ctx.fillRect(x0 - 2, PAD.top, x1 - x0 + 4, s.ph);
    ctx.strokeStyle = '#c62828'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x0, PAD.top); ctx.lineTo(x0, PAD.top + s.ph); ctx.stroke();
    if (v.other) boxAt(ctx, s, t, v.other.ptr - t.base, v.other.size, '#8e24aa', x0);
    if (v.ptr) boxAt(ctx, s, t, v.ptr - t.base, v.size || 1, '#c62828', x0);
    ctx.fillStyle = '#c62828'; ctx.font = 'bold 12px system-ui, sans-serif'; ctx.textAlign = x0 > s.pw / 2 ? 'right' : 'left'; ctx.textBaseline = 'top';
    ctx.fillText(v.kind + ' at op ' + v.op, x0 + (x0 > s.pw / 2 ? -6 : 6), PAD.top + 4);
  }

  // Outlines [off, off + size) in a band ending at the violation, clamped to the plot.
  function boxAt(ctx, s, t, off, size, colour, x) {
    var y0 = Math.max(PAD.top, s.y(off + size)), y1 = Math.min(PAD.top + s.ph, s.y(off));
    if (y1 < PAD.top || y0 > PAD.top + s.ph) return;
    ctx.strokeStyle = colour; ctx.lineWidth = 2;
    ctx.strokeRect(Math.max(PAD.left, x - 24), y0 - 1, 30, Math.max(3, y1 - y0) + 2);
    ctx.setLineDash([4, 3]); ctx.beginPath(); ctx.moveTo(PAD.left, (y0 + y1) / 2); ctx.lineTo(x - 24, (y0 + y1) / 2); ctx.stroke(); ctx.setLineDash([]);
  }

  function drawCurves(canvas, t) {
    var g = setup(canvas), ctx = g.ctx, s = scales(t, g.w, g.h), se = t.series;
    ctx.clearRect(0, 0, g.w, g.h);
    axes(ctx, s, t, g.w, g.h, function (b) { return fmtBytes(Math.round(b)); });
    function line(values, colour, fill) {
      ctx.beginPath();
      for (var k = 0; k < se.op.length; k++) {
        var xa = s.x(se.op[k]), xb = s.x(k + 1 < se.op.length ? se.op[k + 1] : s.ops), yy = s.y(values[k]);
        if (k === 0) ctx.moveTo(xa, yy); else ctx.lineTo(xa, yy);
        ctx.lineTo(xb, yy);
      }
      if (fill) { ctx.lineTo(s.x(s.ops), s.y(0)); ctx.lineTo(s.x(0), s.y(0)); ctx.closePath(); ctx.fillStyle = fill; ctx.fill(); }
      else { ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.stroke(); }
    }
    if (se.op.length > 0) { line(se.live, null, 'rgba(46,125,50,0.35)'); line(se.heap, '#1565c0'); }
    if (t.violation) {
      var x = s.x(Math.max(0, Math.min(t.violation.op, s.ops - 1)));
      ctx.strokeStyle = '#c62828'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x, PAD.top); ctx.lineTo(x, PAD.top + s.ph); ctx.stroke();
    }
  }

  function hover(canvas, tip, t) {
    canvas.addEventListener('mousemove', function (e) {
      var r = canvas.getBoundingClientRect(), s = scales(t, r.width, r.height);
      var px = e.clientX - r.left, py = e.clientY - r.top, op = s.op(px), off = s.off(py);
      if (op < 0 || op > s.ops || off < 0 || off > s.ext) { tip.style.display = 'none'; return; }
      var text = 'op ' + Math.floor(op) + '   ' + hex(t.base + Math.floor(off)) + ' (+' + fmtBytes(Math.floor(off)) + ')';
      for (var i = t.rects.length - 1; i >= 0; i--) {
        var b = t.rects[i];
        if (op >= b.s && op < b.e && off >= b.a && off < b.a + b.n) {
          text += b.k ? '\n' + b.k + ' short-lived blocks merged (ops ' + b.s + '-' + b.e + ')'
            : '\nb' + b.id + ': ' + fmtBytes(b.n) + ' at ' + hex(t.base + b.a) + ', live ops ' + b.s + '-' + b.e;
          break;
        }
      }
      tip.textContent = text; tip.style.display = 'block';
      tip.style.left = Math.min(px + 14, r.width - 260) + 'px'; tip.style.top = (py + 14) + 'px';
    });
    canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  }

  function drawAll() {
    var canvases = document.querySelectorAll('canvas[data-timeline]');
    for (var i = 0; i < canvases.length; i++) {
      var c = canvases[i], t = data.timelines[Number(c.getAttribute('data-timeline'))].timeline;
      if (c.classList.contains('timeline')) drawTimeline(c, t); else drawCurves(c, t);
    }
  }

  var charts = document.querySelectorAll('canvas.timeline[data-timeline]');
  for (var i = 0; i < charts.length; i++) {
    var tip = charts[i].parentNode.querySelector('.tooltip');
    if (tip) hover(charts[i], tip, data.timelines[Number(charts[i].getAttribute('data-timeline'))].timeline);
  }
  drawAll();
  var pending = 0;
  window.addEventListener('resize', function () { cancelAnimationFrame(pending); pending = requestAnimationFrame(drawAll); });
  document.documentElement.setAttribute('data-rendered', 'true');
})();
