// The home page's charts, drawn with ECharts from the figures the page holds (#home-charts);
// each chart's table (under "The figures") shows the same numbers as links to their lists.
// Legends are placed at the top by hand: ECharts 6 puts them at the bottom by default, over the
// axis labels.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var source = document.getElementById("home-charts");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    function chart(id, option, onClick) {
      var el = document.getElementById(id);
      if (!el) return;
      var c = echarts.init(el, null, { renderer: "svg" });
      c.setOption(option);
      if (onClick) c.on("click", onClick);
      charts.push(c);
      el.dataset.drawn = "true";
    }
    var trend = data.trend;
    if (trend && trend.months.length) {
      var found = el("table-trend") ? el("table-trend").querySelector("thead th:nth-child(2)").textContent : "found";
      var rectified = el("table-trend") ? el("table-trend").querySelector("thead th:nth-child(3)").textContent : "rectified";
      chart("chart-trend", {
        tooltip: { trigger: "axis" },
        legend: { data: [found, rectified], top: 0 },
        grid: { left: 40, right: 10, top: 30, bottom: 30 },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: found, type: "bar", data: trend.found },
          { name: rectified, type: "line", data: trend.rectified },
        ],
      }, function (p) {
        var link = trend.links[p.dataIndex] && trend.links[p.dataIndex][p.seriesIndex];
        if (link) window.location = link;
      });
    }
    if (data.risk && data.risk.length) {
      var colours = { red: "#dc3545", orange: "#fd7e14", yellow: "#ffc107", blue: "#0d6efd" };
      // A colour with no enterprise has no slice: its label would point at nothing. The
      // names are in the legend and each slice says its count, so a phone has room for both.
      chart("chart-risk", {
        tooltip: { trigger: "item" },
        legend: { top: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "55%"],
          label: { formatter: "{c}" },
          data: data.risk.filter(function (r) { return r.value > 0; }).map(function (r) {
            return { name: r.name, value: r.value, itemStyle: { color: colours[r.colour] }, link: r.link };
          }),
        }],
      }, function (p) { if (p.data && p.data.link) window.location = p.data.link; });
    }
    var cat = data.categories;
    if (cat && cat.offices.length) {
      chart("chart-categories", {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 90, right: 10, top: 40, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: cat.offices },
        series: cat.types.map(function (t, i) {
          return { name: t, type: "bar", stack: "all", data: cat.values.map(function (row) { return row[i]; }) };
        }),
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    function el(id) { return document.getElementById(id); }
  });
})();
