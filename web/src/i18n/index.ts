// i18next for our own strings; Chinese by default, the choice kept in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../lib/time';
import en from './en';
import zh from './zh';

const KEY = 'caselink.lang';

export function storedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: false, // a missing key shows as the key, and the key check fails
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
document.documentElement.lang = storedLang() === 'zh' ? 'zh-CN' : 'en';

export default i18n;
