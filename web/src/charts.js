// Entry point of static/build/charts.js: Chart.js v4 with all controllers,
// elements, scales and plugins registered, exposed as window.Chart.
import Chart from 'chart.js/auto';

window.Chart = Chart;
