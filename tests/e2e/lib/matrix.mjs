// matrix.mjs — the callers of the role matrix, one column each (anon = no
// session). Rows in tests/e2e/matrix/*.mjs give one letter per column.
export const WHO = ['anon', 'miit', 'nisc', 'gd-prov', 'gd-ca', 'gz-city', 'gz-city-member',
  'gz-city-viewer', 'sz-city', 'hz-city', 'insurer', 'insurer-uw', 'secfirm', 'ent-gz',
  'ent-hz', 'expert2'];
