import i18next, { i18n } from 'i18next';
import en from '../../locales/en.json';

/**
 * Translations. English ships inside the bundle; every other language is a lazy chunk loaded
 * when chosen, so a page pays only for the language it shows. Each JSXC instance has its own
 * i18next instance: a host page's own i18next is never touched.
 */
export const SUPPORTED_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ru', 'ja', 'zh', 'el', 'ro', 'ar'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export type Translate = (key: string, values?: Record<string, string | number>) => string;

function supported(code: string | undefined): Language | undefined {
  if (!code) {
    return undefined;
  }
  const lower = code.toLowerCase();
  const base = (l: string) => l.toLowerCase().split('-')[0];
  // exact tag first ('pt-BR'), then the same base language ('pt', 'pt-PT' → 'pt-BR'; 'zh-CN' → 'zh')
  return SUPPORTED_LANGUAGES.find((l) => l.toLowerCase() === lower) ?? SUPPORTED_LANGUAGES.find((l) => base(l) === base(lower));
}

/** `autoLang` picks the first of the browser's languages we have; otherwise `lang`; else English. */
export function pickLanguage(lang: string, autoLang: boolean, browserLanguages: readonly string[]): Language {
  if (autoLang) {
    for (const candidate of browserLanguages) {
      const found = supported(candidate);
      if (found) {
        return found;
      }
    }
  }
  return supported(lang) ?? 'en';
}

async function loadResources(lang: Language): Promise<Record<string, string>> {
  if (lang === 'en') {
    return en;
  }
  // one chunk per language file (webpack context over locales/*.json; en.json is excluded, it is in the bundle)
  const module = await import(
    /* webpackChunkName: "locale-[request]" */ /* webpackExclude: /en\.json$/ */ `../../locales/${lang}.json`
  );
  return (module.default ?? module) as Record<string, string>;
}

export async function createTranslator(lang: Language): Promise<{ t: Translate; language: Language; instance: i18n }> {
  const instance = i18next.createInstance();
  let resources: Record<string, string>;
  let language = lang;
  try {
    resources = await loadResources(lang);
  } catch (err) {
    console.warn(`[jsxc] could not load language "${lang}", using English:`, err);
    resources = en;
    language = 'en';
  }
  await instance.init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, [language]: { translation: resources } },
    // values are escaped by the templates (Handlebars) or set as text: never here twice
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const t: Translate = (key, values) => instance.t(key, values) as string;
  return { t, language, instance };
}
