/**
 * The engine, Storage and the local stack trust what the official emulators trust: unsigned ID tokens (any `sub`,
 * any claims) and `Bearer owner`, which skips every rule. That is safe only when nobody but this machine can
 * connect, so they listen on loopback unless told explicitly to do otherwise.
 */
import net from 'node:net';

/** The environment variable that, set to 1, allows a non-loopback address (as the option/flag does). */
export const ALLOW_NON_LOOPBACK_ENV = 'TELESALUD_ALLOW_NON_LOOPBACK';

/**
 * Whether a listen address only accepts connections from this machine: `localhost`, 127.0.0.0/8, ::1 (also as an
 * IPv4-mapped ::ffff:127.x.y.z). `0.0.0.0`, `::`, names and every other address are not.
 * @param host - the address or host name to listen on
 */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || /^(?:0{1,4}:){7}0{0,3}1$/.test(h)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
  }
  return false;
}

/** Why a listen address was refused. */
export class NonLoopbackError extends Error {
  override name = 'NonLoopbackError';
}

/**
 * Refuses to go on with a non-loopback listen address unless allowed by the caller's option or
 * TELESALUD_ALLOW_NON_LOOPBACK=1; when allowed, warns loudly once per address.
 * @param host - the address to listen on
 * @param what - who is listening, for the messages ("Firestore engine", "Storage emulator", "stack")
 * @param allow - the caller's explicit permission (an option or a command-line flag)
 * @param warn - where the warning goes (default: stderr)
 * @throws NonLoopbackError when the address is not loopback and nothing allowed it
 */
export function assertLoopback(
  host: string,
  what: string,
  allow: boolean | undefined,
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): void {
  if (isLoopback(host)) return;
  const allowed = allow === true || process.env[ALLOW_NON_LOOPBACK_ENV] === '1';
  const risk =
    'it trusts unsigned ID tokens and the "owner" token, so anyone who can reach the address can act as any user ' +
    'or skip every security rule';
  if (!allowed)
    throw new NonLoopbackError(
      `Refusing to start the ${what} on ${host}: ${risk}. Listen on 127.0.0.1, or pass --allow-non-loopback ` +
        `(allowNonLoopback: true) or set ${ALLOW_NON_LOOPBACK_ENV}=1 if you really mean it.`,
    );
  warn(
    `\n!!! WARNING: the ${what} listens on ${host}, not on loopback: ${risk}. Use it only on a network you control. !!!\n`,
  );
}
