package main

import (
	"github.com/spf13/pflag"

	"github.com/stsconform/stsconform/incluster"
)

// placementFlags place the runner pod: run --in-cluster and
// sonobuoy-plugin take the same ones.
type placementFlags struct {
	nodeSelector, tolerations []string
}

func (p *placementFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&p.nodeSelector, "runner-node-selector", nil, "in-cluster: a node label the runner pod requires, KEY=VALUE (repeatable)")
	fl.StringArrayVar(&p.tolerations, "runner-toleration", nil, "in-cluster: a taint the runner pod tolerates, KEY[=VALUE][:EFFECT]; no value: any, no effect: all, KEY *: every taint (repeatable)")
}

func (p placementFlags) parse() (incluster.Placement, error) {
	return incluster.ParsePlacement(p.nodeSelector, p.tolerations)
}
