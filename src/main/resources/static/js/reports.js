// Draws the reports page's charts (ECharts, SVG renderer) from the data the page carries; every label comes
// translated from the server, and every figure is also in the table beside its chart.
(function () {
  'use strict';
  var PALETTE = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2'];

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function option(spec, labels) {
    var empty = spec.categories.length === 0;
    return {
      color: PALETTE,
      animation: false,
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      title: empty ? { text: labels.empty, left: 'center', top: 'middle', textStyle: { fontSize: 13, color: '#6b7280' } } : undefined,
      xAxis: { type: 'category', data: spec.categories, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: spec.unit || '', minInterval: spec.unit ? 0 : 1 },
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: spec.type, data: s.data, stack: spec.stacked ? 'total' : undefined,
          showSymbol: spec.type === 'line', smooth: false, barMaxWidth: 36
        };
      })
    };
  }

  function draw() {
    var charts = read('report-charts');
    var labels = read('report-labels') || {};
    if (!charts || !window.echarts) {
      return;
    }
    charts.forEach(function (spec) {
      var element = document.getElementById(spec.id);
      if (!element) {
        return;
      }
      var chart = echarts.getInstanceByDom(element) || echarts.init(element, null, { renderer: 'svg' });
      chart.setOption(option(spec, labels), true);
      element.setAttribute('data-drawn', String(spec.categories.length));
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
