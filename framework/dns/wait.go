package dns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stsconform/stsconform/framework/poll"
)

// WaitInput says what a DNS wait is for and bounds it.
type WaitInput struct {
	// What is the name and where it is resolved from, e.g. "web-0.web from
	// ns/dns-probe".
	What string
	// Timeout bounds the wait (config Timeouts.DNS): answers change only
	// once CoreDNS's cache and the endpoints have caught up.
	Timeout, Poll time.Duration
}

// Wait asks lookup until want accepts its answer. A failure opens with
// "DNS: <what>" and the last lookup's error (its first line) or answer, so
// that a broken resolver reads as DNS.
func Wait[T any](ctx context.Context, in WaitInput, lookup func(context.Context) (T, error), want func(T) bool) error {
	var last T
	var lastErr error
	looked := false
	err := poll.Until(ctx, in.Timeout, in.Poll, func(ctx context.Context) error {
		answer, err := lookup(ctx)
		// A lookup the deadline cut short says less than the one before.
		if !looked || ctx.Err() == nil {
			last, lastErr, looked = answer, err, true
		}
		switch {
		case err != nil:
			return err
		case !want(answer):
			return fmt.Errorf("answered %v", answer)
		}
		return nil
	})
	switch {
	case err == nil:
		return nil
	case lastErr != nil:
		first, rest, _ := strings.Cut(lastErr.Error(), "\n")
		if rest != "" {
			rest = "\n" + rest
		}
		return fmt.Errorf("DNS: %s: no answer within %s: %s%s\n%w", in.What, in.Timeout, first, rest, err)
	}
	return fmt.Errorf("DNS: %s: still answered %v after %s\n%w", in.What, last, in.Timeout, err)
}

// ResolvesInput is a pod's DNS names and the address they must resolve
// to, from a probe pod.
type ResolvesInput struct {
	Exec  Execer
	Probe PodRef
	// Short is the name through the search list (web-0.web), FQDN the
	// fully qualified one.
	Short, FQDN string
	IP          string
	WaitInput
}

// WaitResolves waits until both the short name (ResolveShort) and the
// FQDN (ResolveFQDN) resolve to the IP from inside the cluster. Waiting
// covers CoreDNS caching and endpoint propagation after a pod changes.
func WaitResolves(ctx context.Context, in ResolvesInput) error {
	short := in.WaitInput
	short.What = fmt.Sprintf("%s from %s", in.Short, in.Probe)
	err := Wait(ctx, short, func(ctx context.Context) (string, error) { return ResolveShort(ctx, in.Exec, in.Probe, in.Short) },
		func(ip string) bool { return ip == in.IP })
	if err != nil {
		return err
	}
	fqdn := in.WaitInput
	fqdn.What = fmt.Sprintf("%s from %s", in.FQDN, in.Probe)
	return Wait(ctx, fqdn, func(ctx context.Context) ([]string, error) { return ResolveFQDN(ctx, in.Exec, in.Probe, in.FQDN) },
		func(ips []string) bool { return sameSet(ips, []string{in.IP}) })
}

// ServiceInput is a headless Service and the ready pods its names must
// answer with.
type ServiceInput struct {
	Exec  Execer
	Probe PodRef
	// Service is the Service's FQDN, SRV the SRV name of its port
	// (_http._tcp.<Service>).
	Service, SRV string
	// IPs are the ready pods' addresses, by pod; Targets their FQDN:port,
	// as the SRV records must list them.
	IPs     map[string]string
	Targets []string
	WaitInput
}

// WaitService waits until the Service's name resolves to exactly the IPs
// of its ready pods and its SRV name lists exactly their FQDNs on the
// served port.
func WaitService(ctx context.Context, in ServiceInput) error {
	var ips []string
	for _, ip := range in.IPs {
		ips = append(ips, ip)
	}
	name := in.WaitInput
	name.What = fmt.Sprintf("%s from %s (ready pods %v)", in.Service, in.Probe, in.IPs)
	err := Wait(ctx, name, func(ctx context.Context) ([]string, error) { return ResolveFQDN(ctx, in.Exec, in.Probe, in.Service) },
		func(got []string) bool { return sameSet(got, ips) })
	if err != nil {
		return err
	}
	srv := in.WaitInput
	srv.What = fmt.Sprintf("SRV %s from %s", in.SRV, in.Probe)
	return Wait(ctx, srv, func(ctx context.Context) ([]string, error) {
		recs, err := ResolveSRV(ctx, in.Exec, in.Probe, in.SRV)
		var out []string
		for _, r := range recs {
			out = append(out, fmt.Sprintf("%s:%d", r.Target, r.Port))
		}
		return out, err
	}, func(got []string) bool { return sameSet(got, in.Targets) })
}

// GetInput is a page a pod must serve to another, and what it must say.
type GetInput struct {
	Exec Execer
	// From is the pod that fetches.
	From PodRef
	URL  string
	// Want is the body, without surrounding space.
	Want string
	// Limit bounds one GET (HTTPGet).
	Limit time.Duration
	// What opens a failure, e.g. "mesh-0 reaching mesh-1 at 10.244.1.5".
	What          string
	Timeout, Poll time.Duration
}

// WaitGet fetches the URL from the pod until the body is Want: one pod
// reaching another, once the network has caught up.
func WaitGet(ctx context.Context, in GetInput) error {
	err := poll.Until(ctx, in.Timeout, in.Poll, func(ctx context.Context) error {
		body, err := HTTPGet(ctx, in.Exec, in.From, in.URL, in.Limit)
		if err != nil {
			return err
		}
		if got := strings.TrimSpace(body); got != in.Want {
			return fmt.Errorf("GET %s answered %q, want %q", in.URL, got, in.Want)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", in.What, err)
	}
	return nil
}

// sameSet reports whether a and b hold the same strings, as many times
// each.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
