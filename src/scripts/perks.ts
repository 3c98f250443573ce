import { parseArgs } from 'node:util';
import { CliError, PerksApi } from '../cli/api';
import { COMMANDS, USAGE, usageError, type Options } from '../cli/commands';

/** The operator CLI (README, "Operator CLI"): `npm run perks -- <command>`. */
async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        follow: { type: 'boolean', default: false },
        name: { type: 'string' },
        scopes: { type: 'string' },
        organization: { type: 'string' },
        date: { type: 'string' },
        first: { type: 'string' },
        interval: { type: 'string' },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const [command, ...rest] = positionals;
  const run = COMMANDS[command];
  if (!run) throw usageError(`unknown command "${command}"`);
  await run(new PerksApi(process.env), rest, values as Options, {
    out: process.stdout,
    print: (text) => process.stdout.write(`${text}\n`),
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`perks: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`perks: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
});
