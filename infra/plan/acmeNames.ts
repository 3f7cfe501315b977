/**
 * Which names a public ACME CA can issue a certificate for. Let's Encrypt's policy authority refuses a name
 * that does not end in a suffix of the ICANN section of the Public Suffix List, or that is such a suffix
 * itself (letsencrypt/boulder `policy/pa.go` `validDomain`: errNonPublic, errICANNTLD). So `*.internal`,
 * `*.local`, `*.corp`, `*.lan`, `*.test` or `co.uk` can never be issued, however the DNS-01 zone is set up.
 * The list is the one `tldts` ships (MIT; a release follows every change of the list); its private section
 * is left out, as Boulder leaves it out.
 */
import { parse } from "tldts";

/** Why a public ACME CA refuses `hostname`, or undefined when it may issue for it. */
export function publicAcmeRefusal(hostname: string): string | undefined {
  const name = parse(hostname, { allowPrivateDomains: false });
  if (!name.isIcann) {
    return `${hostname} is not under a public domain (.${name.publicSuffix ?? hostname} is not in the ICANN section of the Public Suffix List), so no public ACME CA can issue its certificate`;
  }
  if (name.domain === null) {
    return `${hostname} is itself a public suffix, for which no ACME CA issues a certificate`;
  }
  return undefined;
}
