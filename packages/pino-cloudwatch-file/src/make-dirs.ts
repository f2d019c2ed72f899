// The folder rule the transport and pino-cloudwatch-setup share: pino-cloudwatch-core's makeDirs.
export { makeDirs } from 'pino-cloudwatch-core';
