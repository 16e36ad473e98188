// Marketplace and markups: the sources' state (resume a paused one), the parameters with who
// changed them, a trial search with true sources, the latest listings, and the markups. Live from
// the "admin" topic: alerts, markup changes and colleagues' parameter changes show at once.
import { addMarketAlert, loadMarketplace, mountMarketplace } from '../admin/marketplace.js';
import { loadCoverage } from '../admin/market-coverage.js';
import { loadSettingsAudit, mountSettings, showSettings } from '../admin/market-settings.js';
import { mountTrial } from '../admin/market-trial.js';
import { loadMarkups, mountMarkups } from '../admin/markups.js';
import { mountPage } from '../page.js';
import { $ } from '../ui.js';

const LISTINGS = 10;

mountPage({
  auth: 'staff',
  topics: ['admin'],
  catalog: true,
  async load(page) {
    const refresh = () => loadMarketplace(page, { listings: LISTINGS }).then(showSettings)
      .then(() => loadCoverage()).catch((err) => page.error(err, 'Could not refresh the marketplace'));
    page.realtime.on('event', (msg) => {
      if (msg.event === 'markup.changed') loadMarkups().catch((err) => page.error(err, 'Could not refresh markups'));
      if (msg.event === 'marketplace.alert') {
        addMarketAlert(msg.data || {}, msg.at);
        refresh();
      }
      if (msg.event === 'staff.action' && msg.data?.kind === 'marketplace') {
        refresh();
        loadSettingsAudit().catch(() => {});
      }
    });
    const overview = await mountMarketplace(page, { listings: LISTINGS }).catch((err) => {
      page.error(err, 'Could not load marketplace status');
      return { configured: false };
    });
    const parts = [
      [mountSettings(overview, { saved: () => refresh() }), 'Could not load the marketplace parameters'],
      [overview.configured ? loadCoverage() : Promise.resolve(), 'Could not load the sourcing index'],
      [mountTrial(), 'Could not prepare the trial search'],
      [mountMarkups(), 'Could not load markups'],
    ];
    for (const [done, title] of parts) await done.catch((err) => page.error(err, title));
    if (!overview.configured) for (const id of ['#trial-card', '#listings-card', '#coverage-card']) $(id).hidden = true;
    // Freshness moves while the page is open: a category refreshing in the background shows up.
    if (overview.configured) setInterval(() => { if (!document.hidden) loadCoverage().catch(() => {}); }, 30000);
    if (location.hash.length > 1) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  },
});
