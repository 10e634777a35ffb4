// Links are @vrfctl/rtnetlink's Link model (decodeLink); this package adds how callers name one.

/** A link by name ("eth0", or an alternative name) or by ifindex. */
export type LinkRef = string | number;
