/**
 * The command lines a Markdown file shows in its shell code blocks, as a new
 * user would type them: comments dropped, lines ending in `\` joined to the
 * next, and `a|b|c` alternatives (as in
 * `npm run stack -- up|down|status`) expanded into one command each.
 */

const SHELL_FENCE = /^```(sh|bash|shell|console)?\s*$/;

/** Every command of the shell blocks (untagged blocks count as shell), in order, without duplicates. */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  let inBlock = false;
  let shell = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const fence = raw.match(/^```(\S*)/);
    if (fence) {
      if (inBlock) {
        inBlock = false;
      } else {
        inBlock = true;
        shell = SHELL_FENCE.test(raw);
      }
      continue;
    }
    if (!inBlock || !shell) continue;
    // A comment starts at a # preceded by whitespace (not inside a word such as a URL fragment).
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    // A trailing backslash continues the command on the next line, as in the shell.
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const command = `${pending}${line}`.trim();
    pending = '';
    if (command) commands.push(...expandAlternatives(command));
  }
  return [...new Set(commands)];
}

/** `npm run stack -- up|down` -> two commands; a line without a bare `|` word stays one. */
function expandAlternatives(line: string): string[] {
  const words = line.split(/\s+/);
  const index = words.findIndex((word) => /^[\w:-]+(\|[\w:-]+)+$/.test(word));
  if (index === -1) return [line];
  return words[index]!.split('|').flatMap((choice) =>
    expandAlternatives([...words.slice(0, index), choice, ...words.slice(index + 1)].join(' ')),
  );
}
