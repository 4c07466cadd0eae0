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
  it('picks Brazilian Portuguese for pt-BR and for plain pt', () => {
    expect(pickLanguage('en', true, ['pt-BR'])).toBe('pt-BR');
    expect(pickLanguage('en', true, ['pt'])).toBe('pt-BR');
  });
  it('picks Chinese for zh-CN and zh', () => {
    expect(pickLanguage('en', true, ['zh-CN'])).toBe('zh');
    expect(pickLanguage('en', true, ['zh'])).toBe('zh');
  });
  it('picks a language by its region tag', () => {
    expect(pickLanguage('en', true, ['fr-FR'])).toBe('fr');
    expect(pickLanguage('en', true, ['ja-JP'])).toBe('ja');
    expect(pickLanguage('en', true, ['ar-EG'])).toBe('ar');
  });
  it('with autoLang but no shipped browser language falls back to options.lang, then English', () => {
    expect(pickLanguage('ru', true, ['tlh', 'xx-YY'])).toBe('ru');
    expect(pickLanguage('tlh', true, ['xx'])).toBe('en');
    expect(pickLanguage('ro', true, [])).toBe('ro');
  });
  it('ships at least the languages JSXC ships, and Arabic', () => {
    for (const lang of ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ru', 'ja', 'zh', 'el', 'ro', 'ar']) {
      expect(SUPPORTED_LANGUAGES).toContain(lang);
    }
  });
});

describe('locales', () => {
  const dir = path.join(__dirname, '../../locales');
  const en = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8')) as Record<string, string>;

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s has every key of en.json, and no other', (lang) => {
    const other = JSON.parse(fs.readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as Record<string, string>;
    expect(Object.keys(other).sort()).toEqual(expectedKeys(en, lang));
    for (const [key, value] of Object.entries(other)) {
      expect(typeof value).toBe('string');
      expect([key, value.trim().length > 0]).toEqual([key, true]);
      // every {{placeholder}} of the English text survives the translation
      const placeholders = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort();
      expect([key, placeholders(value)]).toEqual([key, placeholders(en[key] ?? en[`${pluralBase(key)}_other`])]);
    }
  });

  it('a plural key needs the plural forms of each language', () => {
    const english = { Files_one: '{{count}} file', Files_other: '{{count}} files', Close: 'Close' };
    expect(expectedKeys(english, 'pl')).toEqual(['Close', 'Files_few', 'Files_many', 'Files_one', 'Files_other']);
    expect(expectedKeys(english, 'ar')).toEqual(['Close', 'Files_few', 'Files_many', 'Files_one', 'Files_other', 'Files_two', 'Files_zero']);
    expect(expectedKeys(english, 'ja')).toEqual(['Close', 'Files_other']);
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

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function pluralBase(key: string): string {
  return key.replace(PLURAL_SUFFIX, '');
}

/**
 * The keys a language must have: en.json's, except that a plural key (en.json has `x_one` and
 * `x_other`) needs the plural categories of that language as i18next resolves them through
 * Intl.PluralRules: `x_few` and `x_many` in Polish and Russian, also `x_zero` and `x_two` in
 * Arabic, only `x_other` in Japanese and Chinese.
 */
function expectedKeys(english: Record<string, string>, lang: string): string[] {
  const keys = new Set<string>();
  for (const key of Object.keys(english)) {
    const base = pluralBase(key);
    if (base !== key && `${base}_other` in english) {
      for (const category of new Intl.PluralRules(lang).resolvedOptions().pluralCategories) keys.add(`${base}_${category}`);
    } else {
      keys.add(key);
    }
  }
  return [...keys].sort();
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
