/* Dashboards: draw each chart from its json_script data; a click opens the figure's dossiers.
 *
 * No inline script (CSP): the page holds the data as JSON, this file draws it. Every bar or
 * point has the URL of its drill-down list, the same one as the number in the table below it.
 */
(function () {
  "use strict";

  function percentTick(value) {
    return value + "%";
  }

  // Long names (employers, instruments) beside a horizontal bar: shortened on the axis, whole
  // in the tooltip and in the table.
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    var max = window.innerWidth < 576 ? 16 : 32;
    return label.length > max ? label.slice(0, max - 1) + "\u2026" : label;
  }

  function options(spec) {
    var valueAxis = {
      stacked: spec.stacked,
      beginAtZero: true,
      ticks: spec.percent ? { callback: percentTick } : { precision: 0 },
    };
    if (spec.percent) {
      valueAxis.max = 100;
    }
    var categoryAxis = { stacked: spec.stacked, ticks: { autoSkip: !spec.horizontal } };
    if (spec.horizontal) {
      categoryAxis.ticks.callback = shortLabel;
    }
    return {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? "y" : "x",
      interaction: { mode: "nearest", intersect: true },
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.datasets.length > 1, position: "bottom" },
        tooltip: spec.percent
          ? { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + ctx.formattedValue + "%"; } } }
          : {},
      },
      onClick: function (event, elements, chart) {
        if (!elements.length) {
          return;
        }
        var element = elements[0];
        var url = chart.data.datasets[element.datasetIndex].urls[element.index];
        if (url) {
          window.location.assign(url);
        }
      },
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var line = spec.type === "line";
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set) {
          return {
            label: set.label,
            data: set.data,
            urls: set.urls,
            backgroundColor: set.colour,
            borderColor: set.colour,
            borderWidth: line ? 2 : 0,
            pointRadius: line ? 4 : undefined,
            pointHoverRadius: line ? 7 : undefined,
            tension: 0,
          };
        }),
      },
      options: options(spec),
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
