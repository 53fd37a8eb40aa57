/**
 * The nlmixr2 exports parse as R: every structure's model function goes through R's own parser
 * (`Rscript -e 'invisible(parse(file = …))'`, base R only: nlmixr2 itself is not installed, so this
 * checks the syntax, not that nlmixr2 accepts the model). Where Rscript is missing the test is skipped
 * with a message — unless CI or QPKPD_REQUIRE_R=1 is set (.ci/run installs R and sets it), where a
 * missing Rscript fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNlmixr2 } from './nlmixr2';
import { exportCases } from './testing/export-cases';

const hasR = spawnSync('Rscript', ['--version']).status === 0;
const requireR = process.env.CI !== undefined || process.env.QPKPD_REQUIRE_R === '1';

describe('nlmixr2 exports parse as R', () => {
  if (!hasR && !requireR) {
    it.skip('Rscript is not installed (apt-get install r-base-core); set QPKPD_REQUIRE_R=1 to make that a failure', () => {});
    return;
  }

  it('Rscript is installed', () => {
    expect(hasR, 'Rscript is missing: install r-base-core (scripts/ensure-r.mjs)').toBe(true);
  });

  it('every structure’s model function parses, and a broken one does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qpkpd-r-'));
    const files = exportCases().map((c) => {
      const path = join(dir, `${c.name}.R`);
      const text = exportNlmixr2(c.spec, { model: c.model, study: c.study }, { baseName: c.name }).files[0].text;
      writeFileSync(path, text);
      return path;
    });
    const broken = join(dir, 'broken.R');
    writeFileSync(broken, 'f <- function() {\n  ini({\n    tcl <- log(2\n  })\n}\n');
    // One R session: each file's parse result, "ok" or the error.
    const parsed = 'tryCatch({ invisible(parse(file = f)); "ok" }, error = function(e) "error")';
    const script = `for (f in commandArgs(TRUE)) cat(basename(f), ${parsed}, "\\n")`;
    const out = execFileSync('Rscript', ['-e', script, ...files, broken], { encoding: 'utf8' });
    const results = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/) as [string, string]),
    );
    for (const path of files) expect(results[path.split('/').pop() as string], path).toBe('ok');
    expect(results['broken.R']).toBe('error');
  });
});
