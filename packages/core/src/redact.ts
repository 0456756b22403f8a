/** A broker URL fit for logs and error text: user info and secret-looking query values are masked. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/[^/@\s]*@/, '//***@')
    .replace(/([?&][^=&#]*(?:pass|secret|token|key|cred|auth)[^=&#]*=)[^&#]*/gi, '$1***');
}
