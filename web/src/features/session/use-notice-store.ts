/** One snackbar for the whole app: messages are i18n keys. */
import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';

export const useNoticeStore = defineStore('notice', () => {
  const key = ref<string | null>(null);
  const visible = ref(false);
  function show(k: string): void {
    key.value = k;
    visible.value = true;
  }
  return { key, visible, show };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useNoticeStore, import.meta.hot));
