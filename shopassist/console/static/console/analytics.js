// Draws the analytics charts from /console/api/analytics with Chart.js (bundled locally in
// /static/build/charts.js). Each canvas gets data-rendered="true" once drawn, for the tests.
(async function () {
  const response = await fetch("/console/api/analytics", { credentials: "same-origin" });
  if (!response.ok) return;
  const f = await response.json();
  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    config.options = Object.assign({ animation: false, responsive: true }, config.options || {});
    new window.Chart(canvas, config);
    canvas.dataset.rendered = "true";
  };
  draw("chart-days", {
    type: "bar",
    data: {
      labels: f.per_day.map((d) => d.day),
      datasets: [
        { label: "conversations", data: f.per_day.map((d) => d.conversations) },
        { label: "messages", data: f.per_day.map((d) => d.messages) },
      ],
    },
  });
  draw("chart-intents", {
    type: "bar",
    data: {
      labels: f.top_intents.map((i) => i.intent),
      datasets: [{ label: "messages", data: f.top_intents.map((i) => i.count) }],
    },
    options: { indexAxis: "y" },
  });
  draw("chart-sentiment", {
    type: "line",
    data: {
      labels: f.sentiment_by_day.map((d) => d.day),
      datasets: [
        { label: "mean score (-1..1)", data: f.sentiment_by_day.map((d) => d.mean_score) },
        { label: "share negative", data: f.sentiment_by_day.map((d) => d.negative_share) },
      ],
    },
  });
})();
