'use strict';
// Preloaded into the measured logs-insights process by bench/insights.js (`node -r`): its peak
// resident memory, on stderr at exit, so the bench can show that memory does not grow with the input.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
