# stsconform: StatefulSet conformance on kind clusters or a cluster you give.
# `make help` lists the targets; variables can be set on the command line.

SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

ARTIFACTS            ?= $(CURDIR)/_artifacts
GINKGO_LABEL_FILTER  ?=
# Ginkgo processes; empty: the default of each command, named once in
# framework/suiterun (3 from this host, 2 in the runner pod and in selftest).
GINKGO_NODES         ?=
GINKGO_ARGS          ?=
# Only the specs matching this regular expression; empty: all (hydrophone:
# the Conformance label).
GINKGO_FOCUS         ?=
# Empty: build (or reuse) the hermetic node image and use it. Set it to an
# official image (one of .github/kind-images.txt) where a registry exists.
KIND_NODE_IMAGE      ?=
# The hermetic node image's Kubernetes: a release (v1.36.3) or a supported
# minor (v1.36); empty: the newest supported minor's release
# (fixtures/support.yaml).
KUBERNETES_VERSION   ?=
# Feature gates for every component of a cluster cluster-up or e2e creates,
# e.g. FEATURE_GATES=StatefulSetRecreateStrategy=true (a kept or given cluster
# keeps its own; the specs read the gates from the cluster).
FEATURE_GATES        ?=
KIND_CLUSTER_NAME    ?= stsconform
KIND_CONFIG          ?= $(CURDIR)/kind-config.yaml
# Set KUBECONFIG to run against an existing cluster instead of creating one.
KUBECONFIG           ?=
KEEP_CLUSTER         ?= false
# cluster-down deletes only a cluster stsconform made; FORCE=true deletes any
# kind cluster of KIND_CLUSTER_NAME.
FORCE                ?= false
# Test images on a cluster that cannot get the locally built ones: a file
# mapping roles to references (the shape of fixtures/images.yaml), or one
# registry that holds them all.
IMAGES               ?=
IMAGE_REGISTRY       ?=
# Suite flags (after ginkgo's `--`), e.g. E2E_FLAGS='--timeout-dns=3m'.
E2E_FLAGS            ?=
# The whole suite's timeout; empty: suiterun.DefaultTimeout (60m).
E2E_TIMEOUT          ?=
SELFTEST_FLAGS       ?=
# The suite's identity in the certification report: `go test` stamps no VCS
# information into a test binary, so it is passed with -ldflags (empty
# outside a git clone: the report then says "unknown").
SUITE_VERSION        ?= $(shell git describe --tags --always --dirty 2>/dev/null)
SUITE_COMMIT         ?= $(shell git rev-parse HEAD 2>/dev/null)
STSCONFORM_CACHE     ?= $(HOME)/.cache/stsconform
# golangci-lint's cache keeps each issue with the absolute path it was first
# found at; shared between two checkouts (a worktree, a CI clone) of the same
# code it reports the other checkout's files and cannot apply their nolint
# directives. One cache per checkout path keeps a warm run warm.
LINT_CACHE           ?= $(STSCONFORM_CACHE)/golangci-lint/$(shell printf %s '$(CURDIR)' | cksum | cut -d' ' -f1)

GO      ?= go
GINKGO  := $(GO) tool ginkgo
STSCONFORM = $(GO) run -ldflags '$(E2E_LDFLAGS)' ./cmd/stsconform
# go run exits 1 whatever its program's status: the suite's runs start a
# built binary, so that Ginkgo's exit status is the target's.
STSCONFORM_BIN = $(STSCONFORM_CACHE)/bin/stsconform
BUILD_STSCONFORM = $(GO) build -ldflags '$(E2E_LDFLAGS)' -o $(STSCONFORM_BIN) ./cmd/stsconform
OFFLINE_IMAGES = $(GO) run ./hermetic/cmd/offline-images
K8S_VERSION_FLAG = $(if $(KUBERNETES_VERSION),--kubernetes-version $(KUBERNETES_VERSION))
HERMETIC_IMAGE = $(shell $(OFFLINE_IMAGES) print-image $(K8S_VERSION_FLAG))
BUILDINFO = github.com/stsconform/stsconform/framework/buildinfo
E2E_LDFLAGS = -X $(BUILDINFO).Version=$(SUITE_VERSION) -X $(BUILDINFO).Commit=$(SUITE_COMMIT)

IMAGE_FLAGS = $(if $(IMAGES),--images=$(IMAGES)) $(if $(IMAGE_REGISTRY),--image-registry=$(IMAGE_REGISTRY))

export STSCONFORM_CACHE

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z0-9_-]+:.*## /{printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The fuzz targets, package:Target (go test -fuzz takes one package and one
# target a run), and how long each runs. At 3s the three add about 20 s to
# make test (measured on a 2-core host: 6 s a target, its instrumented build
# cached); the nightly workflow runs each for 5m.
FUZZ_TARGETS = framework/timeline:FuzzDecode framework/guarantee:FuzzCheckers framework/report:FuzzRebuild
FUZZTIME    ?= 3s

.PHONY: test
test: ## Unit tests (no cluster needed), then each fuzz target for FUZZTIME.
	$(GO) test ./...
	$(MAKE) --no-print-directory fuzz

.PHONY: fuzz
fuzz: ## Each fuzz target for FUZZTIME: no panic, memory that follows the input.
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "$(GO) test ./$${t%%:*} -run '^$$' -fuzz '^$${t#*:}$$' -fuzztime $(FUZZTIME)"; \
		$(GO) test "./$${t%%:*}" -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME); \
	done

.PHONY: lint
lint: ## go vet, golangci-lint (with ginkgolinter) and actionlint; tools pinned in tools/go.mod.
	$(GO) vet -tags=e2e ./...
	GOLANGCI_LINT_CACHE=$(LINT_CACHE) $(GO) tool -modfile=tools/go.mod golangci-lint run ./...
	bash tools/lint-workflows.sh

.PHONY: docker-up
docker-up: ## Make a Docker engine answer (installs and starts one when needed).
	@bash hermetic/docker-up.sh

.PHONY: images
images: docker-up ## Build the hermetic node image and test images (cached).
	$(OFFLINE_IMAGES) build $(K8S_VERSION_FLAG)

.PHONY: runner-image
runner-image: docker-up ## Build the runner image: the compiled suite for in-cluster runs (hydrophone, Sonobuoy, run --in-cluster).
	$(OFFLINE_IMAGES) runner --suite-ldflags '$(E2E_LDFLAGS)'

.PHONY: node-image-or-given
node-image-or-given:
	@if [ -z "$(KIND_NODE_IMAGE)" ]; then $(MAKE) --no-print-directory images; else $(OFFLINE_IMAGES) build --workloads-only; fi

.PHONY: cluster-up
cluster-up: docker-up node-image-or-given ## Create the kind cluster from kind-config.yaml (every node Ready); make e2e then reuses it.
	$(STSCONFORM) cluster-up --name $(KIND_CLUSTER_NAME) --config $(KIND_CONFIG) \
		--image "$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --kubeconfig $(ARTIFACTS)/kubeconfig $(FEATURE_GATES_FLAG)

.PHONY: cluster-down
cluster-down: ## Delete the kind cluster if stsconform made it (FORCE=true: any).
	$(STSCONFORM) cluster-down --name $(KIND_CLUSTER_NAME) $(if $(filter true,$(FORCE)),--force)

# stsconform run builds the Ginkgo command line (framework/suiterun), runs
# the suite, then renders the certification report again once Ginkgo has
# written report.json and junit.xml, so that its manifest lists them. Its
# exit status is the suite's (Ginkgo's). GINKGO_ARGS go to Ginkgo and E2E_FLAGS to the
# suite as the shell splits them.
# PROGRESS: auto (lines only when stdout is a terminal), always or never.
# RERUN=DIR runs again only the specs that run in DIR did not pass, with
# the settings it recorded (DIR/run.json), and merges them into DIR, or
# into ARTIFACTS when that is given too (stsconform rerun).
SELECTION_FLAGS = --label-filter='$(GINKGO_LABEL_FILTER)' $(if $(GINKGO_FOCUS),--focus='$(GINKGO_FOCUS)') \
	$(if $(GINKGO_NODES),--procs=$(GINKGO_NODES)) $(if $(E2E_TIMEOUT),--timeout=$(E2E_TIMEOUT))
PROGRESS_FLAG   = $(if $(PROGRESS),--progress=$(PROGRESS))
FEATURE_GATES_FLAG = $(if $(FEATURE_GATES),--feature-gates=$(FEATURE_GATES))
RERUN_COMMAND   = $(STSCONFORM_BIN) rerun $(RERUN) $(if $(filter command line environment,$(origin ARTIFACTS)),--artifacts=$(ARTIFACTS)) \
	$(PROGRESS_FLAG) -- $(GINKGO_ARGS) -- $(E2E_FLAGS)

.PHONY: e2e
e2e: docker-up node-image-or-given ## Run the conformance suites (KUBECONFIG's cluster, else the one cluster-up kept, else a new one); RERUN=DIR: only what DIR's run did not pass.
	@$(BUILD_STSCONFORM)
ifneq ($(RERUN),)
	$(RERUN_COMMAND)
else
	$(STSCONFORM_BIN) run --artifacts=$(ARTIFACTS) --kind-config=$(KIND_CONFIG) --cluster-name=$(KIND_CLUSTER_NAME) \
		--node-image="$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --keep-cluster=$(KEEP_CLUSTER) --ldflags='$(E2E_LDFLAGS)' \
		$(if $(KUBECONFIG),--kubeconfig=$(KUBECONFIG)) $(FEATURE_GATES_FLAG) $(IMAGE_FLAGS) $(SELECTION_FLAGS) $(PROGRESS_FLAG) -- $(GINKGO_ARGS) -- $(E2E_FLAGS)
endif

# Each breakage of fixtures/selftest gets its own small kind cluster
# (stsconform-selftest), made and deleted one after another; see
# docs/selftest.md. SELFTEST_FLAGS, e.g. --only=parallel-mutation.
# In-cluster runs: the suite runs from a pod of the cluster (the runner
# image), as hydrophone and Sonobuoy run conformance images.
HYDROPHONE_VERSION ?= v0.8.0
# Where the runner pod may run (make e2e-in-cluster, and the Sonobuoy plugin
# with stsconform sonobuoy-plugin's flags of the same names): node labels
# KEY=VALUE it requires and taints KEY[=VALUE][:EFFECT] it tolerates,
# space-separated. hydrophone cannot place its pod.
RUNNER_NODE_SELECTOR ?=
RUNNER_TOLERATIONS   ?=
PLACEMENT_FLAGS      = $(foreach s,$(RUNNER_NODE_SELECTOR),--runner-node-selector=$(s)) $(foreach t,$(RUNNER_TOLERATIONS),--runner-toleration='$(t)')
HYDROPHONE          = $(STSCONFORM_CACHE)/bin/hydrophone-$(HYDROPHONE_VERSION)
CLUSTER_KUBECONFIG  = $(or $(KUBECONFIG),$(ARTIFACTS)/kubeconfig)

.PHONY: e2e-in-cluster
e2e-in-cluster: runner-image ## Run the suite from a pod of KUBECONFIG's cluster (else cluster-up's) with least-privilege RBAC; results into ARTIFACTS; RERUN=DIR as for e2e.
	@$(BUILD_STSCONFORM)
ifneq ($(RERUN),)
	$(RERUN_COMMAND)
else
	$(STSCONFORM_BIN) run --in-cluster --kubeconfig=$(CLUSTER_KUBECONFIG) --artifacts=$(ARTIFACTS) $(IMAGE_FLAGS) $(PLACEMENT_FLAGS) \
		$(SELECTION_FLAGS) $(PROGRESS_FLAG) -- $(GINKGO_ARGS) -- $(E2E_FLAGS)
endif

$(HYDROPHONE):
	@mkdir -p $(@D)
	GOBIN=$(@D) GOFLAGS=-mod=mod $(GO) install sigs.k8s.io/hydrophone@$(HYDROPHONE_VERSION) && mv $(@D)/hydrophone $@

.PHONY: e2e-hydrophone
e2e-hydrophone: $(HYDROPHONE) ## Run the runner image under hydrophone on KUBECONFIG's cluster; IMAGE_REGISTRY must hold every image (images push; IMAGES pins digests).
	@test -n "$(IMAGE_REGISTRY)" || { echo "e2e-hydrophone: set IMAGE_REGISTRY to the registry the images were pushed to (stsconform images push)" >&2; exit 2; }
	@test -z "$(RUNNER_NODE_SELECTOR)$(RUNNER_TOLERATIONS)" || { echo "e2e-hydrophone: hydrophone $(HYDROPHONE_VERSION) cannot place its pod (it tolerates every taint and takes no node selector): use make e2e-in-cluster, or the Sonobuoy plugin (stsconform sonobuoy-plugin --runner-node-selector/--runner-toleration)" >&2; exit 2; }
	$(HYDROPHONE) --kubeconfig $(CLUSTER_KUBECONFIG) --output-dir $(ARTIFACTS)/hydrophone $(if $(GINKGO_NODES),--parallel $(GINKGO_NODES)) \
		--conformance-image $$($(STSCONFORM) images list $(IMAGE_FLAGS) --role runner) \
		--busybox-image $$($(STSCONFORM) images list $(IMAGE_FLAGS) --role busybox) \
		--extra-args=--image-registry=$(IMAGE_REGISTRY) $(if $(GINKGO_FOCUS),--focus='$(GINKGO_FOCUS)',--conformance)

.PHONY: selftest
selftest: docker-up node-image-or-given ## Run the suite against clusters broken on purpose; passes only if each breakage is detected (11 min idle, up to 19 loaded).
	$(STSCONFORM) selftest --image "$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --artifacts $(ARTIFACTS)/selftest \
		$(if $(GINKGO_NODES),--procs=$(GINKGO_NODES)) $(SELFTEST_FLAGS)

.PHONY: report
report: ## Render report.html, report.md and certification.json again from $(ARTIFACTS).
	$(STSCONFORM) report $(ARTIFACTS)
