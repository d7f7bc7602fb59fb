//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
)

// A failure is judged by its first line (by a reader scanning the report,
// and by `make selftest`, which checks that each breakage fails the right
// specs for the right reason). Gomega opens a failed wait with "Timed out
// after 30.001s." and an error with "Unexpected error:", neither of which
// names a cause: these helpers put the cause first.

// causeFirst runs a Gomega wait and, when it fails, fails the spec with
// cause() as the first line and Gomega's own message below it.
func causeFirst(wait func(), cause func() string) {
	GinkgoHelper()
	if err := InterceptGomegaFailure(wait); err != nil {
		Fail(cause() + "\n" + err.Error())
	}
}

// judged is a checker's verdict as the cause of a failed wait; a checker
// that finds nothing leaves the wait's own message to speak.
func judged(err error) string {
	if err == nil {
		return "the recording so far breaks no rule; the wait below failed on its own"
	}
	return err.Error()
}

// failOn fails the spec with err's own message when err is not nil.
func failOn(err error) {
	GinkgoHelper()
	if err != nil {
		Fail(err.Error())
	}
}

// waitDNS is the suite's DNS wait: Eventually over a lookup until its
// answer satisfies want. A failure opens with "DNS: <what>" and the last
// answer or lookup error, so that a broken resolver reads as DNS.
func waitDNS[T any](ctx SpecContext, what string, lookup func(context.Context) (T, error), want types.GomegaMatcher) {
	GinkgoHelper()
	var last T
	var lastErr error
	causeFirst(func() {
		Eventually(ctx, func(ctx context.Context) (T, error) {
			last, lastErr = lookup(ctx)
			return last, lastErr
		}).WithTimeout(cfg.Timeouts.DNS).WithPolling(cfg.Timeouts.Poll).Should(want, what)
	}, func() string {
		if lastErr != nil {
			msg, _, _ := strings.Cut(lastErr.Error(), "\n")
			return fmt.Sprintf("DNS: %s: no answer within %s: %s", what, cfg.Timeouts.DNS, msg)
		}
		return fmt.Sprintf("DNS: %s: still answered %v after %s", what, last, cfg.Timeouts.DNS)
	})
}
