/** The job's statements use `?` placeholders (MySQL's); PostgreSQL numbers them: `$1`, `$2`, … */
export function numberedPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}
