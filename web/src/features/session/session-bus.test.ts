import { afterEach, describe, expect, it, vi } from 'vitest';
import { broadcastChannelBus, parseSessionMessage, storageEventBus, type SessionMessage } from './session-bus';
import { memoryStorage } from './session-marks';

describe('parseSessionMessage', () => {
  it.each([
    [
      { type: 'signed-out', reason: 'idle' },
      { type: 'signed-out', reason: 'idle' },
    ],
    [
      { type: 'signed-out', reason: 'absolute', extra: 1 },
      { type: 'signed-out', reason: 'absolute' },
    ],
    [
      { type: 'signed-out', reason: 'manual' },
      { type: 'signed-out', reason: 'manual' },
    ],
    [{ type: 'signed-out', reason: 'bored' }, null],
    [{ type: 'signed-in', reason: 'idle' }, null],
    [{ type: 'signed-out' }, null],
    ['signed-out', null],
    [null, null],
  ])('%j → %j', (data, want) => {
    expect(parseSessionMessage(data)).toEqual(want);
  });
});

describe('storageEventBus (browsers without BroadcastChannel)', () => {
  const key = 'test.session.message';

  /** What another tab sees when this one writes: a storage event carrying the new value. */
  function deliver(storage: Storage): void {
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: storage.getItem(key) }));
  }

  it('carries a message to the other tabs, each post a new value so repeats fire again', () => {
    const storage = memoryStorage();
    const sender = storageEventBus(storage, window, key);
    const receiver = storageEventBus(storage, window, key);
    const heard: SessionMessage[] = [];
    const stop = receiver.subscribe((m) => heard.push(m));
    sender.post({ type: 'signed-out', reason: 'idle' });
    const first = storage.getItem(key);
    deliver(storage);
    sender.post({ type: 'signed-out', reason: 'idle' });
    expect(storage.getItem(key)).not.toBe(first);
    deliver(storage);
    stop();
    deliver(storage);
    expect(heard).toEqual([
      { type: 'signed-out', reason: 'idle' },
      { type: 'signed-out', reason: 'idle' },
    ]);
  });

  it('ignores other keys, removals and values it cannot read', () => {
    const listener = vi.fn();
    const stop = storageEventBus(memoryStorage(), window, key).subscribe(listener);
    window.dispatchEvent(
      new StorageEvent('storage', { key: 'other', newValue: '{"type":"signed-out","reason":"idle"}' }),
    );
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: null }));
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: 'not json' }));
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: '{"type":"hello"}' }));
    stop();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('broadcastChannelBus', () => {
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((c) => c.close()));

  it('delivers to the other tabs, not back to the sender', async () => {
    const name = 'test.session.channel';
    const here = broadcastChannelBus(name);
    const otherTab = new BroadcastChannel(name);
    opened.push(otherTab);
    const heardThere = new Promise<unknown>((resolve) =>
      otherTab.addEventListener('message', (e) => resolve(e.data), { once: true }),
    );
    const heardHere = vi.fn();
    const stop = here.subscribe(heardHere);
    here.post({ type: 'signed-out', reason: 'absolute' });
    expect(await heardThere).toEqual({ type: 'signed-out', reason: 'absolute' });

    const heardBack = new Promise<SessionMessage>((resolve) => here.subscribe(resolve));
    otherTab.postMessage({ type: 'signed-out', reason: 'manual' });
    expect(await heardBack).toEqual({ type: 'signed-out', reason: 'manual' });
    expect(heardHere).toHaveBeenCalledExactlyOnceWith({ type: 'signed-out', reason: 'manual' });
    stop();
  });
});
