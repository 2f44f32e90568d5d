import 'reflect-metadata';
import { main } from './cli/commands.js';

process.exitCode = await main(process.argv.slice(2));
