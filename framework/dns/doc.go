// Package dns resolves names from inside the cluster, through a busybox
// probe pod, so specs see what a StatefulSet's peers see rather than what
// the test host sees.
//
// Two resolvers, because busybox's nslookup (1.35 and later) sends the name
// as given and ignores the resolv.conf search list: a short name such as
// "web-0.web" answers NXDOMAIN there even when the record exists.
//   - ResolveFQDN runs nslookup and so needs the fully qualified name
//     (web-0.web.<ns>.svc.cluster.local).
//   - ResolveShort runs ping, which resolves through libc and therefore
//     applies the search list the way an application in the pod would.
//
// Caching: kind's Corefile has "cache 30", but headless-service pod records
// (<pod>.<svc>) come from the kubernetes plugin, whose answers carry a TTL of
// 5s by default, and the cache keeps a record no longer than its TTL. Negative
// answers are cached as well (for the zone's SOA minimum, also the plugin's
// ttl). After a pod is recreated its name can thus answer with the old IP or
// NXDOMAIN for a few seconds: callers wait (Wait, WaitResolves) for the new
// IP instead of asserting on a single lookup.
package dns
