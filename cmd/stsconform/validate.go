package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/stsconform/stsconform/framework/config"
)

// Checks of flag values, run first in a command's RunE: bad input is one
// line and a non-zero exit before any cluster, Docker or file work.

// checkRegexp: Ginkgo compiles --focus and --skip with Go's regexp
// package, in the cluster, long after a Job or plugin was started.
func checkRegexp(flagName, expr string) error {
	if _, err := regexp.Compile(expr); err != nil {
		return fmt.Errorf("--%s %q is not a regular expression: %v", flagName, expr, err)
	}
	return nil
}

// checkPositive refuses a zero or negative value of each duration flag
// named: a wait of no time fails at once, or never ends.
func checkPositive(cmd *cobra.Command, flagNames ...string) error {
	for _, n := range flagNames {
		d, err := cmd.Flags().GetDuration(n)
		if err != nil {
			return err
		}
		if d <= 0 {
			return fmt.Errorf("--%s must be a positive duration (got %s)", n, d)
		}
	}
	return nil
}

// checkSuiteFlags parses flags meant for the suite with the suite's own
// flag set (framework/config), so that a typo fails here rather than in a
// pod of the cluster.
func checkSuiteFlags(flagName, value string) error {
	suite := flag.NewFlagSet("suite", flag.ContinueOnError)
	suite.SetOutput(io.Discard)
	var c config.Config
	c.Register(suite)
	err := suite.Parse(strings.Fields(value))
	switch {
	case errors.Is(err, flag.ErrHelp):
		return fmt.Errorf("--%s: -help is not a suite flag (list them with: go test ./suites/statefulset -tags e2e -args -help)", flagName)
	case err != nil:
		return fmt.Errorf("--%s %q: %v", flagName, value, err)
	case suite.NArg() > 0:
		return fmt.Errorf("--%s %q: %q is not a flag; the suite takes flags only", flagName, value, suite.Arg(0))
	}
	var reserved error
	suite.Visit(func(f *flag.Flag) {
		if why, ok := runnerFlags[f.Name]; ok && reserved == nil {
			reserved = fmt.Errorf("--%s: --%s is not yours to give in the cluster: %s", flagName, f.Name, why)
		}
	})
	return reserved
}

// runnerFlags are the suite flags the in-cluster runner decides
// (incluster.PlanFrom), with why: given again they would break the run
// only once it is in a pod.
var runnerFlags = map[string]string{
	"in-cluster": "the runner always passes it",
	"artifacts":  "the runner writes the results where Sonobuoy and hydrophone collect them",
	"kubeconfig": "the runner uses its pod's service account",
}

// checkStorageClassName: a StorageClass name is a DNS subdomain.
func checkStorageClassName(flagName, v string) error {
	if errs := validation.IsDNS1123Subdomain(v); len(errs) > 0 {
		return fmt.Errorf("--%s %q is not a StorageClass name: want lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", flagName, v)
	}
	return nil
}

// checkOutputFile: a file the command will write must be named, and not
// be a directory.
func checkOutputFile(flagName, path string) error {
	if path == "" {
		return fmt.Errorf("--%s must name a file", flagName)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--%s %s is a directory; name a file", flagName, path)
	}
	// The first existing ancestor must be a directory for the file's
	// directories to be made.
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		switch {
		case err == nil && !fi.IsDir():
			return fmt.Errorf("--%s %s: %s is not a directory", flagName, path, dir)
		case err == nil || dir == filepath.Dir(dir):
			return nil
		}
	}
}

// checkDir: a directory the command reads must be one.
func checkDir(what, path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: no such directory", what, path)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s %s is not a directory", what, path)
	}
	return nil
}
