/**
 * DLC job IDs come in two forms: the older `dlc-<14-digit timestamp>-<suffix>` (`dlc-20210126170216-mtl37ge7gkvdz`)
 * and the newer `dlc<13 characters>` (`dlc1a9r0uhfn24cl`, `dlcfchvd6ou2zz4v`). Both are lowercase. Every new-form ID
 * seen in public material has 13 characters after `dlc`; 13 to 16 are accepted in case the service lengthens them.
 */
export interface JobIdMatch {
  readonly jobId: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

const oldForm = String.raw`dlc-\d{14}-[a-z0-9]{6,20}`;
// In running text a new-form ID must mix letters and digits: that keeps words such as `dlcconfiguration` (13 letters
// after `dlc`) out, at the cost of missing the ~1.5% of random IDs that happen to have no digit.
const newFormInText = String.raw`dlc(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{13,16}`;
// All digits would be an old-form ID with its hyphens lost (`dlc20210126170216`), not a new-form one.
const newForm = String.raw`dlc(?=\d*[a-z])[a-z0-9]{13,16}`;

// A boundary is anything but a letter or digit, so `_`, `-`, `/` and `.` delimit (file names such as
// `dlc1a9r0uhfn24cl_stdout.log`, pod names such as `<id>-worker-0`), and so does a percent-escape (`%2Fdlc…` in URLs).
const before = String.raw`(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))`;
const after = String.raw`(?![A-Za-z0-9])`;
const inText = new RegExp(`${before}(?:${oldForm}|${newFormInText})${after}`, 'g');
const whole = new RegExp(`^(?:${oldForm}|${newForm})$`);

/** Every job ID in `text`, in order of appearance. */
export function findJobIds(text: string): JobIdMatch[] {
  return [...text.matchAll(inText)].map((match) => ({
    jobId: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** The ID under the cursor; a cursor just after the last character still counts, as it does for editor words. */
export function jobIdAt(lineText: string, character: number): string | undefined {
  return findJobIds(lineText).find((match) => match.start <= character && character <= match.end)?.jobId;
}

/**
 * Whether `text` (trimmed) is a job ID on its own. Stricter about context than `findJobIds` needs to be, so it accepts
 * a new-form ID made only of letters: a user who typed or pasted just an ID means it as one.
 */
export function isJobId(text: string): boolean {
  return whole.test(text.trim());
}
