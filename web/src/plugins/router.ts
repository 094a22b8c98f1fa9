/** Routes of the three areas, guarded by the session (awaited before the first navigation). */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Pinia } from 'pinia';
import { useSessionStore } from '../features/session/use-session-store';
import { access, type Area } from '../features/session/access';

declare module 'vue-router' {
  interface RouteMeta {
    area?: Area;
    guestOnly?: boolean;
  }
}

// One lazily loaded home component serves the three areas, told which by its route's props.
const AreaHome = () => import('../pages/AreaHome.vue');

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'landing', component: () => import('../pages/LandingPage.vue') },
  { path: '/buscar', name: 'search', component: () => import('../pages/SearchPage.vue') },
  { path: '/especialistas/:uid', name: 'specialist-profile', component: () => import('../pages/SpecialistProfilePage.vue'), props: true },
  { path: '/ingresar', name: 'sign-in', component: () => import('../pages/SignInPage.vue'), meta: { guestOnly: true } },
  { path: '/registro', name: 'sign-up', component: () => import('../pages/SignUpPage.vue'), meta: { guestOnly: true } },
  { path: '/paciente', name: 'patient', component: AreaHome, props: { area: 'patient' }, meta: { area: 'patient' } },
  { path: '/especialista', name: 'specialist', component: AreaHome, props: { area: 'specialist' }, meta: { area: 'specialist' } },
  // The calendar page carries FullCalendar: loaded only when a specialist opens it.
  {
    path: '/especialista/agenda',
    name: 'specialist-calendar',
    component: () => import('../pages/SpecialistCalendarPage.vue'),
    meta: { area: 'specialist' },
  },
  { path: '/clinica', name: 'staff', component: AreaHome, props: { area: 'staff' }, meta: { area: 'staff' } },
  { path: '/sin-acceso', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue') },
];

export function installRouter(pinia: Pinia) {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore(pinia);
    await session.whenReady();
    if (to.meta.guestOnly && session.signedIn) return { name: session.home };
    const area = to.meta.area;
    if (!area) return true;
    const verdict = access(area, { signedIn: session.signedIn, roles: session.roles });
    if (verdict === 'sign-in') return { name: 'sign-in', query: { next: to.fullPath } };
    if (verdict === 'forbidden') return { name: 'forbidden' };
    return true;
  });
  return router;
}
