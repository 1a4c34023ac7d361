/*
 * The charts bundle (built by server/web/statici.ts): ApexCharts' core with only the chart types
 * and features the pages draw, then our drawing code. Loaded only by pages with a chart.
 */
import ApexCharts from 'apexcharts/core';
import 'apexcharts/bar';
import 'apexcharts/line';
import 'apexcharts/donut';
import 'apexcharts/features/legend';
import 'apexcharts/features/annotations';

window.ApexCharts = ApexCharts;
require('./disegna-grafici.js');
