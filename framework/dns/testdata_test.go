package dns

// Outputs as busybox prints them in a kind cluster (kube-dns at 10.96.0.10).
// Tabs and blank lines are as the tools emit them.

const bb128Single = `Server:    10.96.0.10
Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

Name:      web-0.web.default.svc.cluster.local
Address 1: 10.244.2.109 web-0.web.default.svc.cluster.local
`

const bb128Headless = `Server:    10.96.0.10
Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

Name:      web.default.svc.cluster.local
Address 1: 10.244.1.5 web-1.web.default.svc.cluster.local
Address 2: 10.244.2.109 web-0.web.default.svc.cluster.local
Address 3: fd00:10:244:3::4 web-2.web.default.svc.cluster.local
`

// 1.28 prints the server and then fails on stderr.
const bb128NXStdout = `Server:    10.96.0.10
Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

`
const bb128NXStderr = "nslookup: can't resolve 'web-9.web.default.svc.cluster.local'\n"

const bb136Single = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\n" +
	"Name:\tweb-0.web.default.svc.cluster.local\nAddress: 10.244.2.109\n\n"

const bb136Headless = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\n" +
	"Name:\tweb.default.svc.cluster.local\nAddress: 10.244.1.5\n" +
	"Name:\tweb.default.svc.cluster.local\nAddress: 10.244.2.109\n" +
	"Name:\tweb.default.svc.cluster.local\nAddress: 10.244.1.5\n\n"

// The AAAA query finds nothing after the A query succeeded.
const bb136NoAAAA = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
	"Name:\tweb-0.web.default.svc.cluster.local\nAddress: 10.244.2.109\n\n" +
	"*** Can't find web-0.web.default.svc.cluster.local: No answer\n\n"

// Dual-stack: the IPv6 answer is not returned.
const bb136DualStack = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n" +
	"Name:\tweb-0.web.default.svc.cluster.local\nAddress: 10.244.2.109\n\n" +
	"Name:\tweb-0.web.default.svc.cluster.local\nAddress: fd00:10:244:2::6d\n\n"

// What 1.35 answers for a short name: it does not apply the search list.
const bb135NXDomain = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
	"** server can't find web-0.web: NXDOMAIN\n\n" +
	"** server can't find web-0.web: NXDOMAIN\n\n"

const bb136Timeout = ";; connection timed out; no servers could be reached\n\n"

const pingReply = `PING web-0.web (10.244.2.109): 56 data bytes
64 bytes from 10.244.2.109: seq=0 ttl=62 time=0.412 ms

--- web-0.web ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 0.412/0.412/0.412 ms
`

const pingNoReply = `PING web-0.web (10.244.2.109): 56 data bytes

--- web-0.web ping statistics ---
1 packets transmitted, 0 packets received, 100% packet loss
`

const pingBadAddress = "ping: bad address 'web-9.web'\n"

const pingNoRaw = "ping: permission denied (are you root?)\n"

// busybox 1.35 nslookup -type=SRV on a headless Service with a port named http.
const bb135SRV = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
	"_http._tcp.web.default.svc.cluster.local\tservice = 0 33 8080 web-0.web.default.svc.cluster.local\n" +
	"_http._tcp.web.default.svc.cluster.local\tservice = 0 33 8080 web-2.web.default.svc.cluster.local.\n" +
	"_http._tcp.web.default.svc.cluster.local\tservice = 0 33 8080 web-1.web.default.svc.cluster.local\n\n"

const bb135SRVNX = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
	"** server can't find _http._tcp.nope.default.svc.cluster.local: NXDOMAIN\n\n"

const bb135SRVGarbled = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
	"_http._tcp.web.default.svc.cluster.local\tservice = 0 x 8080 web-0.web.default.svc.cluster.local\n" +
	"_http._tcp.web.default.svc.cluster.local\tservice = 0 33 8080\n"
