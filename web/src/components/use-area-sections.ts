/** Sections of an area home: icons in code, words in the locale files (areas.<area>.sections.<key>.title/empty). */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { AreaSection } from './AreaLayout.vue';

export function useAreaSections(area: string, items: readonly { key: string; icon: string }[]) {
  const { t } = useI18n();
  return computed<AreaSection[]>(() =>
    items.map((i) => ({ ...i, title: t(`areas.${area}.sections.${i.key}.title`), empty: t(`areas.${area}.sections.${i.key}.empty`) })),
  );
}
