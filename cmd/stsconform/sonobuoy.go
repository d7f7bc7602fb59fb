package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/incluster"
)

func newSonobuoyPluginCommand() *cobra.Command {
	var f struct {
		registry, focus, skip, suiteFlags string
		placement                         placementFlags
	}
	cmd := &cobra.Command{
		Use:   "sonobuoy-plugin",
		Short: "Print a Sonobuoy plugin definition that runs the suite in the cluster",
		Long: `sonobuoy-plugin prints a plugin (driver Job, JUnit results) running the runner
image. Sonobuoy gives the pod its results directory and, by default, a
cluster-admin ServiceAccount; the runner writes its JUnit, certification report
and done file there whatever the outcome. The images must come from a registry
the cluster can pull: push them first (stsconform images push --registry R).

--runner-node-selector and --runner-toleration place the plugin's pod: they
give the plugin a podSpec, which replaces Sonobuoy's default pod whole, so it
repeats Sonobuoy's defaults (its ServiceAccount, tolerations and Linux node
selector, as of Sonobuoy v0.57) and adds them. hydrophone v0.8.0 cannot place
its pod (it tolerates every taint and takes no node selector).`,
		Example: `  stsconform images push --registry registry.example.com/stsconform > images.yaml
  stsconform sonobuoy-plugin --image-registry registry.example.com/stsconform > stsconform-plugin.yaml
  stsconform sonobuoy-plugin --image-registry R --runner-node-selector kubernetes.io/hostname=node-1 --runner-toleration 'dedicated=conformance:NoSchedule' > plugin.yaml
  sonobuoy run --plugin stsconform-plugin.yaml --wait
  sonobuoy retrieve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSonobuoyFlags(f.registry, f.focus, f.skip, f.suiteFlags); err != nil {
				return err
			}
			placement, err := f.placement.parse()
			if err != nil {
				return err
			}
			set, err := (&config.Config{ImageRegistry: f.registry}).Images()
			if err != nil {
				return err
			}
			extra := "--image-registry=" + f.registry + " " + f.suiteFlags
			data, err := incluster.SonobuoyPlugin(incluster.PluginInput{Image: set.Ref(images.Runner), Env: map[string]string{
				"E2E_FOCUS": f.focus, "E2E_SKIP": f.skip, "E2E_EXTRA_ARGS": extra,
			}, Placement: placement})
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
	cmd.Flags().StringVar(&f.registry, "image-registry", "", "registry holding the runner and test images (stsconform images push)")
	cmd.Flags().StringVar(&f.focus, "focus", "", "run only the specs matching this regular expression")
	cmd.Flags().StringVar(&f.skip, "skip", "", "skip the specs matching this regular expression")
	cmd.Flags().StringVar(&f.suiteFlags, "suite-flags", "", "more flags for the suite, space-separated")
	f.placement.register(cmd.Flags())
	return cmd
}

// checkSonobuoyFlags refuses what would only fail in the cluster, once
// Sonobuoy has started the plugin.
func checkSonobuoyFlags(registry, focus, skip, suiteFlags string) error {
	if registry == "" {
		return errors.New("--image-registry is required: a Sonobuoy pod pulls the runner and test images from a registry")
	}
	if err := images.CheckRegistry(registry); err != nil {
		return fmt.Errorf("--image-registry: %w", err)
	}
	if err := checkRegexp("focus", focus); err != nil {
		return err
	}
	if err := checkRegexp("skip", skip); err != nil {
		return err
	}
	return checkSuiteFlags("suite-flags", suiteFlags)
}
