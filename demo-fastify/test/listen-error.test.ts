import { listenErrorMessage } from '../src/listen-error';

const errno = (code: string, message = `listen ${code}`) => Object.assign(new Error(message), { code });

describe('listenErrorMessage', () => {
  it('a port in use: which port, and what to do', () => {
    expect(listenErrorMessage(errno('EADDRINUSE'), '127.0.0.1', 5000)).toBe(
      'port 5000 on 127.0.0.1 is already in use (an earlier demo still running?); ' +
        'stop what listens there, or set PORT to another port (PORT=0 picks a free one)',
    );
  });

  it('a privileged port', () => {
    expect(listenErrorMessage(errno('EACCES'), '0.0.0.0', 80)).toBe(
      'no permission to listen on port 80 of 0.0.0.0; set PORT to 1024 or above (or 0 for a free one)',
    );
  });

  it('a HOST that is not this machine', () => {
    expect(listenErrorMessage(errno('EADDRNOTAVAIL'), '10.9.9.9', 5000)).toMatch(
      /^HOST 10\.9\.9\.9 is not an address of this machine; set HOST to 127\.0\.0\.1, 0\.0\.0\.0/,
    );
  });

  it('anything else: the address and the error message, still one line', () => {
    expect(listenErrorMessage(errno('EINVAL', 'listen EINVAL: invalid argument'), '::1', 5000)).toBe(
      'cannot listen on ::1:5000: listen EINVAL: invalid argument',
    );
    expect(listenErrorMessage('odd', 'h', 1)).toBe('cannot listen on h:1: odd');
  });
});
