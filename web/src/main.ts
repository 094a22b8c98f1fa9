import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { installFirebase } from './plugins/firebase';
import { installVuetify } from './plugins/vuetify';
import { initialLocale, installI18n, saveLocale } from './plugins/i18n';
import { installRouter } from './plugins/router';
import { useSessionStore } from './features/session/use-session-store';
import { useNoticeStore } from './features/session/use-notice-store';

installFirebase();
const locale = initialLocale();
saveLocale(locale);
const pinia = createPinia();
const app = createApp(App);
app.use(pinia);
app.use(installI18n(locale));
app.use(installVuetify(locale));
const router = installRouter(pinia);
app.use(router);

// Errors nobody caught reach the person as a notice and the developer as a log line.
app.config.errorHandler = (err, _instance, info) => {
  console.error('[app]', info, err);
  useNoticeStore(pinia).show('errors.unexpected');
};

void useSessionStore(pinia).start().then(async () => {
  await router.isReady();
  app.mount('#app');
});
