package dns

import (
	"slices"
	"testing"
)

func TestParseNslookup(t *testing.T) {
	cases := []struct {
		name     string
		out      string
		want     []string
		notFound bool
	}{
		{"1.28 single record, server line skipped", bb128Single, []string{"10.244.2.109"}, false},
		{"1.28 headless service, IPv6 dropped", bb128Headless, []string{"10.244.1.5", "10.244.2.109"}, false},
		{"1.28 can't resolve", bb128NXStdout + "\n" + bb128NXStderr, nil, true},
		{"1.36 single record, server line skipped", bb136Single, []string{"10.244.2.109"}, false},
		{"1.36 headless service, duplicates folded", bb136Headless, []string{"10.244.1.5", "10.244.2.109"}, false},
		{"1.36 A answered, AAAA not", bb136NoAAAA, []string{"10.244.2.109"}, true},
		{"1.36 dual stack", bb136DualStack, []string{"10.244.2.109"}, false},
		{"1.35 NXDOMAIN", bb135NXDomain, nil, true},
		{"1.36 timeout", bb136Timeout, nil, false},
		{"empty", "", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := parseNslookup(tc.out)
			if !slices.Equal(got.ipv4, tc.want) {
				t.Errorf("ipv4 = %q, want %q", got.ipv4, tc.want)
			}
			if got.notFound != tc.notFound {
				t.Errorf("notFound = %v, want %v", got.notFound, tc.notFound)
			}
		})
	}
}

func TestParsePing(t *testing.T) {
	cases := []struct {
		name           string
		stdout, stderr string
		want           string
		notFound       bool
	}{
		{"reply", pingReply, "", "10.244.2.109", false},
		{"no reply still resolved", pingNoReply, "", "10.244.2.109", false},
		{"bad address", "", pingBadAddress, "", true},
		{"no raw socket", "", pingNoRaw, "", false},
		{"header not first", "garbage\n" + pingReply, "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ip, nf := parsePing(tc.stdout, tc.stderr)
			if ip != tc.want || nf != tc.notFound {
				t.Errorf("parsePing = %q, %v; want %q, %v", ip, nf, tc.want, tc.notFound)
			}
		})
	}
}
