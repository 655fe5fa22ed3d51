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
      if (f.links) chart.on("click", function (p) { if (f.links[p.dataIndex]) location.href = f.links[p.dataIndex]; });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    drawBoard();
    document.body.setAttribute("data-charts-ready", String(charts.length));
  }

  // The live board: per-agent load (overdue and on time, stacked) and per-team compliance today; each
  // bar opens the queue filtered to it. Redrawn after each poll swaps the board in.
  var boardCharts = [];
  function drawBoard() {
    var node = document.getElementById("board-data");
    if (!node || !window.echarts) return;
    boardCharts.forEach(function (c) { c.dispose(); });
    boardCharts = [];
    var data = JSON.parse(node.getAttribute("data-chart"));
    var en = document.documentElement.lang === "en";
    var agents = document.getElementById("board-agents");
    if (agents) {
      var a = echarts.init(agents, null, { renderer: "svg" });
      a.setOption({
        animation: false, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
        grid: { left: 48, right: 24, top: 20, bottom: 70 },
        xAxis: { type: "category", data: data.agents.names, axisLabel: { interval: 0, rotate: data.agents.names.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { type: "bar", stack: "load", name: en ? "Overdue" : "超时", color: "#b3261e", data: data.agents.overdue },
          { type: "bar", stack: "load", name: en ? "On time" : "未超时", color: "#1f7a3a", data: data.agents.on_time }
        ]
      });
      a.on("click", function (p) {
        var links = p.seriesIndex === 0 ? data.agents.overdue_links : data.agents.open_links;
        location.href = links[p.dataIndex];
      });
      boardCharts.push(a);
    }
    var teams = document.getElementById("board-teams");
    if (teams) {
      var t = echarts.init(teams, null, { renderer: "svg" });
      t.setOption({
        animation: false, tooltip: { trigger: "axis" }, grid: { left: 48, right: 24, top: 20, bottom: 40 },
        xAxis: { type: "category", data: data.teams.names },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "bar", color: "#0b4f8a", data: data.teams.rates }]
      });
      t.on("click", function (p) { location.href = data.teams.links[p.dataIndex]; });
      boardCharts.push(t);
    }
    document.body.setAttribute("data-board-ready", String(boardCharts.length));
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = (event.detail && event.detail.target) || event.target;
    if (target && target.id === "board") drawBoard();
  });

  function column(f, i) { return f.display_rows.map(function (r) { return r[i]; }); }
  function COUNTS_ONLY(f) { return f.id !== "promises" && f.id !== "qa_scores"; }
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
    // Counts are whole complaints: no 0.5 on the axis (the promise and score figures are not counts).
    base.yAxis = [{ type: "value", minInterval: COUNTS_ONLY(f) ? 1 : 0 }];
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
