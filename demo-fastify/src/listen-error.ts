/**
 * The one line `server.ts` prints on stderr when the server cannot listen: which address, why, and
 * what to do — instead of a fatal record with a stack trace, which says nothing the user can act on.
 */
export function listenErrorMessage(err: unknown, host: string, port: number): string {
  const { code, message } = (err ?? {}) as NodeJS.ErrnoException;
  switch (code) {
    case 'EADDRINUSE':
      return (
        `port ${port} on ${host} is already in use (an earlier demo still running?); ` +
        'stop what listens there, or set PORT to another port (PORT=0 picks a free one)'
      );
    case 'EACCES':
      return `no permission to listen on port ${port} of ${host}; set PORT to 1024 or above (or 0 for a free one)`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine; set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`;
    default:
      return `cannot listen on ${host}:${port}: ${message ?? String(err)}`;
  }
}
