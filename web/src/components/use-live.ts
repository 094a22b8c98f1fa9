/** Live data from a `watchX(…, next, error)` function of web/src/data, re-subscribed when its inputs change. */
import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue';

export interface Live<T> {
  data: ShallowRef<T>;
  pending: Ref<boolean>;
  error: ShallowRef<Error | null>;
}

type Subscribe<T> = (next: (value: T) => void, error: (e: Error) => void) => () => void;

/**
 * Follows a source while the calling scope lives: `subscribe(key)` runs whenever `key` changes (null: nothing to
 * follow, data back to `initial`), the previous subscription is closed first, and the last one on scope dispose.
 * @param key - reactive input of the subscription (e.g. a uid)
 * @param subscribe - opens the listener for a key
 * @param initial - the value before the first snapshot
 */
export function useLive<K, T>(key: WatchSource<K | null>, subscribe: (key: K) => Subscribe<T>, initial: T): Live<T> {
  const data = shallowRef<T>(initial);
  const pending = ref(true);
  const error = shallowRef<Error | null>(null);
  let stop: (() => void) | undefined;
  const close = () => {
    stop?.();
    stop = undefined;
  };
  watch(
    key,
    (k) => {
      close();
      data.value = initial;
      error.value = null;
      if (k === null) {
        pending.value = false;
        return;
      }
      pending.value = true;
      stop = subscribe(k)(
        (v) => {
          data.value = v;
          pending.value = false;
        },
        (e) => {
          error.value = e;
          pending.value = false;
        },
      );
    },
    { immediate: true },
  );
  onScopeDispose(close);
  return { data, pending, error };
}
