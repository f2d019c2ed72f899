#!/usr/bin/env node
'use strict';

const code = require('../dist/cli.js').main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
