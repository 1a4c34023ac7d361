// pa11y drives Chromium through puppeteer: never download a browser (the network is closed and
// the Debian one is used, /usr/bin/chromium; see scripts/lighthouse.js).
module.exports = { skipDownload: true };
