package capwrap

import "path/filepath"

// Target says which OCI file of a runc invocation carries capabilities.
type Target struct {
	Path           string // file to filter; empty when there is none
	IsBundleConfig bool   // config.json of a bundle rather than a process file
}

// runc global flags that take a value; needed to find the subcommand.
var globalWithValue = map[string]bool{
	"--root": true, "--log": true, "--log-format": true, "--criu": true,
	"--rootless": true,
}

// FindTarget works out from runc's arguments which file holds the
// capabilities: the bundle's config.json for create and run, the --process
// file for exec. cwd is the bundle when --bundle is not given.
func FindTarget(args []string, cwd string) Target {
	i := 0
	for i < len(args) {
		a := args[i]
		if len(a) == 0 || a[0] != '-' {
			break
		}
		if globalWithValue[a] {
			i += 2
			continue
		}
		i++
	}
	if i >= len(args) {
		return Target{}
	}
	sub, rest := args[i], args[i+1:]
	switch sub {
	case "create", "run":
		bundle := cwd
		if v, ok := flagValue(rest, "--bundle", "-b"); ok {
			bundle = v
		}
		if !filepath.IsAbs(bundle) {
			bundle = filepath.Join(cwd, bundle)
		}
		return Target{Path: filepath.Join(bundle, "config.json"), IsBundleConfig: true}
	case "exec":
		if v, ok := flagValue(rest, "--process", "-p"); ok {
			if !filepath.IsAbs(v) {
				v = filepath.Join(cwd, v)
			}
			return Target{Path: v}
		}
	}
	return Target{}
}

func flagValue(args []string, long, short string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			return "", false
		}
		for _, name := range []string{long, short} {
			if a == name && i+1 < len(args) {
				return args[i+1], true
			}
			if len(a) > len(name)+1 && a[:len(name)+1] == name+"=" {
				return a[len(name)+1:], true
			}
		}
	}
	return "", false
}
