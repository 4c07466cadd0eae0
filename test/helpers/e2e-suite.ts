import { Browser } from 'playwright-core';
import { launchBrowser, Site, startSite } from './browser';

/**
 * One Chromium and one host site for the tests of a file: started before them, closed after.
 * Use the getters inside tests: `const e2e = useBrowserAndSite(); … openPage(e2e.browser, e2e.site.url)`.
 */
export function useBrowserAndSite(): { readonly browser: Browser; readonly site: Site } {
  let browser: Browser | undefined;
  let site: Site | undefined;
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get site() {
      return site!;
    },
  };
}
