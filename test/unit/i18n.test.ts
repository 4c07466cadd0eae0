import fs from 'fs';
import path from 'path';
import { pickLanguage, SUPPORTED_LANGUAGES } from '../../src/i18n';

describe('language choice', () => {
  it('autoLang picks the first browser language we ship', () => {
    expect(pickLanguage('en', true, ['xx', 'de-AT', 'en'])).toBe('de');
  });
  it('without autoLang uses options.lang', () => {
    expect(pickLanguage('de', false, ['en'])).toBe('de');
  });
  it('falls back to English for unknown languages', () => {
    expect(pickLanguage('tlh', true, ['tlh'])).toBe('en');
  });
});

describe('locales', () => {
  const dir = path.join(__dirname, '../../locales');
  const en = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8')) as Record<string, string>;

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s has every key of en.json, and no other', (lang) => {
    const other = JSON.parse(fs.readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as Record<string, string>;
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(other)) {
      expect(typeof value).toBe('string');
      // every {{placeholder}} of the English text survives the translation
      const placeholders = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort();
      expect([key, placeholders(value)]).toEqual([key, placeholders(en[key])]);
    }
  });

  it('every key used in templates and sources exists in en.json', () => {
    const root = path.join(__dirname, '../..');
    const files = [...walk(path.join(root, 'template')), ...walk(path.join(root, 'src'))];
    const used = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (file.endsWith('.hbs')) for (const m of text.matchAll(/\{\{t "([\w.]+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
    }
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
