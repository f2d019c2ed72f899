import net from 'node:net';

/** Whether `host` (an address or a name) only reaches this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

/**
 * The Host header check against DNS rebinding: a page of another site whose name now resolves to
 * this machine sends its own name in Host, so only a literal address, `localhost` or the name the
 * server was told to listen on (`--host`) is answered, and only with the server's port.
 */
export function hostAllowed(header: string | undefined, listenHost: string, port: number): boolean {
  if (header === undefined || header.length > 300) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.trim());
  if (match === null) return false;
  const name = match[1].toLowerCase();
  const headerPort = match[2] === undefined ? 80 : Number(match[2]);
  if (headerPort !== port) return false;
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  return (
    net.isIP(bare) !== 0 ||
    bare === 'localhost' ||
    bare === listenHost.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  );
}
