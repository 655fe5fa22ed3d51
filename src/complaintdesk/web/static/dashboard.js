// Draws the dashboard's figures with ECharts from the JSON the server embedded (no data in markup).
(function () {
  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) return;
    var figures = JSON.parse(node.textContent);
    var charts = [];
    figures.forEach(function (f) {
      var el = document.getElementById("chart-" + f.id);
      if (!el) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(f));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.body.setAttribute("data-charts-ready", String(charts.length));
  }

  function column(f, i) { return f.display_rows.map(function (r) { return r[i]; }); }
  var palette = ["#0b4f8a", "#c25e00", "#1f7a3a", "#b3261e", "#6a3d9a", "#545d68"];

  function option(f) {
    var base = { animation: false, color: palette, tooltip: { trigger: f.chart === "pie" ? "item" : "axis" }, grid: { left: 48, right: 48, top: 30, bottom: 60 } };
    var names = column(f, 0);
    if (f.chart === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "65%"], data: f.display_rows.map(function (r) { return { name: r[0], value: r[1] }; }) }];
      base.legend = { bottom: 0 };
      return base;
    }
    base.xAxis = { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } };
    base.yAxis = [{ type: "value" }];
    if (f.chart === "line") {
      base.xAxis.axisLabel = { rotate: 30 };
      base.series = [{ type: "line", name: f.headers[1], data: column(f, 1), areaStyle: { opacity: 0.15 } }];
    } else if (f.chart === "pareto") {
      base.yAxis.push({ type: "value", max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } });
      base.series = [
        { type: "bar", name: f.headers[1], data: column(f, 1) },
        { type: "line", name: f.headers[2], yAxisIndex: 1, data: column(f, 2) }
      ];
      base.legend = { bottom: 0 };
    } else if (f.chart === "stack") {
      base.series = [1, 2, 3, 4].map(function (i) { return { type: "bar", stack: "s", name: f.headers[i], data: column(f, i) }; });
      base.color = ["#1f7a3a", "#c25e00", "#0b4f8a", "#b3261e"];
      base.legend = { bottom: 0 };
    } else if (f.chart === "compare") {
      base.series = [
        { type: "bar", name: f.headers[1], data: column(f, 1) },
        { type: "bar", name: f.headers[2], data: column(f, 2) }
      ];
      base.legend = { bottom: 0 };
    } else {
      base.series = [{ type: "bar", name: f.headers[1], data: column(f, 1) }];
    }
    return base;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
