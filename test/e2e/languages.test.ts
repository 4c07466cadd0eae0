import fs from 'fs';
import path from 'path';
import { openPage, useBrowserAndSite } from '../helpers/browser';
import { freshFriends } from '../helpers/test-server';

// autoLang in real Chromium: the browser's language decides, only that language's chunk is fetched,
// and a right-to-left language mirrors the layout (the roster docks at the left edge).
const env = useBrowserAndSite();
const SCREENSHOTS = path.join(__dirname, '../../test-results/screenshots');

const CASES = [
  { locale: 'fr-FR', lang: 'fr', chat: 'Chat', contacts: 'Contacts', connection: 'Connexion', online: 'En ligne', dir: 'ltr' },
  { locale: 'ja-JP', lang: 'ja', chat: 'チャット', contacts: '連絡先', connection: '接続', online: 'オンライン', dir: 'ltr' },
  { locale: 'ar', lang: 'ar', chat: 'الدردشة', contacts: 'جهات الاتصال', connection: 'الاتصال', online: 'متصل', dir: 'rtl' },
] as const;

describe.each(CASES)('autoLang in a browser set to $locale', ({ locale, lang, chat, contacts, connection, online, dir }) => {
  it(`shows the roster in ${lang}, loading only the ${lang} chunk, laid out ${dir}`, async () => {
    const [me, friend] = await freshFriends(2);
    const localeChunks: string[] = [];
    const { page, errors } = await openPage(env.browser, `${env.site.url}/basic.html`, {
      locale,
      beforeLoad: (p) => p.on('request', (r) => /\/chunks\/locale-/.test(r.url()) && localeChunks.push(r.url())),
    });
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as { JSXC: new (o: object) => { start: (...a: string[]) => Promise<void> } };
        await new w.JSXC({ autoLang: true }).start('/http-bind/', jid, password);
      },
      { jid: me.jid, password: me.password },
    );

    const panel = page.getByRole('complementary', { name: chat, exact: true });
    await expect(panel.getByRole('status', { name: connection, exact: true }).textContent()).resolves.toBe(online);
    const list = panel.getByRole('list', { name: contacts, exact: true });
    await list.getByRole('listitem').filter({ hasText: friend.username }).waitFor({ timeout: 5000 });

    expect(localeChunks).toHaveLength(1);
    expect(localeChunks[0]).toMatch(new RegExp(`/chunks/locale-${lang}-json\\.[0-9a-f]+\\.js$`));

    const root = page.locator('.jsxc-root');
    expect(await root.getAttribute('lang')).toBe(lang);
    expect(await root.getAttribute('dir')).toBe(dir);
    const { left, right, viewport } = await panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, viewport: document.documentElement.clientWidth };
    });
    if (dir === 'rtl') {
      expect(left).toBe(0);
      expect(right).toBeLessThan(viewport / 2);
      // a Latin contact name starts beside the avatar (on its left in RTL), not at the far edge
      const gap = await list.getByRole('listitem').first().evaluate((item) => {
        const range = document.createRange();
        range.selectNodeContents(item.querySelector('.jsxc-contact__name')!);
        return item.querySelector('.jsxc-avatar')!.getBoundingClientRect().left - range.getBoundingClientRect().right;
      });
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(24);
    } else {
      expect(Math.round(right)).toBe(viewport);
      expect(left).toBeGreaterThan(viewport / 2);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `roster-${lang}.png`) });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
