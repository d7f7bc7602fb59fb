package kube

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// RESTConfig reads a kubeconfig; an empty path means the pod's own service
// account (an in-cluster run), said plainly rather than through
// client-go's fallback and its warning. A kubeconfig that names no usable
// cluster is refused with what it lacks: client-go would answer "no
// configuration has been provided, try setting KUBERNETES_MASTER", which
// blames the environment instead of the file.
func RESTConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig == "" {
		return rest.InClusterConfig()
	}
	if _, err := os.Stat(kubeconfig); err != nil {
		if errors.Is(err, fs.ErrNotExist) && strings.ContainsRune(kubeconfig, os.PathListSeparator) {
			return nil, fmt.Errorf("no such file: a list of files, as KUBECONFIG may hold, is not one kubeconfig; name one")
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file")
		}
		return nil, err
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}, &clientcmd.ConfigOverrides{})
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, err
	}
	if err := checkCurrentContext(raw); err != nil {
		return nil, err
	}
	return cc.ClientConfig()
}

// checkCurrentContext says what a kubeconfig lacks to name one cluster.
func checkCurrentContext(c clientcmdapi.Config) error {
	contexts := slices.Sorted(maps.Keys(c.Contexts))
	switch {
	case len(contexts) == 0:
		return errors.New("it defines no context (is it a kubeconfig?)")
	case c.CurrentContext == "":
		return fmt.Errorf("it sets no current-context (its contexts: %s): choose one with kubectl config use-context", strings.Join(contexts, ", "))
	}
	ctx, ok := c.Contexts[c.CurrentContext]
	if !ok {
		return fmt.Errorf("its current-context %q is not one of its contexts (%s)", c.CurrentContext, strings.Join(contexts, ", "))
	}
	cl, ok := c.Clusters[ctx.Cluster]
	switch {
	case !ok:
		return fmt.Errorf("its context %q names cluster %q, which it does not define", c.CurrentContext, ctx.Cluster)
	case cl.Server == "":
		return fmt.Errorf("its cluster %q has no server", ctx.Cluster)
	}
	return nil
}
