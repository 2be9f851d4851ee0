import { launch, openWatched } from '/work/wt/report/test/report/browser.ts';
const [file, out, click] = process.argv.slice(2);
const b = await launch();
const w = await openWatched(b);
await w.page.goto(`file://${file}`);
if (click) { await w.page.click(`.ff-figure, .lineage-link`); await w.page.waitForTimeout(200); }
await w.page.screenshot({ path: out, fullPage: true });
console.log('errors', w.consoleErrors, 'net', w.networkRequests);
await b.close();
