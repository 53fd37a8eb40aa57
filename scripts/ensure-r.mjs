// Makes sure R and its nlme package are installed (Debian's r-base-core and r-cran-nlme) for the tests
// that run R: the nlme peer of the population fit (src/pkpd/population/nlme-peer.test.ts) and the parse
// check of the nlmixr2 model exports (src/export/model/model-export-r.test.ts). Those tests
// skip without R unless QPKPD_REQUIRE_R=1, which .ci/run sets.
import { execFileSync } from 'node:child_process';

const PACKAGES = ['r-base-core', 'r-cran-nlme'];

function ready() {
  try {
    execFileSync('Rscript', ['--vanilla', '-e', 'library(nlme)'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!ready()) {
  if (process.getuid?.() !== 0) {
    console.error(`R with nlme is missing. Install it with: sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(' ')}`);
    process.exit(1);
  }
  console.error(`Installing Debian's ${PACKAGES.join(' and ')} (Rscript with nlme is missing)…`);
  const run = (args) => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['update']);
  run(['install', '-y', '--no-install-recommends', ...PACKAGES]);
  if (!ready()) {
    console.error('Rscript still cannot load nlme after the install.');
    process.exit(1);
  }
}
