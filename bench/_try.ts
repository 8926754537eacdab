import { benchBundles } from './bundles.js';
import { renderTable } from './lib/stats.js';
console.log(renderTable(await benchBundles('bench/results', 5)));
