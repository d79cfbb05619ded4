/**
 * A small error hierarchy. Every expected failure is a CosearchError carrying a sysexits-style exit code;
 * the CLI prints `error: <message>` (plus `hint:` when given) and sets process.exitCode. Anything else is
 * an internal error and is printed with its stack (exit 70).
 */
export const ExitCode = {
  OK: 0,
  FAILURE: 1, // a check ran and failed (csim mismatch, report diff over tolerance)
  USAGE: 64, // bad command line / unknown part name
  DATA: 65, // bad input data: invalid design file, corrupt dataset, infeasible budget
  NO_INPUT: 66, // an input file or directory does not exist
  UNAVAILABLE: 69, // an external tool (vitis, yosys, g++) is not installed
  SOFTWARE: 70, // internal error (a bug)
  IO: 74, // read/write failure
  TEMP: 75, // temporary failure: tool timed out, killed, out of memory, licence unavailable
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CosearchError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Command-line misuse (exit 64). */
export class UsageError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.USAGE, hint);
  }
}

/** Input data is malformed or semantically invalid (exit 65). `file` and `jsonPath` locate the problem. */
export class DataError extends CosearchError {
  readonly file?: string;
  readonly jsonPath?: string;
  constructor(message: string, opts: { file?: string; jsonPath?: string; hint?: string } = {}) {
    const where = [opts.file, opts.jsonPath ? `at ${opts.jsonPath}` : undefined].filter(Boolean).join(' ');
    super(where ? `${where}: ${message}` : message, ExitCode.DATA, opts.hint);
    this.file = opts.file;
    this.jsonPath = opts.jsonPath;
  }
}

/** A required input file or directory is missing (exit 66). */
export class NoInputError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.NO_INPUT, hint);
  }
}

/** An external tool is not installed (exit 69). */
export class ToolMissingError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.UNAVAILABLE, hint);
  }
}

/** A check ran and failed: csim/rtlsim mismatch, report regression (exit 1). */
export class CheckFailedError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.FAILURE, hint);
  }
}

/** Read/write failure (exit 74). */
export class IoError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.IO, hint);
  }
}

/** Temporary failure: timeout, killed, out of memory, licence unavailable (exit 75). */
export class TempError extends CosearchError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.TEMP, hint);
  }
}

/** An external tool ran and failed (exit 70 unless a more specific class applies). */
export class ToolFailedError extends CosearchError {
  readonly kind: string;
  readonly logFile?: string;
  constructor(message: string, kind: string, opts: { exitCode?: ExitCodeValue; logFile?: string; hint?: string } = {}) {
    super(message, opts.exitCode ?? ExitCode.SOFTWARE, opts.hint);
    this.kind = kind;
    this.logFile = opts.logFile;
  }
}
