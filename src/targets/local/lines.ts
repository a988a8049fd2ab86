/**
 * The output of a group's process, line by line: every line goes to `log`; with `tail`, the last
 * `keep` lines of the stream are also kept there (for the failure text).
 */
export function followLines(
  stream: NodeJS.ReadableStream,
  log: (line: string) => void,
  tail?: { lines: string[]; keep: number },
): void {
  let buffered = '';
  stream.setEncoding('utf8');
  const emit = (line: string) => {
    log(line);
    if (tail) {
      tail.lines.push(line);
      if (tail.lines.length > tail.keep) tail.lines.shift();
    }
  };
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) emit(part.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (buffered !== '') emit(buffered);
  });
}
