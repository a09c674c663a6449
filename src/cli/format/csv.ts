/**
 * CSV per RFC 4180, the one place netpol writes and reads it: records end in CRLF,
 * a field holding a comma, a double quote, CR or LF is quoted and its quotes doubled.
 * Reading accepts LF or CRLF line ends.
 */

/** The record separator RFC 4180 names (section 2.1). */
export const CSV_EOL = "\r\n";

/** One field, quoted when it must be. */
export const csvField = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One record, with its line end. */
export const csvRecord = (fields: readonly string[]): string => `${fields.map(csvField).join(",")}${CSV_EOL}`;

/**
 * The fields of one line (without its line end): quoted fields may hold commas and
 * doubled quotes. Null when a quote is left open or text follows a closing quote.
 * (A field holding a line break does not fit a line-at-a-time reader; no endpoint
 * name or port holds one.)
 */
export function csvFields(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let field = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(field);
      if (i === line.length) return out;
      if (line[i] !== ",") return null;
      i++;
    } else {
      const comma = line.indexOf(",", i);
      out.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) return out;
      i = comma + 1;
    }
  }
}
