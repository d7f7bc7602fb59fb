package dns

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseSRV(t *testing.T) {
	cases := []struct {
		name     string
		out      string
		want     []SRV
		notFound bool
	}{
		{"three members, root dot trimmed", bb135SRV, []SRV{
			{0, 33, 8080, "web-0.web.default.svc.cluster.local"},
			{0, 33, 8080, "web-2.web.default.svc.cluster.local"},
			{0, 33, 8080, "web-1.web.default.svc.cluster.local"},
		}, false},
		{"NXDOMAIN", bb135SRVNX, nil, true},
		{"garbled lines skipped", bb135SRVGarbled, nil, false},
		{"A answer is no SRV", bb136Single, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, nf := parseSRV(tc.out)
			if !slices.Equal(got, tc.want) || nf != tc.notFound {
				t.Errorf("parseSRV = %v, %v; want %v, %v", got, nf, tc.want, tc.notFound)
			}
		})
	}
}

func TestResolveSRV(t *testing.T) {
	probe := PodRef{Namespace: "ns", Name: "dns-probe", Container: "probe"}
	answer := func(stdout, stderr string, err error) Execer {
		return ExecerFunc(func(_ context.Context, _ PodRef, cmd []string) (string, string, error) {
			if strings.Join(cmd, " ") != "nslookup -type=SRV _http._tcp.web.default.svc.cluster.local" {
				t.Fatalf("command %q", cmd)
			}
			return stdout, stderr, err
		})
	}
	name := "_http._tcp.web.default.svc.cluster.local"
	recs, err := ResolveSRV(context.Background(), answer(bb135SRV, "", nil), probe, name)
	if err != nil || len(recs) != 3 {
		t.Fatalf("ResolveSRV = %v, %v", recs, err)
	}
	_, err = ResolveSRV(context.Background(), answer(bb135SRVNX, "", errors.New("exit 1")), probe, name)
	if !IsNotFound(err) {
		t.Fatalf("NXDOMAIN: err = %v, want not found", err)
	}
	_, err = ResolveSRV(context.Background(), answer(bb135SRVGarbled, "", nil), probe, name)
	if err == nil || !strings.Contains(err.Error(), "no SRV record") || !strings.Contains(err.Error(), "service = 0 x") {
		t.Fatalf("garbled: err = %v, want one with the output", err)
	}
}

func TestHTTPGet(t *testing.T) {
	probe := PodRef{Namespace: "ns", Name: "dns-probe", Container: "probe"}
	var ran []string
	ok := ExecerFunc(func(_ context.Context, _ PodRef, cmd []string) (string, string, error) {
		ran = cmd
		return "1\n", "", nil
	})
	body, err := HTTPGet(context.Background(), ok, probe, "http://web-0.web:8080/version", 5e9)
	if err != nil || body != "1\n" || strings.Join(ran, " ") != "timeout 5 wget -q -O - http://web-0.web:8080/version" {
		t.Fatalf("HTTPGet = %q, %v after %q", body, err, ran)
	}
	bad := ExecerFunc(func(context.Context, PodRef, []string) (string, string, error) {
		return "", "wget: bad address 'web-9.web:8080'", errors.New("exit status 1")
	})
	_, err = HTTPGet(context.Background(), bad, probe, "http://web-9.web:8080/version", 5e9)
	if err == nil || !strings.Contains(err.Error(), "bad address") || !strings.Contains(err.Error(), "wget") {
		t.Fatalf("err = %v, want the command and its output", err)
	}
}
