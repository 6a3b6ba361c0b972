import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLang } from '../i18n';
import type { Lang } from '../lib/time';
import { useLang } from '../lib/useLang';

export function LanguageSelect() {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Select<Lang>
      aria-label={t('lang.label')}
      value={lang}
      onChange={setLang}
      size="small"
      style={{ width: 96 }}
      options={[
        { value: 'zh', label: t('lang.zh') },
        { value: 'en', label: t('lang.en') },
      ]}
    />
  );
}
